"""The planner's widgets are styled once as it starts, not again for a class that arrives late.

Textual gives a screen its breakpoint classes on its first resize and a footer key its
`-compact` class as it mounts (then takes it away as the footer's binding arrives): each
time every widget concerned is styled again. The planner's screen starts with the classes of
its size (`tui/screens/breakpoints.py`) and its footer keys with the state they end in. The
dialogs' styles (`tui/modals/dialogs.tcss`) are read when the first dialog opens.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from textual.geometry import Size
from textual.screen import Screen
from textual.widgets._footer import FooterKey

from portplan.tui.app import PortplanApp
from portplan.tui.screens.breakpoints import starting_classes
from portplan.tui.screens.planner import PlannerScreen
from portplan.tui.widgets.footer import FittingFooter
from tests.tui_helpers import SIZE, make_app, run, wait_for

BREAKPOINTS = st.lists(
    st.tuples(st.integers(0, 300), st.from_regex(r"-[a-z]{1,6}", fullmatch=True)),
    max_size=4,
    unique_by=lambda breakpoint: breakpoint[0],
)


@given(width=st.integers(1, 400), height=st.integers(1, 200), wide=BREAKPOINTS, tall=BREAKPOINTS)
def test_the_starting_classes_are_the_ones_textual_gives(
    width: int, height: int, wide: list[tuple[int, str]], tall: list[tuple[int, str]]
) -> None:
    screen = Screen[None]()
    textual_gives = screen._get_breakpoint_classes(width, wide)
    textual_gives |= screen._get_breakpoint_classes(height, tall)
    assert set(starting_classes(Size(width, height), wide, tall).split()) == textual_gives


async def _start(
    app: PortplanApp, size: tuple[int, int], check: Callable[[set[str], PlannerScreen], None]
) -> None:
    """Start the planner; once its footer is up, `check` the screen's classes as it composed
    its widgets, and the screen."""
    composing: list[set[str]] = []
    compose = PlannerScreen.compose

    def recording(screen: PlannerScreen):  # type: ignore[no-untyped-def]
        composing.append(set(screen.classes))
        return compose(screen)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(PlannerScreen, "compose", recording)
        async with app.run_test(size=size) as pilot:
            await wait_for(pilot, lambda: bool(app.screen.query(FooterKey)), "the footer's keys")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, PlannerScreen)
            check(composing[0], screen)


@pytest.mark.parametrize(
    ("size", "classes"), [(SIZE, {"-normal", "-short"}), ((200, 50), {"-wide", "-tall"})]
)
def test_the_screen_is_composed_with_its_breakpoint_classes(
    reference_plan_path: Path, size: tuple[int, int], classes: set[str]
) -> None:
    def check(composed_with: set[str], screen: PlannerScreen) -> None:
        assert composed_with == classes
        assert classes <= set(screen.classes)  # and Textual's resizes left them so

    run(lambda: _start(make_app(reference_plan_path), size, check))


def test_no_footer_key_is_styled_again_for_its_compact_class(
    reference_plan_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    restyled: list[FooterKey] = []
    update_node_styles = FooterKey.update_node_styles

    def recording(key: FooterKey, animate: bool = True) -> None:
        restyled.append(key)
        update_node_styles(key, animate)

    monkeypatch.setattr(FooterKey, "update_node_styles", recording)

    def check(_: set[str], screen: PlannerScreen) -> None:
        footer = screen.query_one(FittingFooter)
        keys = list(footer.query(FooterKey))
        assert keys
        for key in keys:
            palette = key.has_class("-command-palette")
            assert key.compact == (True if palette else footer.compact)
            assert key.has_class("-compact") == key.compact
        assert restyled == []

    run(lambda: _start(make_app(reference_plan_path), SIZE, check))


def test_the_dialogs_styles_are_read_with_the_first_dialog(reference_plan_path: Path) -> None:
    def dialog_rules(app: PortplanApp) -> bool:
        return any(".dialog-head" in source.content for source in app.stylesheet.source.values())

    async def body() -> None:
        app = make_app(reference_plan_path)
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "planner")
            await pilot.pause()
            assert not dialog_rules(app)
            await pilot.press("f1")
            await wait_for(pilot, lambda: bool(app.screen.query("#frame")), "the help dialog")
            await pilot.pause()
            assert dialog_rules(app)
            frame = app.screen.query_one("#frame")
            assert frame.outer_size.width == 100  # `.dialog.help` of dialogs.tcss

    run(body)
