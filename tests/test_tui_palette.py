"""Every planner action is reachable from the command palette (ctrl+p)."""

from __future__ import annotations

from pathlib import Path

from textual.command import CommandList, CommandPalette

from portplan.model import TierRef
from portplan.tui.modals.changes import ChangesScreen
from portplan.tui.modals.dialogs import ReserveDialog
from portplan.tui.screens.planner import PlannerScreen
from portplan.tui.widgets.plan_tree import PlanTree
from tests.tui_helpers import SIZE, make_app, run, type_text, wait_for


def _open_from_palette(reference_plan_path: Path, words: str, expected: type) -> None:
    async def body() -> None:
        app = make_app(reference_plan_path)
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "planner")
            app.screen.query_one(PlanTree).select_ref(TierRef("NEURECTOMY", "Databases"))
            await pilot.press("ctrl+p")
            await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette), "palette")
            await type_text(pilot, words)
            commands = app.screen.query_one(CommandList)
            await wait_for(pilot, lambda: commands.option_count > 0, "matching commands")
            await pilot.press("enter")
            await wait_for(pilot, lambda: isinstance(app.screen, expected), expected.__name__)

    run(body)


def test_palette_reserves(reference_plan_path: Path) -> None:
    _open_from_palette(reference_plan_path, "reserve", ReserveDialog)


def test_palette_shows_changes(reference_plan_path: Path) -> None:
    _open_from_palette(reference_plan_path, "changed since", ChangesScreen)
