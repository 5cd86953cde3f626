"""Never lose an edit: a change on disk is never overwritten silently, and the unsaved plan
kept beside the file is offered back after the planner dies."""

from __future__ import annotations

import os
import time
from pathlib import Path

from portplan.edits import MoveService
from portplan.filestamp import ChangedOnDisk, FileStamp
from portplan.model import ServiceRef
from portplan.recovery import (
    RestorePlan,
    copy_path,
    legacy_path,
    orphaned_copies,
    recovery_copies,
    write_copy,
)
from portplan.session import Session
from portplan.store import dumps, load
from portplan.tui.modals.confirm import ConfirmDialog
from portplan.tui.modals.safety import ExternalChangeDialog, RecoveryDialog
from portplan.tui.screens.planner import PlannerScreen
from tests.tui_helpers import SIZE, make_app, run, wait_for, wait_seconds

LOKI = ServiceRef("NEURECTOMY", "Observability", "Loki")


def _loki_port(session: Session) -> int:
    return next(
        s.port
        for p, t, s in session.plan.services()
        if (p.name, t.name, s.name) == ("NEURECTOMY", "Observability", "Loki")
    )


# --- the file changed on disk ------------------------------------------------------------------


def test_session_refuses_to_save_over_a_change_on_disk(reference_plan_path: Path) -> None:
    session = Session.open(reference_plan_path)
    session.apply(MoveService(LOKI, 16995))
    assert not session.changed_on_disk()
    os.utime(reference_plan_path)  # touched but unchanged: not a change
    assert not session.changed_on_disk()
    other = reference_plan_path.read_text().replace("Loki", "Loki2")
    reference_plan_path.write_text(other)
    assert session.changed_on_disk()
    try:
        session.save()
    except ChangedOnDisk:
        pass
    else:
        raise AssertionError("saved over a change made elsewhere")
    assert reference_plan_path.read_text() == other
    session.save(overwrite=True)
    assert load(reference_plan_path) == session.plan
    assert not session.changed_on_disk()


def test_saving_after_a_change_on_disk_asks_and_cancel_writes_nothing(
    reference_plan_path: Path,
) -> None:
    async def body() -> None:
        app = make_app(reference_plan_path)
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "planner")
            screen = app.screen
            assert isinstance(screen, PlannerScreen)
            screen.apply(MoveService(LOKI, 16995), LOKI)
            other = reference_plan_path.read_text().replace("Loki", "Loki from git")
            reference_plan_path.write_text(other)
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: isinstance(app.screen, ExternalChangeDialog), "asked")
            await pilot.press("c")
            await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "cancelled")
            assert reference_plan_path.read_text() == other
            assert screen.session.modified
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: isinstance(app.screen, ExternalChangeDialog), "again")
            await pilot.press("o")
            await wait_for(pilot, lambda: not screen.session.modified, "overwritten")
        assert _loki_port(Session.open(reference_plan_path)) == 16995

    run(body)


def test_reload_drops_edits_only_after_a_second_yes(reference_plan_path: Path) -> None:
    async def body() -> None:
        app = make_app(reference_plan_path)
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "planner")
            screen = app.screen
            assert isinstance(screen, PlannerScreen)
            screen.apply(MoveService(LOKI, 16995), LOKI)
            other = reference_plan_path.read_text().replace('"Loki"', '"Loki from git"')
            reference_plan_path.write_text(other)
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: isinstance(app.screen, ExternalChangeDialog), "asked")
            await pilot.press("r")
            await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog), "second ask")
            await pilot.press("n")
            await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "kept")
            assert screen.session.modified
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: isinstance(app.screen, ExternalChangeDialog), "again")
            await pilot.press("r")
            await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog), "second ask")
            await pilot.press("y")
            await wait_for(pilot, lambda: not screen.session.modified, "reloaded")
            names = {s.name for _, _, s in screen.session.plan.services()}
            assert "Loki from git" in names and "Loki" not in names
        assert reference_plan_path.read_text() == other

    run(body)


# --- the recovery copy -------------------------------------------------------------------------


def test_recovery_copy_is_offered_only_when_it_differs(tmp_path: Path) -> None:
    plan_path = tmp_path / "ports.toml"
    session = Session.open(Path("data/ports.toml").resolve())
    plan_path.write_text(dumps(session.plan))
    current = load(plan_path)
    sha = FileStamp.of(plan_path).sha256  # type: ignore[union-attr]
    assert orphaned_copies(plan_path, "1-own", current, sha) == []
    copy = copy_path(plan_path, "4242-20260101T000000.000000")
    write_copy(copy, dumps(session.plan), sha)  # same plan as the file: nothing to offer
    assert orphaned_copies(plan_path, "1-own", current, sha) == []
    assert not copy.exists()
    session.apply(MoveService(LOKI, 16995))
    write_copy(copy, dumps(session.plan), sha)
    (offer,) = orphaned_copies(plan_path, "1-own", current, sha)
    assert offer.plan == session.plan and offer.match == "matches" and offer.differences == 1
    assert orphaned_copies(plan_path, "4242-20260101T000000.000000", current, sha) == []


def test_a_copy_from_before_per_session_copies_is_judged_by_its_age(tmp_path: Path) -> None:
    plan_path = tmp_path / "ports.toml"
    session = Session.open(Path("data/ports.toml").resolve())
    plan_path.write_text(dumps(session.plan))
    current = load(plan_path)
    session.apply(MoveService(LOKI, 16995))
    legacy_path(plan_path).write_text(dumps(session.plan))  # no header: written by 0.x
    later = time.time() + 5
    os.utime(legacy_path(plan_path), (later, later))
    (offer,) = orphaned_copies(plan_path, "1-own", current, None)
    assert offer.match == "matches" and offer.path == legacy_path(plan_path)
    os.utime(plan_path, (later + 5, later + 5))  # the plan changed after the copy
    (offer,) = orphaned_copies(plan_path, "1-own", current, None)
    assert offer.match == "older"
    assert recovery_copies(plan_path) == [legacy_path(plan_path)]  # offered, never deleted


def test_restore_is_one_undoable_edit(reference_plan_path: Path) -> None:
    session = Session.open(reference_plan_path)
    original = session.plan.model_copy(deep=True)
    edited = Session.open(reference_plan_path)
    edited.apply(MoveService(LOKI, 16995))
    session.apply(RestorePlan(edited.plan))
    assert session.plan == edited.plan and session.modified
    assert session.findings == edited.findings
    session.undo()
    assert session.plan == original


def test_edits_survive_a_planner_that_dies_without_saving(reference_plan_path: Path) -> None:
    before = reference_plan_path.read_bytes()

    async def first_session() -> None:
        app = make_app(reference_plan_path)
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "planner")
            screen = app.screen
            assert isinstance(screen, PlannerScreen)
            screen.apply(MoveService(LOKI, 16995), LOKI)
            await wait_seconds(
                pilot, lambda: recovery_copies(reference_plan_path), "recovery copy written"
            )
        # Leaving run_test without the quit dialog is the crash: nothing was saved.

    async def second_session() -> None:
        app = make_app(reference_plan_path)
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, RecoveryDialog), "offered")
            await pilot.press("r")
            await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "restored")
            screen = app.screen
            assert isinstance(screen, PlannerScreen)
            await wait_for(pilot, lambda: screen.session.modified, "edits back, unsaved")
            assert _loki_port(screen.session) == 16995
            assert reference_plan_path.read_bytes() == before
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: not screen.session.modified, "saved")
            assert not recovery_copies(reference_plan_path)

    run(first_session)
    assert reference_plan_path.read_bytes() == before
    run(second_session)
    assert _loki_port(Session.open(reference_plan_path)) == 16995


def test_undoing_back_to_the_saved_plan_removes_the_copy(reference_plan_path: Path) -> None:
    async def body() -> None:
        app = make_app(reference_plan_path)
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "planner")
            screen = app.screen
            assert isinstance(screen, PlannerScreen)
            screen.apply(MoveService(LOKI, 16995), LOKI)
            await wait_seconds(pilot, lambda: recovery_copies(reference_plan_path), "written")
            await pilot.press("u")
            await wait_seconds(
                pilot, lambda: not recovery_copies(reference_plan_path), "removed after undo"
            )

    run(body)
