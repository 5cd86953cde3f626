"""The planner with other planners' copies beside the plan: every copy a dead planner left is
offered, newest first; a running planner's is never offered nor touched; a copy made from an
older file is offered with its warning; an unreadable one is kept aside; and no copy is
written over or deleted before the user has answered."""

from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Any

from portplan.edits import MoveService
from portplan.plan_lock import PlanLock
from portplan.recovery import base_path, copy_path, recovery_copies
from portplan.store import load
from portplan.tui.app import PortplanApp
from portplan.tui.modals.safety import RecoveryDialog
from portplan.tui.screens.planner import PlannerScreen
from portplan.tui.widgets.status_line import StatusLine
from tests.tui_helpers import LOKI, SIZE, leave_orphan, make_app, run, wait_for, wait_seconds

NEWER = "4242-20260102T000000.000000"
OLDER = "4343-20260101T000000.000000"


def _loki(plan_path: Path) -> int:
    return _loki_in(load(plan_path).model_copy())


def _loki_in(plan: Any) -> int:
    return next(
        s.port
        for p, t, s in plan.services()
        if (p.name, t.name, s.name) == ("NEURECTOMY", "Observability", "Loki")
    )


def _recording(app: PortplanApp) -> list[str]:
    seen: list[str] = []
    real = app.notify

    def notify(message: str, **kwargs: Any) -> None:
        seen.append(message)
        real(message, **kwargs)

    app.notify = notify  # type: ignore[method-assign]
    return seen


def _dialog(app: PortplanApp) -> RecoveryDialog:
    assert isinstance(app.screen, RecoveryDialog)
    return app.screen


def test_every_orphan_is_offered_newest_first_and_none_is_touched_before_an_answer(
    reference_plan_path: Path,
) -> None:
    newer = leave_orphan(reference_plan_path, NEWER, 16995, age=10)
    older = leave_orphan(reference_plan_path, OLDER, 16996, age=100)
    before = {path: path.read_bytes() for path in (newer, older)}

    async def body() -> None:
        app = make_app(reference_plan_path)
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, RecoveryDialog), "first offer")
            assert (_dialog(app).recovery.path, _dialog(app).of) == (newer, 2)
            await pilot.pause(0.7)  # longer than the copy delay: still nothing written
            assert {path: path.read_bytes() for path in before} == before
            await pilot.press("l")
            await wait_for(
                pilot,
                lambda: isinstance(app.screen, RecoveryDialog) and app.screen.number == 2,
                "second offer",
            )
            assert _dialog(app).recovery.path == older
            await pilot.press("d")
            await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "planner")
            screen = app.screen
            assert isinstance(screen, PlannerScreen)
            assert not older.exists() and newer.read_bytes() == before[newer]
            # This session's edits go to its own copy; the one kept for later is untouched.
            screen.apply(MoveService(LOKI, 16997), LOKI)
            await wait_seconds(pilot, lambda: len(recovery_copies(reference_plan_path)) == 2, "own")
            assert newer.read_bytes() == before[newer]
            screen.safety.drop()  # quitting with "discard" drops this session's copy only
            assert recovery_copies(reference_plan_path) == [newer]

    run(body)


def test_restoring_one_keeps_the_others_and_removes_it_once_its_edits_are_safe(
    reference_plan_path: Path,
) -> None:
    newer = leave_orphan(reference_plan_path, NEWER, 16995, age=10)
    older = leave_orphan(reference_plan_path, OLDER, 16996, age=100)
    original = reference_plan_path.read_bytes()

    async def body() -> None:
        app = make_app(reference_plan_path)
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, RecoveryDialog), "offer")
            await pilot.press("r")
            await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "restored")
            screen = app.screen
            assert isinstance(screen, PlannerScreen)
            await wait_for(pilot, lambda: screen.session.modified, "restored edits")
            assert _loki_in(screen.session.plan) == 16995
            assert "1 older kept for next time" in screen.query_one(StatusLine).message
            own = copy_path(reference_plan_path, screen.safety.session_id)
            await wait_seconds(pilot, lambda: not newer.exists(), "adopted copy removed")
            assert own.exists() and older.exists()
            assert _loki_in(load(own)) == 16995
            assert reference_plan_path.read_bytes() == original

    run(body)


def test_a_copy_from_an_older_file_is_offered_with_a_warning(reference_plan_path: Path) -> None:
    copy = leave_orphan(reference_plan_path, NEWER, 16995, age=10, base="0" * 64)

    async def body() -> None:
        app = make_app(reference_plan_path)
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, RecoveryDialog), "offer")
            dialog = _dialog(app)
            assert dialog.recovery.match == "older" and dialog.recovery.differences == 1
            text = " ".join(str(static.render()) for static in dialog.query(".dialog-intro"))
            assert "Made from an older version of the plan" in text
            assert "makes 1 change to it" in text
            await pilot.press("r")
            await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "restored")
            screen = app.screen
            assert isinstance(screen, PlannerScreen)
            assert _loki_in(screen.session.plan) == 16995
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: not screen.session.modified, "saved")
            assert not copy.exists()

    run(body)
    assert _loki(reference_plan_path) == 16995


def test_an_unreadable_copy_is_kept_aside_and_said_so(reference_plan_path: Path) -> None:
    copy = copy_path(reference_plan_path, NEWER)
    copy.write_bytes(b"[[projects]\n\x00 torn by the crash")

    async def body() -> None:
        app = make_app(reference_plan_path)
        seen = _recording(app)
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: any("unreadable" in m for m in seen), "the notice")
            assert isinstance(app.screen, PlannerScreen)  # nothing to restore: no dialog
        (message,) = [m for m in seen if "unreadable" in m]
        assert f"unreadable: kept as {copy.name}.unreadable" in message

    run(body)
    kept = copy.with_name(copy.name + ".unreadable")
    assert kept.read_bytes() == b"[[projects]\n\x00 torn by the crash" and not copy.exists()


def test_a_second_planner_is_told_and_never_offered_the_first_ones_copy(
    reference_plan_path: Path,
) -> None:
    # The other planner, running: its lock held, its copy written (in this process, so that
    # its pid is this one's).
    first = PlanLock.claim(reference_plan_path)
    theirs = leave_orphan(reference_plan_path, first.session, 16995, age=1)
    before = theirs.read_bytes()

    async def body() -> None:
        app = make_app(reference_plan_path)
        seen = _recording(app)
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: bool(seen), "the notice")
            assert f"another portplan has this plan open (pid {os.getpid()})" in seen[0]
            screen = app.screen
            assert isinstance(screen, PlannerScreen)
            screen.apply(MoveService(LOKI, 16996), LOKI)
            own = copy_path(reference_plan_path, screen.safety.session_id)
            await wait_seconds(pilot, own.exists, "this planner's own copy")
            assert own != theirs and theirs.read_bytes() == before
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: not screen.session.modified, "saved")
            assert not own.exists() and theirs.read_bytes() == before

    try:
        run(body)
    finally:
        first.release()
    assert theirs.read_bytes() == before  # still theirs: offered only once they have died


def test_a_crashed_sessions_edits_are_replayed_onto_a_file_pulled_since(
    reference_plan_path: Path,
) -> None:
    async def crashed() -> None:
        app = make_app(reference_plan_path)
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "planner")
            screen = app.screen
            assert isinstance(screen, PlannerScreen)
            screen.apply(MoveService(LOKI, 16995), LOKI)
            own = copy_path(reference_plan_path, screen.safety.session_id)
            await wait_seconds(pilot, own.exists, "the copy")
            assert base_path(own).read_bytes() == reference_plan_path.read_bytes()

    async def after_the_pull() -> None:
        app = make_app(reference_plan_path)
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, RecoveryDialog), "offer")
            dialog = _dialog(app)
            assert dialog.recovery.match == "older" and dialog.recovery.replayed == 1
            text = " ".join(str(static.render()) for static in dialog.query(".dialog-intro"))
            assert "Restoring replays its 1 edit onto the current file" in text
            await pilot.press("r")
            await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "restored")
            screen = app.screen
            assert isinstance(screen, PlannerScreen)
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: not screen.session.modified, "saved")
        assert not [p for p in reference_plan_path.parent.iterdir() if ".portplan-" in p.name]

    run(crashed)
    pulled = reference_plan_path.read_text().replace('"Grafana"', '"Grafana (pulled)"', 1)
    reference_plan_path.write_text(pulled)
    run(after_the_pull)
    saved = load(reference_plan_path)
    assert _loki_in(saved) == 16995
    assert "Grafana (pulled)" in {s.name for _, _, s in saved.services()}


def test_a_clean_quit_leaves_nothing_beside_the_plan(reference_plan_path: Path) -> None:
    async def body() -> None:
        app = make_app(reference_plan_path)
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "planner")
            screen = app.screen
            assert isinstance(screen, PlannerScreen)
            screen.apply(MoveService(LOKI, 16995), LOKI)
            await wait_seconds(pilot, lambda: recovery_copies(reference_plan_path), "copy")
            await pilot.press("u")
            await wait_seconds(pilot, lambda: not recovery_copies(reference_plan_path), "gone")

    run(body)
    assert not [p for p in reference_plan_path.parent.iterdir() if ".portplan-" in p.name]


def test_a_copy_asked_for_before_a_discard_is_not_written_after_it(
    reference_plan_path: Path,
) -> None:
    """The copy is written from a thread: one that comes to write after the user saved or
    discarded (quitting) would leave a copy of discarded edits, offered at the next start."""

    async def body() -> None:
        app = make_app(reference_plan_path)
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "planner")
            screen = app.screen
            assert isinstance(screen, PlannerScreen)
            safety = screen.safety
            screen.apply(MoveService(LOKI, 16997), LOKI)
            asked = safety._drops  # as `_due` hands it to the thread
            safety.drop()  # the user discards before the thread comes to write
            writer = threading.Thread(target=safety._write_copy, args=(screen.session, 1, asked))
            writer.start()
            writer.join()
            assert not safety.copy.exists() and recovery_copies(reference_plan_path) == []
            # A copy asked for after the drop is written as usual.
            screen.apply(MoveService(LOKI, 16996), LOKI)
            await wait_seconds(pilot, safety.copy.exists, "the next copy")

    run(body)
