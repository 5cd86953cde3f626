"""The findings kept up to date edit by edit equal a full analysis, order included."""

from __future__ import annotations

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
from portplan.hazards import EphemeralRange
from portplan.model import Plan, ServiceRef
from portplan.session import Session
from tests.test_properties import EPHEMERAL, SMALL_PLANS, SMALL_PORT

EDIT_KINDS = st.sampled_from(["move", "move-home", "reserve", "release", "rename", "tier"])


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
