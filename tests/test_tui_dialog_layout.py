"""Dialogs at every terminal size: buttons and the preview's count line always on screen,
Tab only on what can be seen, a filled-in value replaced by typing (issue 13, items 1-3)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Button, Input, Static

from portplan.model import NodeRef, ProjectRef, ServiceRef, TierRef
from portplan.tui.app import PortplanApp
from portplan.tui.modals.frame import Dialog
from portplan.tui.screens.planner import PlannerScreen
from portplan.tui.widgets.plan_tree import PlanTree
from tests.tui_helpers import clear_input, make_app, run, type_text, wait_for

NEO4J = ServiceRef("NEURECTOMY", "Databases", "Neo4j Bolt")
CACHE = TierRef("NEURECTOMY", "Cache & Messaging")
NEURECTOMY = ProjectRef("NEURECTOMY")

Steps = Callable[[Pilot[None]], Awaitable[None]]


def _shown(app: PortplanApp, widget: Widget) -> bool:
    """True when the middle of `widget` is on screen and not covered by anything else."""
    region = widget.region
    if region.area == 0:
        return False
    x, y = region.x + region.width // 2, region.y + region.height // 2
    if not app.screen.region.contains(x, y):
        return False
    found, _ = app.screen.get_widget_at(x, y)
    return found is widget or widget in found.ancestors


async def _open(pilot: Pilot[None], ref: NodeRef, key: str) -> Dialog[object]:
    app = pilot.app
    await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "planner")
    assert app.screen.query_one(PlanTree).select_ref(ref)
    await pilot.pause()
    await pilot.press(key)
    await wait_for(pilot, lambda: isinstance(app.screen, Dialog), "dialog")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, Dialog)
    return screen


async def _move_onto_redis(pilot: Pilot[None]) -> None:
    await _open(pilot, NEO4J, "m")
    await type_text(pilot, "16500")


async def _reserve(pilot: Pilot[None]) -> None:
    await _open(pilot, CACHE, "r")


async def _rebase_onto_a_neighbour(pilot: Pilot[None]) -> None:
    await _open(pilot, NEURECTOMY, "b")
    await type_text(pilot, "10400")


async def _shrink_the_project(pilot: Pilot[None]) -> None:
    await _open(pilot, NEURECTOMY, "e")
    await pilot.press("tab", "tab")
    await clear_input(pilot)
    await type_text(pilot, "16000-16050")


CASES = [
    ("move", _move_onto_redis, (80, 24)),
    ("reserve", _reserve, (80, 24)),
    ("rebase", _rebase_onto_a_neighbour, (80, 24)),
    ("shrink", _shrink_the_project, (80, 24)),
    ("shrink", _shrink_the_project, (120, 36)),
]


@pytest.mark.parametrize(("name", "steps", "size"), CASES, ids=[f"{c[0]}-{c[2]}" for c in CASES])
def test_buttons_and_count_line_stay_on_screen(
    reference_plan_path: Path, name: str, steps: Steps, size: tuple[int, int]
) -> None:
    async def body() -> None:
        app = make_app(reference_plan_path)
        async with app.run_test(size=size) as pilot:
            await steps(pilot)
            await pilot.pause()
            screen = app.screen
            for button in screen.query(Button):
                assert _shown(app, button), f"{button.id} hidden"
            count = screen.query_one("#preview-count", Static)
            assert _shown(app, count)
            assert str(count.render()).strip()

    run(body)


def test_a_long_preview_scrolls_and_its_count_stays(reference_plan_path: Path) -> None:
    async def body() -> None:
        app = make_app(reference_plan_path)
        async with app.run_test(size=(80, 24)) as pilot:
            await _shrink_the_project(pilot)
            await pilot.pause()
            frame = app.screen.query_one("#frame")
            count = app.screen.query_one("#preview-count", Static)
            assert "+28 errors" in str(count.render())
            assert frame.max_scroll_y > 0  # the list is longer than the dialog: it scrolls
            for _ in range(6):  # tab reaches the list, as it reaches the fields and buttons
                if app.focused is frame:
                    break
                await pilot.press("tab")
            assert app.focused is frame
            await pilot.press("G")
            await wait_for(pilot, lambda: frame.scroll_y == frame.max_scroll_y, "scrolled")
            assert _shown(app, count)
            assert all(_shown(app, button) for button in app.screen.query(Button))

    run(body)


@pytest.mark.parametrize(("name", "steps", "size"), CASES, ids=[f"{c[0]}-{c[2]}" for c in CASES])
def test_tab_only_reaches_what_is_on_screen(
    reference_plan_path: Path, name: str, steps: Steps, size: tuple[int, int]
) -> None:
    async def body() -> None:
        app = make_app(reference_plan_path)
        async with app.run_test(size=size) as pilot:
            await steps(pilot)
            seen: list[Widget] = []
            for _ in range(8):
                await pilot.press("tab")
                await pilot.pause()
                focused = app.focused
                assert focused is not None
                assert _shown(app, focused), f"tab focused {focused!r}, which is off screen"
                seen.append(focused)
            assert any(isinstance(widget, Button) for widget in seen)

    run(body)


@pytest.mark.parametrize(
    ("ref", "key", "field", "typed"),
    [
        (NEO4J, "m", "port", "16500"),
        (NEURECTOMY, "b", "start", "16500"),
        (NEO4J, "e", "name", "Bolt"),
        (CACHE, "e", "name", "Caches"),
    ],
    ids=["move-port", "rebase-start", "service-name", "tier-name"],
)
def test_a_filled_in_value_is_replaced_by_typing(
    reference_plan_path: Path, ref: NodeRef, key: str, field: str, typed: str
) -> None:
    async def body() -> None:
        app = make_app(reference_plan_path)
        async with app.run_test(size=(80, 24)) as pilot:
            dialog = await _open(pilot, ref, key)
            field_input = dialog.query_one(f"#{field}", Input)
            assert field_input.has_focus and field_input.value
            await type_text(pilot, typed)
            assert field_input.value == typed

    run(body)
