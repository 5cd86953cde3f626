"""Snapshot of the change panel (key c) after rebasing a project (key b)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from portplan.model import ProjectRef
from portplan.tui.modals.changes import ChangesScreen
from portplan.tui.modals.dialogs import RebaseDialog
from portplan.tui.screens.planner import PlannerScreen
from portplan.tui.widgets.plan_tree import PlanTree
from tests.tui_helpers import SIZE, clear_input, make_app, type_text, wait_for


def test_change_panel_after_rebase(snap_compare: Any, reference_plan_path: Path) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, PlannerScreen), "planner")
        pilot.app.screen.query_one(PlanTree).select_ref(ProjectRef("Ryot LLM"))
        await pilot.press("b")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, RebaseDialog), "rebase")
        await clear_input(pilot)
        await type_text(pilot, "56000")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, PlannerScreen), "rebased")
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ChangesScreen), "changes")

    assert snap_compare(make_app(reference_plan_path), terminal_size=SIZE, run_before=run_before)
