"""Replaying a recovery copy's edits onto a file that changed since: the file's newer changes
stay, the copy's edits land, a part both changed takes the copy's version and is named."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given

from portplan.changes import diff_plans
from portplan.edits import MoveService
from portplan.model import Plan, ServiceRef
from portplan.replay import plan_parts, replay
from portplan.session import Session
from portplan.store import loads
from tests.plan_strategies import plans

TEXT = Path("data/ports.toml").read_text(encoding="utf-8")
LOKI = ServiceRef("NEURECTOMY", "Observability", "Loki")


def _edited(text: str, *edits: MoveService) -> Plan:
    session = Session(loads(text), Path("ports.toml"))
    for edit in edits:
        session.apply(edit)
    return session.plan


def _service(plan: Plan, project: str, tier: str, name: str) -> int | None:
    return next(
        (
            s.port
            for p, t, s in plan.services()
            if (p.name, t.name, s.name) == (project, tier, name)
        ),
        None,
    )


def test_the_copys_edit_lands_and_the_files_newer_change_stays() -> None:
    base, copy = loads(TEXT), _edited(TEXT, MoveService(LOKI, 16995))
    pulled = loads(TEXT.replace('"Grafana"', '"Grafana (pulled)"', 1))
    result = replay(base, copy, pulled)
    assert result is not None
    assert (result.edits, result.conflicts, result.dropped) == (1, (), ())
    assert _service(result.plan, *LOKI.path.split("/")) == 16995
    assert _service(result.plan, "NEURECTOMY", "Observability", "Grafana (pulled)") == 16910
    assert _service(result.plan, "NEURECTOMY", "Observability", "Grafana") is None


def test_a_part_both_changed_takes_the_copys_version_and_is_named() -> None:
    base, copy = loads(TEXT), _edited(TEXT, MoveService(LOKI, 16995))
    theirs = _edited(TEXT, MoveService(LOKI, 16990))
    result = replay(base, copy, theirs)
    assert result is not None and result.conflicts == (LOKI.path,)
    assert _service(result.plan, *LOKI.path.split("/")) == 16995


def test_an_edit_inside_a_project_the_file_removed_is_left_out_and_named() -> None:
    base, copy = loads(TEXT), _edited(TEXT, MoveService(LOKI, 16995))
    without = base.model_copy(deep=True)
    without.projects = [p for p in without.projects if p.name != "NEURECTOMY"]
    result = replay(base, copy, without)
    assert result is not None and result.dropped == (LOKI.path,)
    assert result.plan.find_project("NEURECTOMY") is None


def test_a_new_service_goes_after_the_one_it_follows_in_the_copy() -> None:
    base = loads(TEXT)
    copy = base.model_copy(deep=True)
    tier = copy.project("NEURECTOMY").tiers[0]
    first = tier.services[0]
    tier.services.insert(1, first.model_copy(update={"name": "Inserted", "port": 16002}))
    result = replay(base, copy, base.model_copy(deep=True))
    assert result is not None and result.edits == 1
    names = [s.name for s in result.plan.project("NEURECTOMY").tiers[0].services]
    assert names[:2] == [first.name, "Inserted"]


@given(plans, plans)
def test_replaying_onto_the_base_gives_the_copy(base: Plan, copy: Plan) -> None:
    result = replay(base, copy, base)
    assert result is not None
    assert plan_parts(result.plan) == plan_parts(copy) and diff_plans(copy, result.plan) == []
    assert result.conflicts == () and result.dropped == ()


@given(plans, plans)
def test_a_copy_without_edits_leaves_the_file_as_it_is(base: Plan, current: Plan) -> None:
    result = replay(base, base, current)
    assert result is not None and result.edits == 0
    assert plan_parts(result.plan) == plan_parts(current)
