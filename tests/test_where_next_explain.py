"""`where` lists every fact of a port; `next` says which hazard keeps free ports back and how
to accept it (`--allow`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from portplan.portfacts import HAZARD_KINDS, KIND_BY_NAME

pytestmark = pytest.mark.usefixtures("pinned_ephemeral")

NODES = """
platforms = ["linux", "kubernetes-node"]

[[projects]]
name = "K"
ports = "30000-30009"

[[projects.tiers]]
name = "T"
ports = "30000-30009"
services = [{ port = 30000, name = "a" }]
"""


def test_where_5000_names_airplay_and_flask(reference_plan_path: Path, run_cli: object) -> None:
    code, out, _ = run_cli("where", "5000", str(reference_plan_path))  # type: ignore[operator]
    assert code == 1 and out.startswith("port 5000: free")
    assert "port 5000 is held by macOS's AirPlay Receiver" in out
    assert "port 5000 is Flask's default: a local Flask will hold it" in out
    code, out, _ = run_cli("where", "5000", str(reference_plan_path), "--format", "json")  # type: ignore[operator]
    result = json.loads(out)["result"]
    assert result["state"] == "free"
    assert [f["kind"] for f in result["facts"]] == ["macos-airplay-port", "known-occupant"]


def test_where_a_taken_port_in_a_windows_exclusion(
    reference_plan_path: Path, run_cli: object
) -> None:
    saved = str(Path(__file__).parent / "fixtures" / "netsh" / "hyperv_16000.txt")
    args = ("where", "16000", str(reference_plan_path), "--windows-excluded", saved)
    code, out, _ = run_cli(*args)  # type: ignore[operator]
    assert code == 0 and out.startswith("port 16000: taken")
    assert "port 16000 is excluded on Windows (16000-16099" in out


def test_next_explains_a_refusal_and_allow_accepts_it(tmp_path: Path, run_cli: object) -> None:
    plan = tmp_path / "plan.toml"
    plan.write_text(NODES, encoding="utf-8")
    code, out, err = run_cli("next", "K/T", str(plan))  # type: ignore[operator]
    assert code == 1 and out == ""
    assert "9 free port(s) carry nodeport-range" in err and "`--allow nodeport`" in err
    code, out, _ = run_cli("next", "K/T", str(plan), "--allow", "nodeport", "-n", "2")  # type: ignore[operator]
    assert code == 0 and out.split() == ["30001", "30002"]
    code, out, _ = run_cli("next", "K/T", str(plan), "--format", "json")  # type: ignore[operator]
    blocked = json.loads(out)["result"]["blocked"]
    assert blocked == [{"kind": "nodeport-range", "ports": 9, "allow": "nodeport"}]


def test_next_says_when_nothing_but_other_users_block(tmp_path: Path, run_cli: object) -> None:
    plan = tmp_path / "plan.toml"
    plan.write_text(NODES.replace('"30000-30009"', '"30000"'), encoding="utf-8")
    code, _, err = run_cli("next", "K/T", str(plan), "--allow", "nodeport")  # type: ignore[operator]
    assert code == 1 and err.splitlines()[1:] == ["  1 port(s) taken by the plan's services"]


def test_next_avoids_known_occupants(tmp_path: Path, run_cli: object) -> None:
    plan = tmp_path / "plan.toml"
    text = NODES.replace("30000-30009", "5430-5439").replace("30000", "5430")
    plan.write_text(text.replace(', "kubernetes-node"', ""), encoding="utf-8")
    code, out, _ = run_cli("next", "K/T", str(plan), "-n", "3")  # type: ignore[operator]
    assert code == 0 and out.split() == ["5431", "5433", "5434"]


SHAPES = """
reserved = [{ ports = "20005-20009", reason = "lab" }]

[[projects]]
name = "A"
ports = "20000-20019"

[[projects.tiers]]
name = "in"
ports = "20000-20009"
services = [{ port = 20000, name = "a" }, { port = 20001, name = "b" }]

[[projects.tiers]]
name = "out"
ports = "21000-21009"

[[projects]]
name = "B"
ports = "20002-20004"
"""


def test_next_explains_every_port_it_passes_over(tmp_path: Path, run_cli: object) -> None:
    plan = tmp_path / "plan.toml"
    plan.write_text(SHAPES, encoding="utf-8")
    # A/in (20000-20009): two services, B's 20002-20004, the lab's 20005-20009.
    code, out, err = run_cli("next", "A/in", str(plan))  # type: ignore[operator]
    assert code == 1 and out == ""
    assert err.splitlines() == [
        "portplan: A/in has no free port(s) that raise no finding",
        "  2 port(s) taken by the plan's services",
        "  5 port(s) in the plan's reserved entries",
        "  3 port(s) inside another project's range",
    ]
    code, _, err = run_cli("next", "A/out", str(plan))  # type: ignore[operator]
    assert code == 1 and err.splitlines()[1:] == [
        "  the tier's range 21000-21009 is not inside A's range 20000-20019: next offers none "
        "of it until it is"
    ]
    code, _, err = run_cli("next", "A", str(plan))  # type: ignore[operator]
    assert code == 1 and err.splitlines()[-1] == (
        "  10 port(s) of A (20000-20019) are in none of its tiers: next offers tiers' ports "
        "only (widen a tier, or add one)"
    )
    code, out, _ = run_cli("next", "A", str(plan), "--format", "json")  # type: ignore[operator]
    result = json.loads(out)["result"]
    assert result["passed_over"] == {"taken": 2, "reserved": 5, "other-project": 3}
    assert (result["in_no_tier"], result["tier_outside_project"]) == (10, False)


def test_next_on_the_reference_plan_accounts_for_every_port_it_considers(
    reference_plan_path: Path, run_cli: object
) -> None:
    # SigmaVault's tiers hold 300 ports: 8 taken, the other 292 Linux-ephemeral.
    code, out, err = run_cli("next", "SigmaVault", str(reference_plan_path))  # type: ignore[operator]
    assert code == 1 and out == ""
    lines = err.splitlines()[1:]
    assert lines[0] == "  8 port(s) taken by the plan's services"
    assert lines[1].startswith("  292 free port(s) carry ephemeral-port")
    assert lines[2].startswith("  700 port(s) of SigmaVault (ΣVAULT) (36000-36999) are in none")


# For each kind of hazard that keeps a port from `next`: a one-port tier that has it (and
# the platforms or readings that make it apply).
ONE_PORT_CASES = {
    "browser-blocked-port": ("6000", "", ()),
    "ephemeral-port": ("40000", "", ()),
    "privileged-port": ("80", "", ()),
    "nodeport-range": ("30000", 'platforms = ["linux", "kubernetes-node"]', ()),
    "macos-airplay-port": ("7000", 'platforms = ["macos"]', ()),
    "windows-excluded-port": (
        "16050",
        'platforms = ["windows"]',
        ("--windows-excluded", str(Path(__file__).parent / "fixtures/netsh/hyperv_16000.txt")),
    ),
    "known-occupant": ("5432", "", ()),
}


def test_every_kind_that_keeps_ports_back_has_a_case_here() -> None:
    assert set(ONE_PORT_CASES) == {kind.kind for kind in HAZARD_KINDS if kind.refuses}


@pytest.mark.parametrize("kind", sorted(ONE_PORT_CASES))
def test_next_names_each_hazard_that_keeps_a_port_back(
    kind: str, tmp_path: Path, run_cli: object
) -> None:
    port, platforms, extra = ONE_PORT_CASES[kind]
    plan = tmp_path / "plan.toml"
    tier = f'name = "T"\nports = "{port}"'
    plan.write_text(
        f'{platforms}\n[[projects]]\nname = "P"\nports = "{port}"\n[[projects.tiers]]\n{tier}\n',
        encoding="utf-8",
    )
    code, out, err = run_cli("next", "P/T", str(plan), *extra)  # type: ignore[operator]
    allow = KIND_BY_NAME[kind].allow
    assert code == 1 and out == ""
    assert err.splitlines()[1].startswith(f"  1 free port(s) carry {kind} ("), err
    assert err.rstrip().endswith(f"hand them out anyway with `--allow {allow}`"), err
    code, out, _ = run_cli("next", "P/T", str(plan), *extra, "--allow", allow)  # type: ignore[operator]
    assert (code, out) == (0, f"{port}\n")
