"""`where` lists every fact of a port; `next` says which hazard keeps free ports back and how
to accept it (`--allow`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

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
    assert code == 1 and "every other port is taken" in err


def test_next_avoids_known_occupants(tmp_path: Path, run_cli: object) -> None:
    plan = tmp_path / "plan.toml"
    text = NODES.replace("30000-30009", "5430-5439").replace("30000", "5430")
    plan.write_text(text.replace(', "kubernetes-node"', ""), encoding="utf-8")
    code, out, _ = run_cli("next", "K/T", str(plan), "-n", "3")  # type: ignore[operator]
    assert code == 0 and out.split() == ["5431", "5433", "5434"]
