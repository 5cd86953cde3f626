"""`update_in_place`: new content in a Static is laid out only when its height changes, and
the screen is then what a forced layout gives."""

from __future__ import annotations

import random
from typing import Any

from rich.text import Text
from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from portplan.tui.widgets.steady import update_in_place
from tests.tui_helpers import run

WORDS = ["port", "16500", "taken", "by", "NEURECTOMY/Cache & Messaging/Redis", "✗", "界面"]


class _Host(App[None]):
    CSS = "Static { height: auto; } #below { height: 3; background: $panel; }"

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static("", id="shown")
            yield Static("what sits below moves when the text above grows", id="below")


def _texts(seed: int, count: int) -> list[Text | str]:
    """Texts of one to four lines, some short, some wrapping, some repeated in height."""
    chooser = random.Random(seed)
    texts: list[Text | str] = []
    for _ in range(count):
        lines = [
            " ".join(chooser.choices(WORDS, k=chooser.choice([1, 2, 2, 3, 9])))
            for _ in range(chooser.choice([1, 1, 2, 3]))
        ]
        joined = "\n".join(lines)
        texts.append(Text(joined, style="bold") if chooser.random() < 0.5 else joined)
    return texts + [""]


def test_each_update_equals_a_forced_layout_and_only_a_new_height_lays_out() -> None:
    async def body() -> None:
        app = _Host()
        async with app.run_test(size=(40, 20)) as pilot:
            shown = app.query_one("#shown", Static)
            layouts: list[bool] = []
            refresh = shown.refresh

            def spy(*regions: Any, **options: Any) -> Any:
                layouts.append(bool(options.get("layout")))
                return refresh(*regions, **options)

            shown.refresh = spy  # type: ignore[method-assign]
            await pilot.pause()
            kept = grew = 0
            for text in _texts(7, 60):
                height = shown.size.height
                layouts.clear()
                update_in_place(shown, text)
                await pilot.pause()
                if shown.size.height == height:
                    kept += 1
                    assert not any(layouts), f"laid out at an unchanged height: {text!r}"
                else:
                    grew += 1
                now = shown.size.height, app.export_screenshot()
                shown.refresh(layout=True)
                await pilot.pause()
                forced = shown.size.height, app.export_screenshot()
                assert now == forced, f"differs from a forced layout after {text!r}"
            assert kept >= 10 and grew >= 10  # both paths were taken

    run(body)
