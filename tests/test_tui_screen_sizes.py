"""The planner's screen at its sizes and its jumps (issue 13, items 6-9, 12, 14): the space of a
large terminal used, jumps landing mid-view, an empty plan that says what to do, the move
dialog's home following the port, the map answering the mouse, a status line that is true."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Select, Static

from portplan.model import ServiceRef, TierRef
from portplan.tui.modals.dialogs import MoveDialog
from portplan.tui.screens.planner import EMPTY_PLAN, PlannerScreen
from portplan.tui.widgets.findings_list import FindingsList
from portplan.tui.widgets.plan_tree import PlanTree
from portplan.tui.widgets.port_map import LABEL_WIDTH, PortMap
from portplan.tui.widgets.status_line import StatusLine, fit_words
from tests.tui_helpers import SIZE, make_app, run, type_text, wait_for

NEO4J = ServiceRef("NEURECTOMY", "Databases", "Neo4j Bolt")


def _planner(app: object) -> PlannerScreen:
    screen = app.screen  # type: ignore[attr-defined]
    assert isinstance(screen, PlannerScreen)
    return screen


def test_a_large_terminal_is_used(reference_plan_path: Path) -> None:
    async def body() -> None:
        rows: dict[tuple[int, int], int] = {}
        for size in (SIZE, (200, 50)):
            app = make_app(reference_plan_path)
            async with app.run_test(size=size) as pilot:
                await wait_for(
                    pilot, lambda p=pilot: isinstance(p.app.screen, PlannerScreen), "planner"
                )
                await pilot.pause()
                screen = _planner(app)
                findings = screen.query_one(FindingsList)
                rows[size] = findings.scrollable_content_region.height
                if size == (200, 50):
                    assert screen.port_map.row_width() == 100
        assert rows[(200, 50)] >= 12 > rows[SIZE]

    run(body)


def test_jumps_land_in_the_middle_of_the_tree(reference_plan_path: Path) -> None:
    async def body() -> None:
        app = make_app(reference_plan_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "planner")
            screen = _planner(app)
            tree = screen.query_one(PlanTree)
            findings = screen.session.all_findings
            await pilot.press("N")  # from the start: the last finding
            assert screen.navigator.finding_cursor == len(findings) - 1
            await pilot.pause()
            await pilot.pause()
            middle = tree.scroll_offset.y + tree.scrollable_content_region.height // 2
            assert abs(tree.cursor_line - middle) <= 1, (tree.cursor_line, middle)

    run(body)


def test_an_empty_plan_says_what_to_do(tmp_path: Path) -> None:
    async def body() -> None:
        app = make_app(tmp_path / "new.toml")
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "planner")
            empty = app.screen.query_one("#empty-plan", Static)
            assert empty.display and EMPTY_PLAN in str(empty.render())
            assert empty.region.height > 0

    run(body)


def test_the_move_dialog_home_follows_the_port(reference_plan_path: Path) -> None:
    async def body() -> None:
        app = make_app(reference_plan_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "planner")
            assert app.screen.query_one(PlanTree).select_ref(NEO4J)
            await pilot.press("m")
            await wait_for(pilot, lambda: isinstance(app.screen, MoveDialog), "move dialog")
            dialog = app.screen
            assert isinstance(dialog, MoveDialog)
            await type_text(pilot, "16560")  # inside Cache & Messaging
            home = dialog.homes[int(str(dialog.query_one("#home", Select).value))]
            assert home == TierRef("NEURECTOMY", "Cache & Messaging")
            await pilot.press("enter")
            await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "moved")
            moved = ServiceRef("NEURECTOMY", "Cache & Messaging", "Neo4j Bolt")
            assert app.screen.query_one(PlanTree).current_ref == moved

    run(body)


def test_clicking_a_map_cell_moves_the_cursor_and_double_click_chooses(
    reference_plan_path: Path,
) -> None:
    async def body() -> None:
        app = make_app(reference_plan_path)
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "planner")
            screen = _planner(app)
            port_map = screen.query_one(PortMap)
            await wait_for(pilot, lambda: port_map.model is not None, "map drawn")
            per_row = port_map.row_width()
            top = port_map.content_region.y - port_map.region.y
            left = port_map.content_region.x - port_map.region.x
            await pilot.click(PortMap, offset=(left + LABEL_WIDTH + 3, top + 1))
            assert port_map.has_focus
            assert port_map.cursor == per_row + 3
            # 16000 is Spectrum Workspace's: a double-click selects it in the tree
            await pilot.click(PortMap, offset=(left + LABEL_WIDTH, top), times=2)
            tree = screen.query_one(PlanTree)
            spectrum = ServiceRef("NEURECTOMY", "Application Tier", "Spectrum Workspace")
            await wait_for(pilot, lambda: tree.current_ref == spectrum, "owner selected")

    run(body)


def test_a_finding_status_gives_way_when_the_cursor_moves_on(reference_plan_path: Path) -> None:
    async def body() -> None:
        app = make_app(reference_plan_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "planner")
            status = app.screen.query_one(StatusLine)
            await pilot.press("n")
            assert status.message.startswith("Finding 1 of")
            await pilot.press("down")
            await wait_for(pilot, lambda: "Finding" not in status.message, "summary again")
            assert "projects" in status.message

    run(body)


def test_a_long_status_is_cut_at_a_word() -> None:
    message = "Restored unsaved edits from .ports.toml.portplan-recovery · ctrl+s saves them"
    fitted = fit_words(message, 40)
    assert fitted.endswith("…") and len(fitted) <= 40
    assert message.startswith(fitted[:-1])
    assert message[len(fitted) - 1] == " "  # the cut falls between words
    assert fit_words("short", 40) == "short"
