"""The footer tells the truth and every pane answers the keyboard (issue 13, items 4, 5, 11,
13): the footer shows whole keys of the focused pane or dialog, tab visits every pane, and
j/k/g/G move as the arrows do without taking letters from the dialogs' inputs."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.geometry import Region
from textual.pilot import Pilot
from textual.strip import Strip
from textual.widgets import Input

from portplan.model import ServiceRef, TierRef
from portplan.tui.app import PortplanApp
from portplan.tui.modals.dialogs import MoveDialog
from portplan.tui.modals.frame import Dialog, HelpScreen
from portplan.tui.screens.planner import PlannerScreen
from portplan.tui.widgets.findings_list import FindingsList
from portplan.tui.widgets.footer import FittingFooter
from portplan.tui.widgets.plan_tree import PlanTree
from portplan.tui.widgets.port_map import PortMap
from tests.tui_helpers import make_app, planner_shown, run, type_text, wait_for

NEO4J = ServiceRef("NEURECTOMY", "Databases", "Neo4j Bolt")


def _footer_keys(app: PortplanApp) -> list[tuple[str, str, Region]]:
    return app.screen.query_one(FittingFooter).shown_keys()


def _drawn(app: PortplanApp, region: Region) -> Strip:
    """What the screen shows in `region` (one line)."""
    return app.screen._compositor.render_strips()[region.y].crop(region.x, region.right)


def _drawn_text(app: PortplanApp, region: Region) -> str:
    return _drawn(app, region).text


async def _footer_settled(pilot: Pilot[None], *descriptions: str) -> list[str]:
    app = pilot.app

    def shown() -> list[str]:
        return [description for _, description, _ in _footer_keys(app)]  # type: ignore[arg-type]

    await wait_for(pilot, lambda: all(d in shown() for d in descriptions), str(descriptions))
    return shown()


@pytest.mark.parametrize("width", [80, 100, 120])
@pytest.mark.parametrize("pane", ["#tree", "#map", "#details-pane", "#findings"])
def test_the_footer_shows_whole_keys_only(reference_plan_path: Path, width: int, pane: str) -> None:
    async def body() -> None:
        app = make_app(reference_plan_path)
        async with app.run_test(size=(width, 24)) as pilot:
            screen = await planner_shown(pilot)
            screen.query_one(pane).focus()
            await _footer_settled(pilot, "Help")
            await wait_for(
                pilot,
                lambda: all(region.width > 0 for _, _, region in _footer_keys(app)),
                "the footer laid out",
            )
            footer = screen.query_one(FittingFooter)
            keys = _footer_keys(app)
            for key_display, description, region in keys:
                assert footer.region.contains_region(region), (key_display, region)
                drawn = _drawn_text(app, region)
                assert key_display in drawn and description in drawn, (drawn, key_display)
            assert sum(region.width for _, _, region in keys) <= width
            assert not any(a.overlaps(b) for i, (*_, a) in enumerate(keys) for *_, b in keys[:i])
            shown = [key_display for key_display, _, _ in keys]
            assert len(shown) == len(set(shown))  # no key twice

    run(body)


def test_the_footer_follows_the_focus(reference_plan_path: Path) -> None:
    async def body() -> None:
        app = make_app(reference_plan_path)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await planner_shown(pilot)
            assert screen.query_one(PlanTree).select_ref(NEO4J)
            tree_keys = await _footer_settled(pilot, "Move", "Help")
            assert "Move here" not in tree_keys
            screen.port_map.focus()
            await _footer_settled(pilot, "Reserve/select", "Move here", "Help")
            screen.query_one(FindingsList).focus()
            list_keys = await _footer_settled(pilot, "Jump to", "Help")
            assert "Move here" not in list_keys
            screen.query_one(PlanTree).focus()
            await pilot.press("m")
            await wait_for(pilot, lambda: isinstance(app.screen, MoveDialog), "move dialog")
            dialog_keys = await _footer_settled(pilot, "Move", "Cancel", "Help")
            assert "Reserve" not in dialog_keys and "Quit" not in dialog_keys  # not behind it

    run(body)


def test_f1_in_a_dialog_explains_that_dialog(reference_plan_path: Path) -> None:
    async def body() -> None:
        app = make_app(reference_plan_path)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await planner_shown(pilot)
            assert screen.query_one(PlanTree).select_ref(NEO4J)
            await pilot.press("m")
            await wait_for(pilot, lambda: isinstance(app.screen, MoveDialog), "move dialog")
            await pilot.press("f1")
            await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), "help")
            help_screen = app.screen
            assert isinstance(help_screen, HelpScreen)
            assert help_screen.subject.startswith("Move ")
            assert help_screen.keys == list(MoveDialog.KEYS)
            await pilot.press("escape")
            await wait_for(pilot, lambda: isinstance(app.screen, MoveDialog), "back")
            await pilot.press("escape")
            await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "closed")
            await pilot.press("question_mark")
            await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), "? opens help")

    run(body)


def test_tab_visits_every_pane_and_shift_tab_goes_back(reference_plan_path: Path) -> None:
    async def body() -> None:
        app = make_app(reference_plan_path)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await planner_shown(pilot)
            order = ["#tree", "#map", "#details-pane", "#findings", "#tree"]
            for expected in order[1:]:
                await pilot.press("tab")
                assert app.focused is screen.query_one(expected), expected
            for expected in reversed(order[:-1]):
                await pilot.press("shift+tab")
                assert app.focused is screen.query_one(expected), expected

    run(body)


def test_the_details_scroll_from_the_keyboard(reference_plan_path: Path) -> None:
    async def body() -> None:
        app = make_app(reference_plan_path)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await planner_shown(pilot)
            assert screen.query_one(PlanTree).select_ref(
                TierRef("SigmaVault (ΣVAULT)", "Infrastructure")
            )
            pane = screen.query_one("#details-pane")
            await wait_for(pilot, lambda: pane.max_scroll_y > 0, "findings below the fold")
            await pilot.press("tab", "tab")
            assert pane.has_focus
            await pilot.press("G")
            await wait_for(pilot, lambda: pane.scroll_y == pane.max_scroll_y, "scrolled down")
            await pilot.press("g")
            await wait_for(pilot, lambda: pane.scroll_y == 0, "back at the top")
            await pilot.press("j")
            await wait_for(pilot, lambda: pane.scroll_y == 1, "one line down")

    run(body)


def test_j_k_g_move_in_the_tree_map_and_list(reference_plan_path: Path) -> None:
    async def body() -> None:
        app = make_app(reference_plan_path)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await planner_shown(pilot)
            tree = screen.query_one(PlanTree)
            await pilot.press("j", "j")
            assert tree.cursor_line == 2
            await pilot.press("k")
            assert tree.cursor_line == 1
            await pilot.press("G")
            assert tree.cursor_line == tree.last_line
            await pilot.press("g")
            assert tree.cursor_line == 0
            port_map = screen.query_one(PortMap)
            port_map.focus()
            await pilot.pause()
            start = port_map.cursor
            await pilot.press("l", "j")
            assert port_map.cursor == start + 1 + port_map.row_width()
            await pilot.press("h", "k")
            assert port_map.cursor == start
            await pilot.press("G")
            assert port_map.model is not None
            assert port_map.cursor == len(port_map.model.ports) - 1
            findings = screen.query_one(FindingsList)
            findings.focus()
            await pilot.pause()
            await pilot.press("j", "j", "k")
            assert findings.highlighted == 1
            await pilot.press("G")
            assert findings.highlighted == findings.option_count - 1

    run(body)


def test_letters_typed_in_a_dialog_stay_in_its_input(reference_plan_path: Path) -> None:
    async def body() -> None:
        app = make_app(reference_plan_path)
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await planner_shown(pilot)
            assert screen.query_one(PlanTree).select_ref(NEO4J)
            await pilot.press("e")
            await wait_for(pilot, lambda: isinstance(app.screen, Dialog), "edit dialog")
            await type_text(pilot, "jkgG?q")
            assert app.screen.query_one("#name", Input).value == "jkgG?q"

    run(body)


def test_a_key_drawn_in_the_footer_answers_the_mouse(reference_plan_path: Path) -> None:
    # The footer draws its keys itself: under the pointer a key is highlighted and shows its
    # tooltip, as Textual's key widgets did, and a click presses it.
    async def body() -> None:
        app = make_app(reference_plan_path)
        async with app.run_test(size=(120, 36)) as pilot:
            screen = await planner_shown(pilot)
            await _footer_settled(pilot, "Help")
            footer = screen.query_one(FittingFooter)
            (region,) = [
                region for _, description, region in _footer_keys(app) if description == "Help"
            ]
            plain = _drawn(app, region)
            on_help = (region.x - footer.region.x + 1, 0)
            await pilot.hover(FittingFooter, offset=on_help)
            assert footer.tooltip == "Show every key"
            hovered = _drawn(app, region)
            assert hovered.text == plain.text  # the same key, highlighted
            assert {s.style for s in hovered} != {s.style for s in plain}
            *drawn, _palette = _footer_keys(app)
            after_the_keys = max(region.right for *_, region in drawn) - footer.region.x + 1
            await pilot.hover(FittingFooter, offset=(after_the_keys, 0))
            assert footer.tooltip is None  # between the keys and the palette key
            await pilot.click(FittingFooter, offset=on_help)
            await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), "the help screen")

    run(body)
