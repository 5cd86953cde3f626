"""A closed dialog's widgets, with the lines they drew, are freed by the planner's next quiet
pass: Textual's colour cache, which holds them by its keys, is emptied before it."""

from __future__ import annotations

import gc
from pathlib import Path

from textual._styles_cache import StylesCache

from portplan.tui.screens.planner import PlannerScreen
from tests.tui_helpers import (
    SIZE,
    make_app,
    owe_a_full_pass,
    planner_shown,
    run,
    wait_for,
    wait_seconds,
)


def styles_caches() -> int:
    gc.collect()
    return sum(isinstance(o, StylesCache) for o in gc.get_objects())


def test_closed_dialogs_are_freed_by_the_quiet_pass(reference_plan_path: Path) -> None:
    passes: list[int] = []

    def seen(phase: str, info: dict[str, int]) -> None:
        if phase == "stop" and info["generation"] == 2:
            passes.append(1)

    async def body() -> None:
        app = make_app(reference_plan_path)
        async with app.run_test(size=SIZE) as pilot:
            await planner_shown(pilot)
            await pilot.pause(0.3)
            before = styles_caches()
            for _ in range(4):
                await pilot.press("f1")
                await wait_for(pilot, lambda: not isinstance(app.screen, PlannerScreen), "help")
                await pilot.press("escape")
                await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "closed")
            owe_a_full_pass()
            gc.callbacks.append(seen)
            try:
                await pilot.press("down")  # and asked for 0.1 s after this key
                await wait_seconds(pilot, lambda: passes, "a quiet pass")
            finally:
                gc.callbacks.remove(seen)
            # Four help screens' widgets would still be held (dozens of caches) if not freed.
            assert styles_caches() <= before + 2

    run(body)
