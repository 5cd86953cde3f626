"""`export --format sysctl` and `--format netsh`: OS reservations that keep the plan's ranges
away from what Linux and Windows hand out themselves."""

from __future__ import annotations

from pathlib import Path

import pytest

from portplan.analysis import analyze
from portplan.environment import Environment
from portplan.exporters import export
from portplan.hazards import DEFAULT_EPHEMERAL
from portplan.os_reservations import parse_reserved_ports
from portplan.store import load, loads

pytestmark = pytest.mark.usefixtures("pinned_ephemeral")

TOUCHING = """
[[projects]]
name = "A"
ports = "30000-33999"

[[projects]]
name = "B\\nline"
ports = "34000-34999"

[[projects]]
name = "C"
ports = "61000-62000"

[[projects]]
name = "D"
ports = "40000-40099"
"""


def test_sysctl_reserves_exactly_the_reference_plan_s_ephemeral_projects(
    reference_plan_path: Path, run_cli: object
) -> None:
    code, out, _ = run_cli("export", str(reference_plan_path), "--format", "sysctl")  # type: ignore[operator]
    assert code == 0
    assert "# 36000-36999: SigmaVault (ΣVAULT)\n# 46000-46999: Ryot LLM\n" in out
    assert out.endswith("net.ipv4.ip_local_reserved_ports = 36000-36999,46000-46999\n")
    # Reading the snippet's value back as the kernel would makes those findings safe.
    value = out.rsplit("= ", 1)[1]
    plan = load(reference_plan_path)
    environment = Environment(DEFAULT_EPHEMERAL, parse_reserved_ports(value))
    assert not [f for f in analyze(plan, environment) if f.kind == "ephemeral-port"]


def test_check_on_a_kernel_that_reserves_the_plan_s_ranges_calls_them_safe(
    reference_plan_path: Path, run_cli: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    import portplan.environment

    # The kernel's own reading, pinned: what /proc/sys/net/ipv4/ip_local_reserved_ports
    # holds after the sysctl snippet is installed.
    reading = "36000-36999,46000-46999\n"
    monkeypatch.setattr(
        portplan.environment, "read_linux_reserved_ports", lambda *_: parse_reserved_ports(reading)
    )
    code, out, _ = run_cli("check", str(reference_plan_path))  # type: ignore[operator]
    assert "ephemeral-port" not in out
    safe = [line for line in out.splitlines() if "[PP114 kernel-reserved-port]" in line]
    assert [line.split(":")[0].strip() for line in safe] == [
        "ℹ SigmaVault (ΣVAULT)",
        "ℹ Ryot LLM",
    ]
    assert all(
        "but reserved in the kernel (net.ipv4.ip_local_reserved_ports): safe" in line
        for line in safe
    )
    code, out, _ = run_cli("export", str(reference_plan_path), "--format", "sysctl")  # type: ignore[operator]
    assert out.endswith(f"net.ipv4.ip_local_reserved_ports = {reading}")


def test_sysctl_clips_to_the_range_and_merges_touching_projects() -> None:
    text = export(loads(TOUCHING), "sysctl")
    assert "# 32768-34999: A, B line\n# 40000-40099: D\n" in text
    assert text.endswith("net.ipv4.ip_local_reserved_ports = 32768-34999,40000-40099\n")
    assert "61000" not in text  # past the Linux range (60999)


def test_sysctl_without_anything_to_reserve_writes_no_key() -> None:
    text = export(loads('[[projects]]\nname = "A"\nports = "16000-16999"\n'), "sysctl")
    assert "ip_local_reserved_ports =" not in text and "No project range" in text


def test_netsh_excludes_every_project_range_and_says_how_to_run_it() -> None:
    text = export(loads(TOUCHING), "netsh")
    assert "elevated shell" in text and "before Hyper-V reserves" in text
    commands = [line for line in text.splitlines() if line.startswith("netsh")]
    assert commands == [
        "netsh int ipv4 add excludedportrange protocol=tcp startport=30000 numberofports=5000",
        "netsh int ipv4 add excludedportrange protocol=tcp startport=40000 numberofports=100",
        "netsh int ipv4 add excludedportrange protocol=tcp startport=61000 numberofports=1001",
    ]
    assert "REM 30000-34999: A, B line\n" in text
