"""Undo and redo keys that come faster than the screen is drawn (a held key, a burst) are
taken together: the plan, the saved file and the screen end as after each key alone."""

from __future__ import annotations

from pathlib import Path

from textual import events

from portplan.analysis import analyze
from portplan.edits import MoveService, ReleaseService
from portplan.model import ServiceRef, TierRef
from portplan.store import dumps, load
from portplan.tui.screens.planner import PlannerScreen
from portplan.tui.widgets.plan_tree import PlanTree
from portplan.tui.widgets.status_line import StatusLine
from tests.tui_helpers import SIZE, make_app, run, wait_for

NEURECTOMY = "NEURECTOMY"
MOVES = [
    (ServiceRef(NEURECTOMY, "Databases", "PostgreSQL"), 16440),
    (ServiceRef(NEURECTOMY, "Observability", "Loki"), 16995),
    (ServiceRef(NEURECTOMY, "Databases", "PostgreSQL"), 16441),
    (ServiceRef(NEURECTOMY, "Cache & Messaging", "Redis"), 16560),
]


def _keys(app: object, *keys: str) -> None:
    """Keys as the terminal sends them in one read: all queued before the first is handled."""
    for key in keys:
        app.post_message(events.Key(key, key if len(key) == 1 else None))  # type: ignore[attr-defined]


def _labels(app: object) -> list[str]:
    tree = app.screen.query_one(PlanTree)  # type: ignore[attr-defined]
    return [str(tree.label_of(line.node)) for line in tree._tree_lines]


def test_a_burst_of_undos_ends_as_many_edits_back(reference_plan_path: Path) -> None:
    states: list[str] = []

    async def body() -> None:
        app = make_app(reference_plan_path)
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "planner")
            screen = app.screen
            assert isinstance(screen, PlannerScreen)
            states.append(dumps(screen.session.plan))
            edits = [MoveService(ref, port) for ref, port in MOVES]
            edits.append(ReleaseService(ServiceRef(NEURECTOMY, "Observability", "Loki")))
            for edit in edits:
                assert screen.apply(edit, edit.ref if isinstance(edit, MoveService) else None)
                states.append(dumps(screen.session.plan))
            await pilot.pause()
            # Four undos at once: back to the plan after the first edit.
            _keys(app, "u", "u", "u", "u")
            await wait_for(pilot, lambda: len(screen.session.history.done) == 1, "undone")
            await pilot.pause()
            assert dumps(screen.session.plan) == states[1]
            status = screen.query_one(StatusLine).message
            assert status.startswith(f"Undid: {edits[1].label} · ")
            labels = _labels(app)
            # The tree shows the plan as it is: PostgreSQL moved once, Loki back at 16930.
            assert any("16440" in label and "PostgreSQL" in label for label in labels)
            assert not any("16441" in label for label in labels)
            assert any("16930" in label and "Loki" in label for label in labels)
            session = screen.session
            assert session.findings == analyze(session.plan, session.ephemeral)
            # Undo past the start, then redo twice, in one burst: two edits on.
            _keys(app, "u", "u", "u", "ctrl+y", "ctrl+y")
            await wait_for(pilot, lambda: len(screen.session.history.done) == 2, "redone")
            await pilot.pause()
            assert dumps(screen.session.plan) == states[2]
            assert screen.query_one(StatusLine).message.startswith(f"Redid: {edits[1].label}")
            # A key after the burst acts on the plan the burst left: the save writes it.
            _keys(app, "u", "ctrl+s")
            await wait_for(pilot, lambda: not screen.session.modified, "saved")
            assert screen.session.plan == load(reference_plan_path)
        assert dumps(load(reference_plan_path)) == states[1]

    run(body)


def test_more_undos_than_edits_say_there_is_nothing_left(reference_plan_path: Path) -> None:
    async def body() -> None:
        app = make_app(reference_plan_path)
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "planner")
            screen = app.screen
            assert isinstance(screen, PlannerScreen)
            before = dumps(screen.session.plan)
            ref, port = MOVES[0]
            assert screen.apply(MoveService(ref, port), TierRef(ref.project, ref.tier))
            _keys(app, "u", "u", "u")
            await wait_for(pilot, lambda: not screen.session.modified, "undone")
            await pilot.pause()
            assert dumps(screen.session.plan) == before
            assert screen.query_one(StatusLine).message == "Nothing to undo"
            assert not any("16440" in label for label in _labels(app))

    run(body)
