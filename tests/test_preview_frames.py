"""A keystroke in an editing dialog is drawn in one frame, its preview's new height included:
no second layout or repaint follows it (each cost a frame of work, on 61,440 services 7 ms,
and fell on the next keystroke when typing fast)."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from portplan.model import ServiceRef
from portplan.tui.modals.frame import Dialog
from portplan.tui.widgets.plan_tree import PlanTree
from tests.tui_helpers import SIZE, make_app, planner_shown, run, wait_for

NEO4J = ServiceRef("NEURECTOMY", "Databases", "Neo4j Bolt")


def test_each_keystroke_of_a_preview_is_one_frame(reference_plan_path: Path) -> None:
    frames: list[int] = []
    heights: list[int] = []

    async def drawn(pilot: Pilot[None], dialog: Dialog[object]) -> None:
        await wait_for(
            pilot,
            lambda: not (dialog._dirty_widgets or dialog._layout_required),
            "the keystroke drawn",
        )
        await pilot.pause(0.1)  # room for any frame that would follow (Textual waits <= 33 ms)

    async def body() -> None:
        app = make_app(reference_plan_path)
        async with app.run_test(size=SIZE) as pilot:
            planner = await planner_shown(pilot)
            assert planner.query_one(PlanTree).select_ref(NEO4J)
            await pilot.pause()
            await pilot.press("m")
            await wait_for(pilot, lambda: isinstance(app.screen, Dialog), "move dialog")
            dialog = app.screen
            assert isinstance(dialog, Dialog)
            await drawn(pilot, dialog)
            draw = dialog._compositor_refresh

            def counted() -> None:
                frames[-1] += 1
                draw()

            dialog._compositor_refresh = counted  # type: ignore[method-assign]
            # Onto Redis's port and back off it, a digit at a time: the preview grows and
            # shrinks as the findings come and go.
            for key in ["1", "6", "5", "0", "0", "backspace", "backspace", "backspace"]:
                frames.append(0)
                await pilot.press(key)
                await drawn(pilot, dialog)
                heights.append(dialog.query_one("#preview").size.height)

    run(body)
    assert len(set(heights)) > 1, "no keystroke changed the preview's height"
    assert frames == [1] * len(frames)
