"""A key is drawn without a second layout: a keystroke in an editing dialog is one frame, its
preview's new height included, and a cursor move in the planner lays the screen out once at
most, its details' new height included. The layout that set a widget's virtual size asked
for another layout and a repaint a frame later (on 61,440 services 7-20 ms, falling on the
next key when typing fast). Frames are counted as the screen's own timer draws them, in
real time (the pilot's pauses would draw frames of their own)."""

from __future__ import annotations

from pathlib import Path

from portplan.model import ServiceRef
from portplan.tui.modals.frame import Dialog
from portplan.tui.widgets.plan_tree import PlanTree
from tests.tui_helpers import (
    SIZE,
    frames_drawn_by_the_timer,
    keys_sent,
    make_app,
    planner_shown,
    run,
    screen_settled,
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
                sent = keys_sent(app, key)
                frames.append(await frames_drawn_by_the_timer(dialog, sent, then=0.1))
                heights.append(dialog.query_one("#preview").size.height)

    run(body)
    assert len(set(heights)) > 1, "no keystroke changed the preview's height"
    assert frames == [1] * len(frames)


def test_a_cursor_move_lays_the_planner_out_once_at_most(reference_plan_path: Path) -> None:
    # The details pane takes the highlighted node's text: a new height lays the screen out
    # (on 61,440 services 10-20 ms), and its virtual size set by that layout asked for a
    # second one.
    layouts: list[int] = []

    async def body() -> None:
        app = make_app(reference_plan_path)
        async with app.run_test(size=SIZE) as pilot:
            planner = await planner_shown(pilot)
            assert planner.query_one(PlanTree).select_ref(NEO4J)
            await pilot.pause(0.1)
            lay_out = planner._refresh_layout

            def counted(size: object = None, scroll: bool = False) -> None:
                if layouts:  # before the first key: what selecting Neo4j set in motion
                    layouts[-1] += 1
                lay_out(size, scroll)  # type: ignore[arg-type]

            planner._refresh_layout = counted  # type: ignore[method-assign]
            for key in ["j", "j", "k", "down", "up", "up"]:
                await screen_settled(planner)  # a layout still owed is the last key's
                layouts.append(0)
                await frames_drawn_by_the_timer(planner, keys_sent(app, key), then=0.1)

    run(body)
    assert any(layouts), "no cursor move changed the details' height"
    assert max(layouts) == 1
