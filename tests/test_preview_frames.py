"""A keystroke in an editing dialog is drawn in one frame, its preview's new height included:
no second layout or repaint follows it (each cost a frame of work, on 61,440 services 7 ms,
and fell on the next keystroke when typing fast). Frames are counted as the screen's own
timer draws them, in real time (the pilot's pauses would draw frames of their own)."""

from __future__ import annotations

from pathlib import Path

from portplan.model import ServiceRef
from portplan.tui.modals.frame import Dialog
from portplan.tui.widgets.plan_tree import PlanTree
from tests.tui_helpers import (
    SIZE,
    frames_drawn_by_the_timer,
    make_app,
    planner_shown,
    run,
    wait_for,
)

NEO4J = ServiceRef("NEURECTOMY", "Databases", "Neo4j Bolt")


def test_each_keystroke_of_a_preview_is_one_frame(reference_plan_path: Path) -> None:
    frames: list[int] = []
    heights: list[int] = []

    async def body() -> None:
        app = make_app(reference_plan_path)
        async with app.run_test(size=SIZE) as pilot:
            planner = await planner_shown(pilot)
            assert planner.query_one(PlanTree).select_ref(NEO4J)
            await pilot.pause()
            await pilot.press("m")
            await wait_for(pilot, lambda: isinstance(app.screen, Dialog), "move dialog")
            dialog = app.screen
            await pilot.pause(0.1)
            # Onto Redis's port and back off it, a digit at a time: the preview grows and
            # shrinks as the findings come and go. After each, room for a frame that would
            # follow (Textual's timer waits up to two frames, 33 ms).
            for key in ["1", "6", "5", "0", "0", "backspace", "backspace", "backspace"]:

                async def press(key: str = key) -> None:
                    await app._press_keys([key])

                frames.append(await frames_drawn_by_the_timer(dialog, press, then=0.1))
                heights.append(dialog.query_one("#preview").size.height)

    run(body)
    assert len(set(heights)) > 1, "no keystroke changed the preview's height"
    assert frames == [1] * len(frames)
