"""One test group per rule in the rules table, then the reference plan's known mistakes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from portplan.analysis import analyze
from portplan.findings import Finding
from portplan.hazards import (
    DEFAULT_EPHEMERAL,
    LINUX_DEFAULT,
    WINDOWS_MACOS,
    EphemeralRange,
    ephemeral_ranges,
    read_linux_ephemeral_range,
)
from portplan.model import Plan, PortRange
from portplan.plan_index import PlanIndex
from portplan.rules import (
    RULES,
    DuplicatePort,
    EmptyTier,
    HazardRule,
    ProjectOnReserved,
    ProjectOverlap,
    Rule,
    ServiceOnReserved,
    ServiceOutsideProject,
    ServiceOutsideTier,
    TierOutsideProject,
    TierOverlap,
)
from portplan.store import load

REFERENCE_PLAN = Path(__file__).resolve().parents[1] / "data" / "ports.toml"
# Pinned, so the results never depend on this machine's /proc value.
PINNED = (LINUX_DEFAULT, WINDOWS_MACOS)


def svc(port: int, name: str, protocol: str = "tcp") -> dict[str, Any]:
    return {"port": port, "name": name, "protocol": protocol}


def tier(name: str, ports: str, *services: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "ports": ports, "services": list(services)}


def project(name: str, ports: str, *tiers: dict[str, Any]) -> dict[str, Any]:
    return {"name": name, "ports": ports, "tiers": list(tiers)}


def make_plan(*projects: dict[str, Any], reserved: tuple[tuple[str, str], ...] = ()) -> Plan:
    return Plan.model_validate(
        {
            "title": "test",
            "reserved": [{"ports": ports, "reason": reason} for ports, reason in reserved],
            "projects": list(projects),
        }
    )


def run(rule: Rule, plan: Plan, ephemeral: tuple[EphemeralRange, ...] = PINNED) -> list[Finding]:
    findings = list(rule.check(PlanIndex.build(plan, ephemeral)))
    for finding in findings:
        assert finding.kind == rule.kind
        assert finding.severity == rule.severity
        assert "\n" not in finding.message
    return findings


def shape(findings: list[Finding]) -> set[tuple[frozenset[int], frozenset[str]]]:
    return {(frozenset(f.ports), frozenset(f.subjects)) for f in findings}


def hazard_rule(kind: str) -> Rule:
    """The rules table's rule for one kind of the facts model's hazard registry."""
    return next(rule for rule in RULES if isinstance(rule, HazardRule) and rule.kind == kind)


def test_every_rule_in_the_table_is_tested_here() -> None:
    tested = {
        DuplicatePort, ServiceOutsideProject, ServiceOutsideTier, TierOutsideProject,
        ProjectOverlap, TierOverlap, ServiceOnReserved, ProjectOnReserved, HazardRule, EmptyTier,
    }  # fmt: skip
    assert {type(rule) for rule in RULES} == tested
    kinds = [rule.kind for rule in RULES]
    assert len(kinds) == len(set(kinds))
    hazard_kinds = {rule.kind for rule in RULES if isinstance(rule, HazardRule)}
    assert hazard_kinds == {
        "browser-blocked-port",
        "ephemeral-port",
        "privileged-port",
        "kernel-reserved-port",
        "nodeport-range",
        "macos-airplay-port",
        "windows-excluded-port",
        "known-occupant",
    }


# --- duplicate-port ------------------------------------------------------------------------


def test_duplicate_port_across_projects_is_one_error_naming_both() -> None:
    plan = make_plan(
        project("A", "20000-20999", tier("T", "20000-20999", svc(20500, "x"))),
        project("B", "21000-21999", tier("U", "21000-21999", svc(20500, "y"))),
    )
    findings = run(DuplicatePort(), plan)
    assert shape(findings) == {(frozenset({20500}), frozenset({"A/T/x", "B/U/y"}))}
    assert findings[0].severity == "error"


def test_duplicate_port_three_services_is_one_finding() -> None:
    plan = make_plan(
        project(
            "A",
            "20000-20999",
            tier("T", "20000-20999", svc(20001, "a"), svc(20001, "b"), svc(20001, "c")),
        )
    )
    assert shape(run(DuplicatePort(), plan)) == {
        (frozenset({20001}), frozenset({"A/T/a", "A/T/b", "A/T/c"}))
    }


def test_same_port_on_different_protocols_is_no_duplicate() -> None:
    plan = make_plan(
        project(
            "A",
            "20000-20999",
            tier("T", "20000-20999", svc(20001, "a", "tcp"), svc(20001, "b", "udp")),
        )
    )
    assert run(DuplicatePort(), plan) == []


def test_distinct_ports_are_no_duplicate() -> None:
    plan = make_plan(
        project("A", "20000-20999", tier("T", "20000-20999", svc(20001, "a"), svc(20002, "b")))
    )
    assert run(DuplicatePort(), plan) == []


def bound(port: int, name: str, bind: str | None) -> dict[str, Any]:
    return {**svc(port, name), **({"bind": bind} if bind is not None else {})}


def test_same_port_on_different_specific_addresses_is_no_duplicate() -> None:
    plan = make_plan(
        project(
            "A",
            "20000-20999",
            tier(
                "T",
                "20000-20999",
                bound(20001, "a", "127.0.0.1"),
                bound(20001, "b", "192.168.1.100"),
                bound(20001, "c", "::1"),
            ),
        )
    )
    assert run(DuplicatePort(), plan) == []


def test_same_specific_address_collides_however_it_is_spelled() -> None:
    plan = make_plan(
        project(
            "A",
            "20000-20999",
            tier(
                "T",
                "20000-20999",
                bound(20001, "a", "::1"),
                bound(20001, "b", "0:0:0:0:0:0:0:1"),
                bound(20001, "c", "127.0.0.1"),
            ),
        )
    )
    assert shape(run(DuplicatePort(), plan)) == {
        (frozenset({20001}), frozenset({"A/T/a", "A/T/b"}))
    }


def test_a_service_on_every_interface_collides_with_each_specific_address() -> None:
    plan = make_plan(
        project(
            "A",
            "20000-20999",
            tier(
                "T",
                "20000-20999",
                bound(20001, "a", "127.0.0.1"),
                bound(20001, "b", "192.168.1.100"),
                bound(20001, "all", "0.0.0.0"),
            ),
        )
    )
    assert shape(run(DuplicatePort(), plan)) == {
        (frozenset({20001}), frozenset({"A/T/a", "A/T/b", "A/T/all"}))
    }


# --- service-outside-project / service-outside-tier ----------------------------------------


def test_service_outside_project_is_an_error() -> None:
    plan = make_plan(project("A", "20000-20099", tier("T", "20000-20049", svc(20100, "far"))))
    findings = run(ServiceOutsideProject(), plan)
    assert shape(findings) == {(frozenset({20100}), frozenset({"A/T/far"}))}
    # The stronger finding replaces the tier one: no second error for the same mistake.
    assert run(ServiceOutsideTier(), plan) == []


def test_service_on_project_bounds_is_inside() -> None:
    plan = make_plan(
        project("A", "20000-20099", tier("T", "20000-20099", svc(20000, "lo"), svc(20099, "hi")))
    )
    assert run(ServiceOutsideProject(), plan) == []


def test_service_outside_tier_but_inside_project_is_an_error() -> None:
    plan = make_plan(
        project("A", "20000-20099", tier("T", "20000-20049", svc(20050, "x"), svc(20049, "ok")))
    )
    findings = run(ServiceOutsideTier(), plan)
    assert shape(findings) == {(frozenset({20050}), frozenset({"A/T/x"}))}
    assert "outside its tier" in findings[0].message


def test_service_on_tier_bounds_is_inside() -> None:
    plan = make_plan(
        project("A", "20000-20099", tier("T", "20010-20019", svc(20010, "lo"), svc(20019, "hi")))
    )
    assert run(ServiceOutsideTier(), plan) == []


# --- tier-outside-project -----------------------------------------------------------------


def test_tier_sticking_out_of_its_project_is_an_error() -> None:
    plan = make_plan(project("A", "20000-20099", tier("T", "20050-20150")))
    findings = run(TierOutsideProject(), plan)
    assert shape(findings) == {(frozenset({20050, 20150}), frozenset({"A/T"}))}


def test_tier_equal_to_its_project_range_is_inside() -> None:
    plan = make_plan(project("A", "20000-20099", tier("T", "20000-20099")))
    assert run(TierOutsideProject(), plan) == []


# --- project-overlap ----------------------------------------------------------------------


def test_overlapping_projects_are_an_error_with_the_shared_range() -> None:
    plan = make_plan(project("A", "20000-20099"), project("B", "20050-20199"))
    findings = run(ProjectOverlap(), plan)
    assert shape(findings) == {(frozenset({20050, 20099}), frozenset({"A", "B"}))}
    assert "20050-20099" in findings[0].message


def test_every_overlapping_project_pair_is_reported() -> None:
    plan = make_plan(
        project("A", "20000-20999"),
        project("B", "20100-20199"),
        project("C", "20150-20160"),
        project("D", "30000-30099"),
    )
    assert {frozenset(f.subjects) for f in run(ProjectOverlap(), plan)} == {
        frozenset({"A", "B"}),
        frozenset({"A", "C"}),
        frozenset({"B", "C"}),
    }


def test_adjacent_projects_do_not_overlap() -> None:
    plan = make_plan(project("A", "20000-20099"), project("B", "20100-20199"))
    assert run(ProjectOverlap(), plan) == []


# --- tier-overlap -------------------------------------------------------------------------


def test_overlapping_tiers_of_one_project_are_a_warning() -> None:
    plan = make_plan(
        project("A", "20000-20999", tier("App", "20000-20099"), tier("API", "20080-20099"))
    )
    findings = run(TierOverlap(), plan)
    assert shape(findings) == {(frozenset({20080, 20099}), frozenset({"A/App", "A/API"}))}
    assert findings[0].severity == "warning"


def test_tiers_of_different_projects_are_not_compared() -> None:
    # The projects overlap (another rule's error); their tiers are not this rule's business.
    plan = make_plan(
        project("A", "20000-20999", tier("T", "20000-20099")),
        project("B", "20000-20999", tier("T", "20000-20099")),
    )
    assert run(TierOverlap(), plan) == []


def test_adjacent_tiers_do_not_overlap() -> None:
    plan = make_plan(
        project("A", "20000-20999", tier("T1", "20000-20099"), tier("T2", "20100-20199"))
    )
    assert run(TierOverlap(), plan) == []


# --- service-on-reserved ------------------------------------------------------------------


def test_service_on_a_reserved_port_is_an_error_naming_the_reason() -> None:
    plan = make_plan(
        project("A", "3000-3999", tier("T", "3000-3999", svc(3306, "db"), svc(3307, "ok"))),
        reserved=(("3306", "MySQL default"),),
    )
    findings = run(ServiceOnReserved(), plan)
    assert shape(findings) == {(frozenset({3306}), frozenset({"A/T/db", "reserved"}))}
    assert "MySQL default" in findings[0].message


def test_service_inside_several_reserved_ranges_is_one_finding_naming_each() -> None:
    plan = make_plan(
        project("A", "1000-1999", tier("T", "1000-1999", svc(1500, "x"))),
        reserved=(("1000-2000", "wide"), ("1400-1600", "narrow"), ("1501", "next door")),
    )
    findings = run(ServiceOnReserved(), plan)
    assert len(findings) == 1
    assert "wide" in findings[0].message and "narrow" in findings[0].message
    assert "next door" not in findings[0].message


def test_service_just_outside_a_reserved_range_is_fine() -> None:
    plan = make_plan(
        project("A", "2000-2999", tier("T", "2000-2999", svc(2000, "lo"), svc(2101, "hi"))),
        reserved=(("2001-2100", "taken"),),
    )
    assert run(ServiceOnReserved(), plan) == []


def test_no_reserved_entries_means_no_reserved_findings() -> None:
    plan = make_plan(project("A", "2000-2999", tier("T", "2000-2999", svc(2001, "x"))))
    assert run(ServiceOnReserved(), plan) == []


# --- project-on-reserved ------------------------------------------------------------------


def test_project_overlapping_a_reserved_range_is_a_warning() -> None:
    plan = make_plan(project("A", "1000-1999"), reserved=(("0-1023", "System/Well-known"),))
    findings = run(ProjectOnReserved(), plan)
    assert shape(findings) == {(frozenset({1000, 1023}), frozenset({"A", "reserved"}))}
    assert "System/Well-known" in findings[0].message


def test_reserved_entries_overlapping_each_other_are_not_a_project_finding() -> None:
    plan = make_plan(project("A", "20000-20999"), reserved=(("0-1023", "system"), ("80", "http")))
    assert run(ProjectOnReserved(), plan) == []


# --- browser-blocked-port -----------------------------------------------------------------


@pytest.mark.parametrize("port", [6000, 6665, 6669, 10080])
def test_browser_bad_port_is_a_warning_mentioning_err_unsafe_port(port: int) -> None:
    plan = make_plan(project("A", "1-65535", tier("T", "1-65535", svc(port, "web"))))
    findings = run(hazard_rule("browser-blocked-port"), plan)
    assert shape(findings) == {(frozenset({port}), frozenset({"A/T/web"}))}
    assert "ERR_UNSAFE_PORT" in findings[0].message


@pytest.mark.parametrize("port", [5999, 6001, 6664, 6670, 10079, 10081])
def test_ports_next_to_bad_ports_are_fine(port: int) -> None:
    plan = make_plan(project("A", "1-65535", tier("T", "1-65535", svc(port, "web"))))
    assert run(hazard_rule("browser-blocked-port"), plan) == []


# --- ephemeral-port -----------------------------------------------------------------------


def test_services_in_the_linux_range_give_one_finding_per_project() -> None:
    services = [svc(port, f"s{port}") for port in range(33000, 34000)]
    plan = make_plan(
        project("A", "32000-34999", tier("T", "32000-34999", svc(32767, "below"), *services)),
        project("B", "40000-40999", tier("T", "40000-40999", svc(40001, "b"))),
    )
    findings = run(hazard_rule("ephemeral-port"), plan)
    assert len(findings) == 2  # one per project, not one per port
    by_subjects = {frozenset(f.subjects): f for f in findings}
    a = by_subjects[frozenset(f"A/T/s{port}" for port in range(33000, 34000))]
    assert min(a.ports) == 33000 and max(a.ports) == 33999
    assert "Linux" in a.message and "1000 services" in a.message
    assert frozenset({"B/T/b"}) in by_subjects


def test_a_port_in_both_ranges_gets_a_finding_for_each_system() -> None:
    plan = make_plan(project("A", "50000-50999", tier("T", "50000-50999", svc(50000, "x"))))
    systems = {
        f.message.split(" ephemeral")[0].split("inside the ")[1]
        for f in run(hazard_rule("ephemeral-port"), plan)
    }
    assert systems == {"Linux", "Windows/macOS"}


def test_ephemeral_bounds_are_inclusive() -> None:
    plan = make_plan(
        project("A", "32760-32770", tier("T", "32760-32770", svc(32767, "out"), svc(32768, "in")))
    )
    assert shape(run(hazard_rule("ephemeral-port"), plan)) == {
        (frozenset({32768}), frozenset({"A/T/in"}))
    }


def test_the_ephemeral_ranges_passed_in_are_the_ones_used() -> None:
    plan = make_plan(project("A", "33000-33999", tier("T", "33000-33999", svc(33000, "x"))))
    narrow = (EphemeralRange("Linux", PortRange(40000, 41000), "pinned"),)
    assert run(hazard_rule("ephemeral-port"), plan, narrow) == []
    wide = (EphemeralRange("Linux", PortRange(30000, 35000), "pinned"),)
    assert len(run(hazard_rule("ephemeral-port"), plan, wide)) == 1


def test_live_linux_range_is_read_from_the_file(tmp_path: Path) -> None:
    good = tmp_path / "range"
    good.write_text("40000\t50000\n")
    live = read_linux_ephemeral_range(good)
    assert live is not None and live.ports == PortRange(40000, 50000)
    for text in ("garbage", "70000 80000", "5 1", ""):
        good.write_text(text)
        assert read_linux_ephemeral_range(good) is None
    assert read_linux_ephemeral_range(tmp_path / "missing") is None
    assert ephemeral_ranges(live=False) == DEFAULT_EPHEMERAL


# --- privileged-port ----------------------------------------------------------------------


def test_privileged_port_is_a_warning() -> None:
    plan = make_plan(project("A", "1-2000", tier("T", "1-2000", svc(1023, "x"), svc(1024, "y"))))
    findings = run(hazard_rule("privileged-port"), plan)
    assert shape(findings) == {(frozenset({1023}), frozenset({"A/T/x"}))}


# --- empty-tier ---------------------------------------------------------------------------


def test_tier_without_services_is_info() -> None:
    plan = make_plan(
        project(
            "A",
            "20000-20999",
            tier("Empty", "20000-20099"),
            tier("Full", "20100-20199", svc(20100, "x")),
        )
    )
    findings = run(EmptyTier(), plan)
    assert shape(findings) == {(frozenset(), frozenset({"A/Empty"}))}
    assert findings[0].severity == "info"


# --- analyze() ----------------------------------------------------------------------------


def test_analyze_orders_errors_before_warnings_before_info() -> None:
    plan = make_plan(
        project(
            "A",
            "1000-1999",
            tier("T", "1000-1099", svc(1023, "p"), svc(1500, "out")),
            tier("E", "1100-1199"),
        ),
    )
    severities = [finding.severity for finding in analyze(plan, PINNED)]
    assert severities == sorted(severities, key=["error", "warning", "info"].index)
    assert set(severities) == {"error", "warning", "info"}


def test_a_clean_plan_has_no_findings() -> None:
    plan = make_plan(
        project("A", "20000-20999", tier("T", "20000-20099", svc(20000, "a"), svc(20001, "b")))
    )
    assert analyze(plan, PINNED) == []


# --- the reference plan -------------------------------------------------------------------

OUTSIDE_TIER = {
    26500: "SigmaLang (ΣLANG)/Infrastructure/Redis",
    26600: "SigmaLang (ΣLANG)/Infrastructure/Model Server",
    36500: "SigmaVault (ΣVAULT)/Infrastructure/Redis",
    36600: "SigmaVault (ΣVAULT)/Infrastructure/MinIO",
    36601: "SigmaVault (ΣVAULT)/Infrastructure/MinIO Console",
    46500: "Ryot LLM/Infrastructure/Redis",
    46600: "Ryot LLM/Infrastructure/Ollama",
    10500: "DOPPELGANGER-STUDIO/Infrastructure/Redis",
    10517: "DOPPELGANGER-STUDIO/Infrastructure/MongoDB",
}
PROJECTS = {
    "NEURECTOMY": 16000,
    "SigmaLang (ΣLANG)": 26000,
    "SigmaVault (ΣVAULT)": 36000,
    "Ryot LLM": 46000,
    "DOPPELGANGER-STUDIO": 10000,
}


def test_reference_plan_gives_exactly_its_known_inconsistencies() -> None:
    findings = analyze(load(REFERENCE_PLAN), PINNED)
    seen = {(f.severity, f.kind, frozenset(f.subjects)) for f in findings}
    expected = {
        ("error", "service-outside-tier", frozenset({path})) for path in OUTSIDE_TIER.values()
    }
    expected |= {
        ("warning", "tier-overlap", frozenset({f"{name}/Application Tier", f"{name}/API Tier"}))
        for name in PROJECTS
    }
    expected.add(
        ("warning", "browser-blocked-port", frozenset({"DOPPELGANGER-STUDIO/API Tier/Main API"}))
    )
    assert len(findings) == len(seen)
    ephemeral = {f for f in findings if f.kind == "ephemeral-port"}
    assert seen - {(f.severity, f.kind, frozenset(f.subjects)) for f in ephemeral} == expected
    assert {f.subjects[0].split("/")[0] for f in ephemeral} == {"SigmaVault (ΣVAULT)", "Ryot LLM"}
    assert all("Linux" in f.message for f in ephemeral)
    assert len(ephemeral) == 2
    for finding in ephemeral:
        assert all(32768 <= port <= 60999 for port in finding.ports)


def test_reference_plan_finding_ports_are_the_ones_in_the_document() -> None:
    findings = analyze(load(REFERENCE_PLAN), PINNED)
    outside = {f.ports: f.subjects for f in findings if f.kind == "service-outside-tier"}
    assert outside == {(port,): (path,) for port, path in OUTSIDE_TIER.items()}
    overlaps = {f.ports for f in findings if f.kind == "tier-overlap"}
    assert overlaps == {(start + 80, start + 99) for start in PROJECTS.values()}
    assert [f.ports for f in findings if f.kind == "browser-blocked-port"] == [(10080,)]


def test_reference_plan_with_a_narrower_live_range_loses_the_ephemeral_warnings() -> None:
    # A machine tuned to 50000-60999 leaves SigmaVault and Ryot alone: the range is an input.
    narrow = (EphemeralRange("Linux", PortRange(50000, 60999), "live value"), WINDOWS_MACOS)
    kinds = {f.kind for f in analyze(load(REFERENCE_PLAN), narrow)}
    assert "ephemeral-port" not in kinds
