"""The findings kept up to date edit by edit equal a full analysis, order included."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portplan.analysis import analyze
from portplan.edits import (
    Edit,
    EditError,
    EditService,
    EditTier,
    MoveService,
    ReleaseService,
    ReserveService,
)
from portplan.findings import Finding, FindingDelta
from portplan.hazards import EphemeralRange
from portplan.incremental import LiveFindings, Unserviced, replace_findings
from portplan.model import Plan, ServiceRef
from portplan.plan_index import PlanIndex
from portplan.rules import RULES
from portplan.session import Session
from tests.test_properties import EPHEMERAL, SMALL_PLANS, SMALL_PORT

EDIT_KINDS = st.sampled_from(
    ["move", "move-home", "move-onto", "move-onto", "reserve", "release", "rename", "tier"]
)


def _refs(plan: Plan) -> list[ServiceRef]:
    return [ServiceRef(p.name, t.name, s.name) for p, t, s in plan.services()]


def _homes(plan: Plan) -> list[tuple[str, str]]:
    return [(p.name, t.name) for p in plan.projects for t in p.tiers]


@st.composite
def edits_for(draw: st.DrawFn, plan: Plan) -> Edit | None:
    kind = draw(EDIT_KINDS)
    refs, homes = _refs(plan), _homes(plan)
    if kind == "reserve" and homes:
        from portplan.model import Service

        project, tier = draw(st.sampled_from(homes))
        name = draw(st.text("abxy", min_size=1, max_size=3))
        return ReserveService(project, tier, Service(port=draw(SMALL_PORT), name=name))
    if kind == "tier" and homes:
        from portplan.model import PortRange

        project, tier = draw(st.sampled_from(homes))
        start = draw(SMALL_PORT)
        return EditTier(project, tier, tier, "", PortRange(start, start + draw(st.integers(0, 40))))
    if not refs:
        return None
    ref = draw(st.sampled_from(refs))
    if kind == "move-onto":  # onto a port a service already holds: regions of many projects
        taken = sorted({service.port for _, _, service in plan.services()})
        to = draw(st.sampled_from(homes)) if draw(st.booleans()) else (ref.project, ref.tier)
        return MoveService(ref, draw(st.sampled_from(taken)), *to)
    if kind == "move":
        return MoveService(ref, draw(SMALL_PORT))
    if kind == "move-home" and homes:
        project, tier = draw(st.sampled_from(homes))
        return MoveService(ref, draw(SMALL_PORT), project, tier)
    if kind == "rename":
        return EditService(ref, draw(st.text("abxy", min_size=1, max_size=3)), "", "udp")
    return ReleaseService(ref)


@given(SMALL_PLANS, EPHEMERAL, st.data())
def test_findings_after_edits_undo_and_redo_equal_a_full_analysis(
    plan: Plan, ephemeral: tuple[EphemeralRange, ...], data: st.DataObject
) -> None:
    from pathlib import Path

    session = Session(plan, Path("plan.toml"), exists=False, ephemeral=ephemeral)
    for _ in range(data.draw(st.integers(1, 8))):
        step = data.draw(st.sampled_from(["edit", "edit", "undo", "redo"]))
        if step == "undo":
            session.undo()
        elif step == "redo":
            session.redo()
        else:
            edit = data.draw(edits_for(session.plan))
            if edit is None:
                continue
            preview = session.preview(edit)
            try:
                session.apply(edit)
            except EditError:
                assert preview.error is not None
                continue
        assert session.findings == analyze(session.plan, ephemeral)


@given(SMALL_PLANS, EPHEMERAL, st.data())
def test_undos_and_redos_taken_together_end_as_taken_one_by_one(
    plan: Plan, ephemeral: tuple[EphemeralRange, ...], data: st.DataObject
) -> None:
    """A burst of undo and redo keys is applied in one go (one analysis); the plan, the
    findings and each step's edit are those of the same keys taken one at a time."""
    import copy
    from pathlib import Path

    together = Session(plan, Path("plan.toml"), exists=False, ephemeral=ephemeral)
    alone = Session(
        plan.model_copy(deep=True), Path("plan.toml"), exists=False, ephemeral=ephemeral
    )
    for _ in range(data.draw(st.integers(1, 8))):
        edit = data.draw(edits_for(together.plan))
        if edit is None:
            continue
        twin = copy.deepcopy(edit)
        try:
            together.apply(edit)
        except EditError:
            continue
        alone.apply(twin)
    steps = data.draw(st.lists(st.sampled_from(["undo", "redo"]), min_size=1, max_size=12))
    results = together.travel(steps)
    one_by_one = [alone.undo() if step == "undo" else alone.redo() for step in steps]
    assert [e and e.label for e in results] == [e and e.label for e in one_by_one]
    assert together.plan == alone.plan
    assert together.findings == alone.findings == analyze(together.plan, ephemeral)
    assert together.modified == alone.modified


@given(SMALL_PLANS, EPHEMERAL, st.data())
def test_previews_between_edits_show_what_the_edit_does(
    plan: Plan, ephemeral: tuple[EphemeralRange, ...], data: st.DataObject
) -> None:
    """Each preview, however many edits, undos and redos came before it, is the difference
    between the findings now and a full analysis of the edited plan, and leaves the plan and
    its findings as they were."""
    import copy
    from pathlib import Path

    session = Session(plan, Path("plan.toml"), exists=False, ephemeral=ephemeral)
    for _ in range(data.draw(st.integers(1, 8))):
        step = data.draw(st.sampled_from(["edit", "edit", "preview", "preview", "undo", "redo"]))
        if step == "undo":
            session.undo()
        elif step == "redo":
            session.redo()
        elif (edit := data.draw(edits_for(session.plan))) is not None:
            try:
                edited = session.plan.model_copy(deep=True)
                copy.deepcopy(edit).apply(edited)
            except EditError:
                continue
            before = list(session.findings)
            preview = session.preview(edit)
            expected = FindingDelta.between(before, analyze(edited, ephemeral))
            assert (preview.delta.added, preview.delta.cleared) == (
                expected.added,
                expected.cleared,
            )
            assert session.findings == before
            if step == "edit":
                session.apply(edit)
        assert session.findings == analyze(session.plan, ephemeral)


def _shared_plan(names: tuple[str, str, str]) -> Plan:
    """Three projects, the first two sharing port 1500 and the last two port 1600."""
    first, second, third = names
    return Plan.model_validate(
        {
            "projects": [
                {
                    "name": name,
                    "ports": "1000-1999",
                    "tiers": [
                        {
                            "name": "t",
                            "ports": "1000-1999",
                            "services": [
                                {"name": "s", "port": ports[0]},
                                {"name": "u", "port": ports[1]},
                            ],
                        }
                    ],
                }
                for name, ports in zip(
                    names, [(1500, 1100), (1500, 1600), (1700, 1600)], strict=True
                )
            ]
        }
    )


def test_a_confirmed_edit_runs_the_rules_once_over_its_region(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from pathlib import Path

    session = Session(_shared_plan(("a", "b", "c")), Path("plan.toml"), exists=False)
    runs: list[frozenset[str]] = []  # the regions whose services the rules were run over
    index = LiveFindings._index

    def counted(live: LiveFindings, region: set[str]) -> PlanIndex:
        runs.append(frozenset(region))
        return index(live, region)

    monkeypatch.setattr(LiveFindings, "_index", counted)
    edits: list[Edit] = [
        MoveService(ServiceRef("a", "t", "s"), 1700),  # from b's port onto c's
        MoveService(ServiceRef("c", "t", "u"), 1900),
        ReleaseService(ServiceRef("b", "t", "s")),
    ]
    for edit in edits:
        session.apply(edit)
        assert session.findings == analyze(session.plan)
    assert runs == [frozenset("abc"), frozenset("abc"), frozenset("b")]
    runs.clear()
    session.travel(["undo", "undo", "redo", "undo", "undo"])
    assert runs == [frozenset("abc")]
    assert session.findings == analyze(session.plan)
    runs.clear()
    session.preview(MoveService(ServiceRef("b", "t", "u"), 1500))
    assert runs == [frozenset("abc")]


def test_project_names_that_could_share_a_path_find_the_findings_before_again() -> None:
    """`a/b/c` could be project `a/b`'s or project `a`'s: the region's findings before an edit
    are then found by running the rules in the plan as it was."""
    from pathlib import Path

    session = Session(_shared_plan(("a", "a/b", "c")), Path("plan.toml"), exists=False)
    session.apply(MoveService(ServiceRef("a/b", "t", "u"), 1700))
    assert any(f.kind == "duplicate-port" for f in session.findings)
    session.apply(MoveService(ServiceRef("a", "t", "s"), 1800))
    session.undo()
    assert session.findings == analyze(session.plan)
    session.travel(["undo", "redo", "redo"])
    assert session.findings == analyze(session.plan)


@given(SMALL_PLANS, EPHEMERAL)
def test_a_rule_that_does_not_ask_for_services_finds_the_same_over_any(
    plan: Plan, ephemeral: tuple[EphemeralRange, ...]
) -> None:
    """What lets an edit run such a rule once, over no services; and a rule that asks finds
    nothing over none, so every finding of a run over no services is plan-wide."""
    full = PlanIndex.build(plan, ephemeral)
    for rule in RULES:
        alone = Unserviced(plan, ephemeral)
        found = list(rule.check(alone))
        if alone.asked:
            assert found == [], rule.kind
        else:
            assert list(rule.check(full)) == found, rule.kind


FINDINGS = st.builds(
    Finding,
    st.sampled_from(["error", "warning", "info"]),
    st.sampled_from(["a", "b"]),
    st.sampled_from(["m", "n"]),
    st.lists(st.integers(1, 4), max_size=3).map(tuple),
    st.lists(st.sampled_from("xy"), max_size=2).map(tuple),
)


@given(st.lists(FINDINGS, max_size=12), st.data())
def test_replaced_findings_are_in_the_order_a_stable_sort_gives(
    found: list[Finding], data: st.DataObject
) -> None:
    """Each new finding is put in its place instead of the list being sorted again: the
    result is the list a stable sort of what is kept followed by the new ones gives, equal
    findings included (which of two equal ones comes first is kept too)."""
    current = sorted(found, key=Finding.sort_key)
    dropped = data.draw(
        st.lists(st.sampled_from(current), unique_by=id) if current else st.just([])
    )
    new = data.draw(st.lists(FINDINGS, max_size=6))
    kept = [finding for finding in current if not any(finding is d for d in dropped)]
    expected = sorted([*kept, *new], key=Finding.sort_key)
    result = replace_findings(current, dropped, new)
    assert [id(finding) for finding in result] == [id(finding) for finding in expected]
