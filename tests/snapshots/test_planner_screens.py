"""Snapshots of every planner screen. Review changes in snapshot_report.html before
accepting them with `--snapshot-update`: an unintended change is a bug."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from portplan.hazards import DEFAULT_EPHEMERAL
from portplan.model import NodeRef, ServiceRef, TierRef
from portplan.tui.app import create_app
from portplan.tui.modals.confirm import ConfirmDialog, QuitDialog
from portplan.tui.modals.dialogs import MoveDialog, ReserveDialog
from portplan.tui.modals.help import HelpScreen
from portplan.tui.screens.planner import PlannerScreen
from portplan.tui.widgets.plan_tree import PlanTree
from tests.tui_helpers import SIZE, clear_input, make_app, type_text, wait_for

SnapCompare = Any


def highlight(ref: NodeRef):  # type: ignore[no-untyped-def]
    async def run_before(pilot: Pilot[None]) -> None:
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, PlannerScreen), "planner")
        assert pilot.app.screen.query_one(PlanTree).select_ref(ref)
        await pilot.pause()

    return run_before


def test_opening_screen(snap_compare: SnapCompare, reference_plan_path: Path) -> None:
    assert snap_compare(make_app(reference_plan_path), terminal_size=SIZE)


def test_opening_screen_small_terminal(
    snap_compare: SnapCompare, reference_plan_path: Path
) -> None:
    assert snap_compare(make_app(reference_plan_path), terminal_size=(80, 24))


def test_opening_screen_large_terminal(
    snap_compare: SnapCompare, reference_plan_path: Path
) -> None:
    assert snap_compare(make_app(reference_plan_path), terminal_size=(200, 50))


def test_service_with_findings(snap_compare: SnapCompare, reference_plan_path: Path) -> None:
    ref = ServiceRef("SigmaVault (ΣVAULT)", "Infrastructure", "MinIO")
    assert snap_compare(
        make_app(reference_plan_path), terminal_size=SIZE, run_before=highlight(ref)
    )


def test_reserve_dialog_with_suggestion(
    snap_compare: SnapCompare, reference_plan_path: Path
) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await highlight(TierRef("NEURECTOMY", "Cache & Messaging"))(pilot)
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ReserveDialog), "reserve")

    assert snap_compare(make_app(reference_plan_path), terminal_size=SIZE, run_before=run_before)


def test_move_dialog_live_conflict(snap_compare: SnapCompare, reference_plan_path: Path) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await highlight(ServiceRef("NEURECTOMY", "Databases", "Neo4j Bolt"))(pilot)
        await pilot.press("m")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, MoveDialog), "move")
        await clear_input(pilot)
        await type_text(pilot, "16500")

    assert snap_compare(make_app(reference_plan_path), terminal_size=SIZE, run_before=run_before)


def test_release_confirmation(snap_compare: SnapCompare, reference_plan_path: Path) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await highlight(ServiceRef("NEURECTOMY", "Observability", "Loki"))(pilot)
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ConfirmDialog), "confirm")

    assert snap_compare(make_app(reference_plan_path), terminal_size=SIZE, run_before=run_before)


def test_findings_list_focused(snap_compare: SnapCompare, reference_plan_path: Path) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, PlannerScreen), "planner")
        pilot.app.screen.query_one("#findings").focus()
        await pilot.press("down", "down")

    assert snap_compare(make_app(reference_plan_path), terminal_size=SIZE, run_before=run_before)


def test_help_screen(snap_compare: SnapCompare, reference_plan_path: Path) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, PlannerScreen), "planner")
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, HelpScreen), "help")

    assert snap_compare(make_app(reference_plan_path), terminal_size=SIZE, run_before=run_before)


def test_quit_prompt(snap_compare: SnapCompare, reference_plan_path: Path) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await highlight(ServiceRef("NEURECTOMY", "Observability", "Loki"))(pilot)
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ConfirmDialog), "confirm")
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, PlannerScreen), "released")
        await pilot.press("q")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, QuitDialog), "quit prompt")

    assert snap_compare(make_app(reference_plan_path), terminal_size=SIZE, run_before=run_before)


def test_opening_screen_100_columns(snap_compare: SnapCompare, reference_plan_path: Path) -> None:
    assert snap_compare(make_app(reference_plan_path), terminal_size=(100, 30))


def test_apply_to_files_after_a_rebase(snap_compare: SnapCompare, tmp_path: Path) -> None:
    from tests.test_tui_apply_files import project_folder, rebase_alpha_and_open

    plan = project_folder(tmp_path)
    assert snap_compare(make_app(plan), terminal_size=(80, 24), run_before=rebase_alpha_and_open)


def test_opening_screen_light_theme(snap_compare: SnapCompare, reference_plan_path: Path) -> None:
    # Every colour comes from the theme: a light one reads as well as the dark default.
    app = create_app(
        reference_plan_path, ephemeral=DEFAULT_EPHEMERAL, theme="textual-light", cursor_blink=False
    )
    ref = ServiceRef("SigmaVault (ΣVAULT)", "Infrastructure", "MinIO")
    assert snap_compare(app, terminal_size=SIZE, run_before=highlight(ref))


def test_move_dialog_light_theme(snap_compare: SnapCompare, reference_plan_path: Path) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await highlight(ServiceRef("NEURECTOMY", "Databases", "Neo4j Bolt"))(pilot)
        await pilot.press("m")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, MoveDialog), "move")
        await clear_input(pilot)
        await type_text(pilot, "16500")

    app = create_app(
        reference_plan_path, ephemeral=DEFAULT_EPHEMERAL, theme="textual-light", cursor_blink=False
    )
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
