"""The port-facts model: who holds a port, which reserved entries, which hazards and why."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from portplan.analysis import analyze
from portplan.environment import Environment
from portplan.hazards import (
    BROWSER_BAD_PORTS,
    FREEBSD_DEFAULT,
    LINUX_DEFAULT,
    WINDOWS_MACOS,
    EphemeralRange,
)
from portplan.model import Plan, PortRange
from portplan.os_reservations import ExcludedRange
from portplan.plan_index import PlanIndex
from portplan.portfacts import (
    ANY_PROTOCOL,
    HAZARD_KINDS,
    Hazard,
    HazardKind,
    HazardTable,
    PortFacts,
    hazard_table,
)
from portplan.rules import RULES, HazardRule
from portplan.scan.drift import PlanPorts
from portplan.store import loads

PINNED = (LINUX_DEFAULT, WINDOWS_MACOS)
# Every reading set, so that every kind of the registry has hazards in it.
READINGS = Environment(
    (LINUX_DEFAULT, WINDOWS_MACOS, FREEBSD_DEFAULT),
    (PortRange(36000, 36999),),
    (ExcludedRange(PortRange(16000, 16099)),),
)

PLAN = """
reserved = [{ ports = "5060-5061", reason = "SIP" }, { ports = "5000-5100", reason = "lab" }]

[[projects]]
name = "A"
ports = "5000-5999"

[[projects.tiers]]
name = "web"
ports = "5000-5099"
services = [
    { port = 5001, name = "one" },
    { port = 5001, name = "dns", protocol = "udp" },
    { port = 5060, name = "sip", protocol = "udp" },
]

[[projects]]
name = "B"
ports = "5500-6500"
"""


def kinds(hazards: list[Hazard]) -> list[str]:
    return [hazard.kind for hazard in hazards]


def test_every_registered_kind_is_a_rule_and_words_its_hazards_alike() -> None:
    rule_kinds = [rule.kind for rule in RULES if isinstance(rule, HazardRule)]
    assert rule_kinds == [kind.kind for kind in HAZARD_KINDS]
    for kind in HAZARD_KINDS:
        hazards = list(kind.hazards(READINGS))
        assert hazards, kind.kind
        for hazard in hazards:
            assert (hazard.kind, hazard.severity) == (kind.kind, kind.severity)
            # "port N is …" and "ports A-B are …" must both read.
            assert hazard.reason.startswith("is ") and hazard.plural_reason.startswith("are ")
            assert hazard.source and "\n" not in hazard.reason


def test_browser_blocked_ports_are_a_tcp_hazard_only() -> None:
    table = hazard_table(PINNED)
    for port in sorted(BROWSER_BAD_PORTS):
        assert "browser-blocked-port" in kinds(table.at(port, "tcp")), port
        assert "browser-blocked-port" not in kinds(table.at(port, "udp")), port
    assert "ERR_UNSAFE_PORT" in table.at(6000, "tcp")[0].sentence(6000)
    assert table.at(6001, "tcp") == []


@pytest.mark.parametrize(
    ("port", "privileged"), [(0, False), (1, True), (80, True), (1023, True), (1024, False)]
)
def test_privileged_ports_are_1_to_1023_over_either_protocol(port: int, privileged: bool) -> None:
    for protocol in ("tcp", "udp"):
        found = "privileged-port" in kinds(hazard_table(PINNED).at(port, protocol))
        assert found == privileged


def test_each_ephemeral_range_is_its_own_hazard_with_inclusive_bounds() -> None:
    table = hazard_table(PINNED).of_kind("ephemeral-port")
    assert table.at(32767, "tcp") == []
    linux = table.at(32768, "udp")
    assert kinds(linux) == ["ephemeral-port"] and "Linux" in linux[0].reason
    both = table.at(50000, "tcp")
    assert [h.ports for h in both] == [LINUX_DEFAULT.ports, WINDOWS_MACOS.ports]
    assert table.at(60999, "tcp")[0].ports == LINUX_DEFAULT.ports
    assert [h.ports for h in table.at(61000, "tcp")] == [WINDOWS_MACOS.ports]
    assert [h.ports for h in table.at(65535, "tcp")] == [WINDOWS_MACOS.ports]


def test_hazards_of_a_port_come_in_the_registry_order() -> None:
    # 22 is browser-blocked (a single port) and privileged (a range) at once.
    assert kinds(hazard_table(PINNED).at(22, "tcp")) == ["browser-blocked-port", "privileged-port"]
    narrow = (EphemeralRange("Test", PortRange(1, 100), "pinned"),)
    assert kinds(hazard_table(narrow).at(22, "tcp")) == [
        "browser-blocked-port",
        "ephemeral-port",
        "privileged-port",
    ]


def test_a_new_kind_of_hazard_is_one_registry_entry() -> None:
    # What a later kind needs: one HazardKind, nothing else.
    def lab_ports(_: object) -> Iterator[Hazard]:
        yield Hazard(
            "lab-port",
            "warning",
            PortRange(30000, 32767),
            ANY_PROTOCOL,
            "is inside the lab's range 30000-32767",
            "the lab's wiki",
        )

    entry = HazardKind(
        "lab-port", "warning", "a lab port", False, lab_ports, "lab", symbol="λ", label="lab"
    )
    table = HazardTable(entry.hazards(READINGS))
    assert kinds(table.at(30001, "udp")) == ["lab-port"]
    plan = Plan.model_validate(
        {
            "projects": [
                {
                    "name": "K",
                    "ports": "30000-30100",
                    "tiers": [
                        {
                            "name": "T",
                            "ports": "30000-30100",
                            "services": [{"port": 30001, "name": "x"}],
                        }
                    ],
                }
            ]
        }
    )
    index = PlanIndex(plan, PINNED, PlanIndex.build(plan, PINNED).entries, kinds=(entry,))
    (finding,) = HazardRule(entry).check(index)
    assert finding.kind == "lab-port"
    assert finding.message == "K/T/x: port 30001 is inside the lab's range 30000-32767"


def test_facts_answer_who_holds_a_port_and_what_reserves_it() -> None:
    facts = PortFacts(loads(PLAN), PINNED)
    assert [h.path for h in facts.holders(5001)] == ["A/web/one", "A/web/dns"]
    assert [h.path for h in facts.holders(5001, "udp")] == ["A/web/dns"]
    assert [entry.reason for entry in facts.reserved(5060)] == ["lab", "SIP"]
    assert [p.name for p in facts.projects_holding(5600)] == ["A", "B"]
    assert [(p.name, t.name) for p, t in facts.tiers_holding(5050)] == [("A", "web")]
    assert not facts.is_clean_for_a_new_service(5001)
    assert not facts.is_clean_for_a_new_service(5090)  # reserved "lab"
    assert not facts.is_clean_for_a_new_service(6000)  # browser-blocked (X11)
    assert facts.is_clean_for_a_new_service(5200)


def test_check_and_scan_say_the_same_sentence_for_a_hazard() -> None:
    plan = loads(PLAN.replace('ports = "5000-5099"', 'ports = "5000-6100"').replace(
        '{ port = 5001, name = "one" },', '{ port = 6000, name = "x11" },'
    ))  # fmt: skip
    (finding,) = [f for f in analyze(plan, PINNED) if f.kind == "browser-blocked-port"]
    (verdict,) = [
        v for v in PlanPorts(plan, PINNED).verdicts(6000, "tcp", None) if v.kind == finding.kind
    ]
    assert finding.message == f"A/web/x11: port 6000 {verdict.reason}"


def test_a_udp_service_on_a_browser_blocked_port_is_not_warned_about(
    tmp_path: Path, run_cli: object
) -> None:
    # Fetch blocks HTTP(S), which is TCP: `check` agrees with `scan` on this since issue 9.
    plan = PLAN.replace('reserved = [{ ports = "5060-5061", reason = "SIP" }, ', "reserved = [")
    plan = plan.replace('{ ports = "5000-5100", reason = "lab" }', "")
    path = tmp_path / "plan.toml"
    path.write_text(plan, encoding="utf-8")
    code, out, _ = run_cli("check", str(path), "--format", "json")  # type: ignore[operator]
    assert "browser-blocked-port" not in out
    tcp = path.read_text(encoding="utf-8").replace('name = "sip", protocol = "udp"', 'name = "sip"')
    path.write_text(tcp, encoding="utf-8")
    code, out, _ = run_cli("check", str(path), "--format", "json")  # type: ignore[operator]
    assert "browser-blocked-port" in out and "A/web/sip" in out
