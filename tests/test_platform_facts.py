"""The platform facts of issue 14: FreeBSD's ephemeral range, Kubernetes NodePorts, macOS
AirPlay, Windows excluded ranges, Linux's reserved ports, and the tools' default ports —
each a kind of the port-facts registry, applied on the platforms a plan says it runs on."""

from __future__ import annotations

from pathlib import Path

import pytest

from portplan.analysis import analyze
from portplan.environment import DEFAULT_ENVIRONMENT, Environment
from portplan.errors import PlanError
from portplan.hazards import (
    BROWSER_BAD_PORTS,
    DEFAULT_EPHEMERAL,
    FREEBSD_DEFAULT,
    LINUX_DEFAULT,
    WINDOWS_MACOS,
)
from portplan.model import PortRange
from portplan.occupants import KNOWN_OCCUPANTS
from portplan.os_reservations import (
    ExcludedRange,
    ReadingError,
    parse_netsh_excluded,
    parse_reserved_ports,
    read_linux_reserved_ports,
    read_netsh_file,
)
from portplan.portfacts import PortFacts
from portplan.store import load, loads

FIXTURES = Path(__file__).parent / "fixtures" / "netsh"
RESERVED = (PortRange(36000, 36999), PortRange(46000, 46999))


def plan_with(ports: str, services: str, platforms: str = "") -> str:
    return f"""{platforms}
[[projects]]
name = "P"
ports = "{ports}"

[[projects.tiers]]
name = "T"
ports = "{ports}"
services = [{services}]
"""


def kinds_of(text: str, environment: Environment = DEFAULT_ENVIRONMENT) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for finding in analyze(loads(text), environment):
        found.setdefault(finding.kind, []).append(finding.message)
    return found


# --- FreeBSD ------------------------------------------------------------------------------


def test_freebsd_ephemeral_range_applies_only_to_plans_for_freebsd() -> None:
    assert FREEBSD_DEFAULT.ports == PortRange(10000, 65535)
    services = '{ port = 16000, name = "web" }'
    assert "ephemeral-port" not in kinds_of(plan_with("16000-16099", services))
    freebsd = kinds_of(plan_with("16000-16099", services, 'platforms = ["freebsd"]'))
    (message,) = freebsd["ephemeral-port"]
    assert "FreeBSD ephemeral range 10000-65535" in message


def test_port_zero_is_not_a_service_port() -> None:
    with pytest.raises(PlanError, match=r"port: 0 is not a port \(1-65535\)"):
        loads(plan_with("1-100", '{ port = 0, name = "any" }'))
    assert 0 in BROWSER_BAD_PORTS  # Fetch lists it since 2025; the model refuses it first


# --- Kubernetes NodePorts -------------------------------------------------------------------


def test_nodeport_range_warns_only_for_cluster_nodes_with_inclusive_bounds() -> None:
    services = '{ port = 29999, name = "a" }, { port = 30000, name = "b" }, '
    services += '{ port = 32767, name = "c" }, { port = 32768, name = "d" }'
    default = kinds_of(plan_with("29000-33000", services))
    assert "nodeport-range" not in default
    nodes = kinds_of(plan_with("29000-33000", services, 'platforms = ["linux", "kubernetes-node"]'))
    (message,) = nodes["nodeport-range"]
    assert message.startswith("P: 2 services on 30000-32767 are inside Kubernetes' NodePort")


def test_a_project_platforms_replace_the_plan_platforms() -> None:
    text = plan_with("30000-30099", '{ port = 30001, name = "a" }', 'platforms = ["linux"]')
    text = text.replace(
        'ports = "30000-30099"\n', 'ports = "30000-30099"\nplatforms = ["kubernetes-node"]\n', 1
    )
    assert "nodeport-range" in kinds_of(text)


# --- macOS AirPlay --------------------------------------------------------------------------


@pytest.mark.parametrize("port", [5000, 7000])
def test_airplay_ports_warn_on_macos_over_tcp_only(port: int) -> None:
    services = (
        f'{{ port = {port}, name = "web" }}, {{ port = {port}, name = "dns", protocol = "udp" }}'
    )
    (message,) = kinds_of(plan_with("4000-7999", services))["macos-airplay-port"]
    assert message.startswith(f"P/T/web: port {port} is held by macOS's AirPlay Receiver")
    linux_only = plan_with("4000-7999", services, 'platforms = ["linux"]')
    assert "macos-airplay-port" not in kinds_of(linux_only)


# --- known occupants ------------------------------------------------------------------------


def test_a_known_default_port_is_an_info_naming_the_tool() -> None:
    found = kinds_of(plan_with("5000-5999", '{ port = 5432, name = "db" }'))
    assert found["known-occupant"] == [
        "P/T/db: port 5432 is PostgreSQL's default: a local PostgreSQL will hold it"
    ]
    shared = kinds_of(plan_with("3000-3999", '{ port = 3000, name = "ui" }'))["known-occupant"]
    assert "Create React App, Rails, Grafana and Next.js" in shared[0]


def test_every_known_occupant_has_a_source_and_the_brief_s_ports_are_there() -> None:
    ports = {occupant.port for occupant in KNOWN_OCCUPANTS}
    expected = {5432, 3306, 6379, 27017, 5672, 15672, 9092, 9200, 5173, 3000, 5000, 8000}
    assert expected | {8888, 10350, 12434, 9090} <= ports
    assert all(occupant.source and 0 < occupant.port < 65536 for occupant in KNOWN_OCCUPANTS)


# --- Linux ip_local_reserved_ports ----------------------------------------------------------


def test_reserved_ports_parse_the_kernel_s_comma_list() -> None:
    assert parse_reserved_ports("\n") == ()
    assert parse_reserved_ports("46000-46999,36000-36999,36500\n") == RESERVED
    assert parse_reserved_ports("8080,8081-8082") == (PortRange(8080, 8082),)
    with pytest.raises(ValueError):
        parse_reserved_ports("8080;9090")


def test_an_unreadable_reservation_file_reads_as_nothing(tmp_path: Path) -> None:
    assert read_linux_reserved_ports(tmp_path / "missing") == ()
    (tmp_path / "odd").write_text("banana\n", encoding="ascii")
    assert read_linux_reserved_ports(tmp_path / "odd") == ()
    (tmp_path / "ok").write_text("36000-36999\n", encoding="ascii")
    assert read_linux_reserved_ports(tmp_path / "ok") == (PortRange(36000, 36999),)


def test_reference_plan_ranges_reserved_in_the_kernel_are_safe(reference_plan_path: Path) -> None:
    plan = load(reference_plan_path)
    before = [
        f for f in analyze(plan, Environment(DEFAULT_EPHEMERAL)) if f.kind == "ephemeral-port"
    ]
    assert {f.subjects[0].split("/")[0] for f in before} == {"SigmaVault (ΣVAULT)", "Ryot LLM"}
    pinned = Environment(DEFAULT_EPHEMERAL, RESERVED)
    after = analyze(plan, pinned)
    assert [f for f in after if f.kind == "ephemeral-port"] == []
    safe = [f for f in after if f.kind == "kernel-reserved-port"]
    assert {f.severity for f in safe} == {"info"}
    assert {f.message.split(":")[0] for f in safe} == {"SigmaVault (ΣVAULT)", "Ryot LLM"}
    assert all("reserved in the kernel" in f.message and f.message.endswith("safe") for f in safe)


def test_a_partial_reservation_leaves_the_rest_of_the_range_warned() -> None:
    services = '{ port = 36000, name = "a" }, { port = 36500, name = "b" }'
    found = kinds_of(
        plan_with("36000-36999", services),
        Environment(DEFAULT_EPHEMERAL, (PortRange(36000, 36099),)),
    )
    assert found["kernel-reserved-port"] == [
        "P: 1 service on 36000 is inside the Linux ephemeral range 32768-60999 but reserved "
        "in the kernel (net.ipv4.ip_local_reserved_ports): safe"
    ]
    (warning,) = found["ephemeral-port"]
    assert warning.startswith("P: 1 service on 36500 is inside the Linux ephemeral range")


def test_a_kernel_reserved_port_is_one_next_may_hand_out() -> None:
    plan = loads(plan_with("36000-36999", ""))
    assert not PortFacts(plan, Environment(DEFAULT_EPHEMERAL)).is_clean_for_a_new_service(36001)
    reserved = PortFacts(plan, Environment(DEFAULT_EPHEMERAL, RESERVED))
    assert reserved.is_clean_for_a_new_service(36001)
    assert [h.kind for h in reserved.hazards(36001)] == ["kernel-reserved-port"]


# --- Windows excluded port ranges -----------------------------------------------------------


def test_netsh_output_is_parsed_with_the_administered_marker() -> None:
    assert read_netsh_file(FIXTURES / "hyperv_16000.txt") == (
        ExcludedRange(PortRange(1388, 1487)),
        ExcludedRange(PortRange(5357, 5357)),
        ExcludedRange(PortRange(16000, 16099)),
        ExcludedRange(PortRange(50000, 50059), administered=True),
    )
    assert read_netsh_file(FIXTURES / "none_excluded.txt") == ()


def test_powershell_s_utf16_redirect_is_read_too() -> None:
    ranges = read_netsh_file(FIXTURES / "powershell_utf16.txt")
    assert [str(r.ports) for r in ranges] == ["1388-1487", "5357", "50000-50059"]


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("hello\n", "not the output of `netsh"),
        (
            "Start Port    End Port\n----------    --------\n  5000  banana\n",
            "line 3: '5000  banana'",
        ),
        (
            "Start Port    End Port\n----------    --------\n  5000  4000\n",
            "4000 is not a port range",
        ),
        (
            "Start Port    End Port\n----------    --------\n  5000  70000\n",
            "70000 is not a port range",
        ),
    ],
)
def test_a_file_that_is_not_netsh_output_gets_one_sentence(text: str, problem: str) -> None:
    with pytest.raises(ReadingError, match="saved.txt") as raised:
        parse_netsh_excluded(text, "saved.txt")
    assert problem in str(raised.value)


def test_windows_excluded_ranges_flag_the_services_in_them(reference_plan_path: Path) -> None:
    excluded = read_netsh_file(FIXTURES / "hyperv_16000.txt")
    findings = analyze(load(reference_plan_path), Environment(DEFAULT_EPHEMERAL, (), excluded))
    flagged = [f for f in findings if f.kind == "windows-excluded-port"]
    assert flagged and all(f.subjects[0].startswith("NEURECTOMY/") for f in flagged)
    assert "NEURECTOMY/Application Tier/Spectrum Workspace" in {f.subjects[0] for f in flagged}
    assert "excluded on Windows (16000-16099, Hyper-V/WinNAT" in flagged[0].message


@pytest.mark.usefixtures("pinned_ephemeral")
def test_the_check_command_reads_a_saved_netsh_output(
    reference_plan_path: Path, run_cli: object
) -> None:
    saved = str(FIXTURES / "hyperv_16000.txt")
    code, out, _ = run_cli("check", str(reference_plan_path), "--windows-excluded", saved)  # type: ignore[operator]
    assert (
        "NEURECTOMY/Application Tier/Spectrum Workspace: port 16000 is excluded on Windows" in out
    )
    code, out, err = run_cli("check", str(reference_plan_path), "--windows-excluded", str(FIXTURES))  # type: ignore[operator]
    assert code != 0 and "cannot read" in err and "Traceback" not in err


def test_the_pinned_ranges_of_each_system() -> None:
    assert LINUX_DEFAULT.platforms == frozenset({"linux"})
    assert WINDOWS_MACOS.platforms == frozenset({"windows", "macos"})
