from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from portplan.changes import PLAN_WIDE, diff_plans, group_by_project
from portplan.edits import EditService, MoveService, Rebase, ReleaseService, ReserveService
from portplan.model import Plan, PortRange, Project, Reserved, Service, ServiceRef, Tier
from portplan.store import load

REFERENCE_PLAN = Path(__file__).resolve().parents[1] / "data" / "ports.toml"


@pytest.fixture
def plan() -> Plan:
    return load(REFERENCE_PLAN)


def changed(plan: Plan) -> Plan:
    return plan.model_copy(deep=True)


def test_equal_plans_have_no_changes(plan: Plan) -> None:
    assert diff_plans(plan, changed(plan)) == []


def test_reordering_is_not_a_change(plan: Plan) -> None:
    after = changed(plan)
    after.projects.reverse()
    after.projects[0].tiers.reverse()
    after.projects[0].tiers[0].services.reverse()
    assert diff_plans(plan, after) == []


def test_rebase_lists_every_range_and_service_old_to_new(plan: Plan) -> None:
    after = changed(plan)
    Rebase("NEURECTOMY", 17000).apply(after)
    changes = diff_plans(plan, after)
    project = plan.project("NEURECTOMY")
    moved = {c.subject: (c.old, c.new) for c in changes if c.kind == "moved"}
    assert moved == {
        f"NEURECTOMY/{tier.name}/{service.name}": (str(service.port), str(service.port + 1000))
        for tier in project.tiers
        for service in tier.services
    }
    ranges = [c for c in changes if c.kind == "range"]
    assert [c.subject for c in ranges] == ["NEURECTOMY"] + [
        f"NEURECTOMY/{tier.name}" for tier in project.tiers
    ]
    assert ranges[0].text == "range 16000-16999 → 17000-17999"
    assert {c.project for c in changes} == {"NEURECTOMY"}


def test_changes_follow_the_plan_order_within_a_project(plan: Plan) -> None:
    after = changed(plan)
    Rebase("NEURECTOMY", 17000).apply(after)
    subjects = [c.subject for c in diff_plans(plan, after)]
    expected = ["NEURECTOMY"]
    for tier in plan.project("NEURECTOMY").tiers:
        expected.append(f"NEURECTOMY/{tier.name}")
        expected += [f"NEURECTOMY/{tier.name}/{s.name}" for s in tier.services]
    assert subjects == expected


def test_reserved_released_and_renamed(plan: Plan) -> None:
    after = changed(plan)
    ReserveService("NEURECTOMY", "API Tier", Service(port=16084, name="Auth API")).apply(after)
    ReleaseService(ServiceRef("NEURECTOMY", "API Tier", "WebSocket Server")).apply(after)
    EditService(
        ServiceRef("NEURECTOMY", "API Tier", "ML Service"),
        "Model Service",
        "Python FastAPI ML service",
    ).apply(after)
    changes = diff_plans(plan, after)
    assert [(c.kind, c.subject, c.old, c.new) for c in changes] == [
        ("renamed", "NEURECTOMY/API Tier/Model Service", "ML Service", "Model Service"),
        ("reserved", "NEURECTOMY/API Tier/Auth API", "", "16084"),
        ("released", "NEURECTOMY/API Tier/WebSocket Server", "16083", ""),
    ]
    assert changes[0].text == "API Tier/ML Service → Model Service (16081)"


def test_a_rename_needs_a_unique_partner() -> None:
    tier = Tier(
        name="T",
        ports=PortRange(1, 10),
        services=[
            Service(port=5, name="a"),
            Service(port=5, name="b", protocol="udp"),
        ],
    )
    before = Plan(projects=[Project(name="P", ports=PortRange(1, 10), tiers=[tier])])
    after = before.model_copy(deep=True)
    after.projects[0].tiers[0].services = [Service(port=5, name="c"), Service(port=5, name="d")]
    # Two new TCP services on port 5: which one "a" became is a guess, so none is made.
    kinds = sorted(c.kind for c in diff_plans(before, after))
    assert kinds == ["released", "released", "reserved", "reserved"]
    after.projects[0].tiers[0].services[1].protocol = "udp"
    renames = [(c.old, c.new) for c in diff_plans(before, after) if c.kind == "renamed"]
    assert renames == [("a", "c"), ("b", "d")]


def test_a_service_moved_to_another_tier_keeps_its_name(plan: Plan) -> None:
    after = changed(plan)
    MoveService(
        ServiceRef("NEURECTOMY", "API Tier", "ML Service"), 16601, to_tier="AI/ML Services"
    ).apply(after)
    (change,) = diff_plans(plan, after)
    assert change.kind == "moved"
    assert change.subject == "NEURECTOMY/AI/ML Services/ML Service"
    assert (change.old, change.new) == ("16081 (API Tier)", "16601 (AI/ML Services)")


def test_protocol_and_description_changes(plan: Plan) -> None:
    after = changed(plan)
    service = after.project("NEURECTOMY").tiers[0].services[0]
    service.protocol = "udp"
    service.description = "new"
    kinds = [(c.kind, c.old, c.new) for c in diff_plans(plan, after)]
    assert kinds == [("protocol", "tcp", "udp"), ("description", "Frontend Vite dev server", "new")]


def test_projects_and_tiers_added_and_removed(plan: Plan) -> None:
    after = changed(plan)
    removed = after.projects.pop(0)
    after.projects.append(
        Project(
            name="New",
            ports=PortRange(50000, 50999),
            tiers=[
                Tier(
                    name="Web",
                    ports=PortRange(50000, 50099),
                    services=[Service(port=50000, name="UI")],
                )
            ],
        )
    )
    after.projects[0].tiers.pop()
    changes = diff_plans(plan, after)
    groups = group_by_project(changes)
    assert list(groups) == ["SigmaLang (ΣLANG)", "New", removed.name]
    assert [c.kind for c in groups["New"]] == ["added", "added", "reserved"]
    assert groups["New"][1].text == "Web: tier added (50000-50099)"
    sigma = groups["SigmaLang (ΣLANG)"]
    assert sigma[0].kind == "removed" and sigma[0].subject == "SigmaLang (ΣLANG)/Observability"
    assert [c.kind for c in sigma[1:]] == ["released", "released"]
    gone = groups[removed.name]
    assert gone[0].kind == "removed"
    assert sum(c.kind == "released" for c in gone) == sum(len(t.services) for t in removed.tiers)


def test_project_range_description_and_paths(plan: Plan) -> None:
    after = changed(plan)
    project = after.projects[0]
    project.description, project.paths = "changed", ["src"]
    project.tiers[0].description = "front"
    kinds = [c.kind for c in diff_plans(plan, after)]
    assert kinds == ["description", "paths", "description"]


def test_plan_wide_changes_come_first(plan: Plan) -> None:
    after = changed(plan)
    after.version, after.updated = "2.1", dt.date(2026, 1, 2)
    after.reserved[0].reason = "System"
    after.reserved.append(Reserved(ports=PortRange(5000, 5000), reason="AirPlay"))
    del after.reserved[1]
    after.projects[0].tiers[0].services[0].port = 16002
    changes = diff_plans(plan, after)
    assert [(c.project, c.kind, c.subject) for c in changes] == [
        (PLAN_WIDE, "metadata", "version"),
        (PLAN_WIDE, "metadata", "updated"),
        (PLAN_WIDE, "reservation-changed", "reserved 0-1023"),
        (PLAN_WIDE, "reservation-added", "reserved 5000"),
        (PLAN_WIDE, "reservation-removed", "reserved 1024-3000"),
        ("NEURECTOMY", "moved", "NEURECTOMY/Application Tier/Spectrum Workspace"),
    ]
    assert changes[1].text == "updated: '2025-12-18' → '2026-01-02'"


def test_every_change_has_one_line_text(plan: Plan, tmp_path: Path) -> None:
    after = changed(plan)
    Rebase("SigmaLang (ΣLANG)", 27000, tier="API Tier").apply(after)
    after.projects[0].tiers[0].services[0].description = "two\nlines"
    for change in diff_plans(plan, after):
        assert "\n" not in change.text.replace("\\n", "")
        assert change.as_dict()["text"] == change.text
