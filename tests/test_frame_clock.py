"""A screen's frames: one as soon as something changes, never two within an interval, and no
wait longer than what is left of the interval since the last frame."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from textual.timer import EventTargetGone

from portplan.tui.frame_clock import FrameTimer
from portplan.tui.modals.frame import Dialog
from tests.tui_helpers import (
    frames_drawn_by_the_timer,
    keys_sent,
    make_app,
    planner_shown,
    run,
    wait_for,
)

INTERVAL = 1 / 60


class _Target:
    """What the timer ticks for (it holds it by a weak reference)."""


class _Timeline:
    """A clock that moves only when the test moves it."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []
        self.ticks: list[float] = []
        self.wake: float | None = None  # when the sleeping timer wakes


def _timer(timeline: _Timeline, target: _Target, ticks: int) -> FrameTimer:
    class Recorded(FrameTimer):
        @staticmethod
        def clock() -> float:
            return timeline.now

        @staticmethod
        async def sleep(seconds: float) -> None:
            timeline.sleeps.append(seconds)
            timeline.wake = timeline.now + seconds
            while timeline.now < timeline.wake:
                await asyncio.sleep(0)
            timeline.wake = None

        async def _tick(self, *, next_timer: float, count: int) -> None:
            timeline.ticks.append(timeline.now)
            self.pause()  # as the screen does on each update
            if len(timeline.ticks) == ticks:
                raise EventTargetGone

    return Recorded(target, INTERVAL, name="screen_update", pause=True)


async def _settle() -> None:
    for _ in range(10):
        await asyncio.sleep(0)


def _schedule(changes: list[tuple[float, str]], ticks: int) -> _Timeline:
    """Runs a timer through `changes` (at a time: "resume" or "pause") until `ticks`."""
    timeline = _Timeline()
    target = _Target()

    async def move_to(moment: float) -> None:
        # The timer wakes on its way there, at the time it asked for.
        while timeline.wake is not None and timeline.wake <= moment:
            timeline.now = timeline.wake
            await _settle()
        timeline.now = max(timeline.now, moment)

    async def body() -> None:
        timer = _timer(timeline, target, ticks)
        task = asyncio.create_task(timer._run())
        for moment, change in changes:
            await move_to(moment)
            timer.resume() if change == "resume" else timer.pause()
            await _settle()
        await move_to(timeline.now + 10)
        assert task.done(), f"{len(timeline.ticks)} ticks, not {ticks}"

    run(body)
    return timeline


def test_a_change_after_a_quiet_spell_is_drawn_at_once() -> None:
    timeline = _schedule([(0.0, "resume"), (1.0, "resume"), (2.5, "resume")], ticks=3)
    assert timeline.ticks == [0.0, 1.0, 2.5]
    assert timeline.sleeps == []


def test_a_change_right_after_a_frame_waits_only_for_the_rest_of_the_interval() -> None:
    # Textual's own timer waits for the grid point after the next one here: up to 33 ms.
    timeline = _schedule([(0.0, "resume"), (0.005, "resume")], ticks=2)
    assert timeline.sleeps == [pytest.approx(INTERVAL - 0.005)]
    assert timeline.ticks == [0.0, pytest.approx(INTERVAL)]


def test_frames_never_come_closer_than_an_interval() -> None:
    changes = [(step * 0.004, "resume") for step in range(40)]
    timeline = _schedule(changes, ticks=8)
    gaps = [b - a for a, b in zip(timeline.ticks, timeline.ticks[1:], strict=False)]
    assert all(gap >= INTERVAL - 1e-9 for gap in gaps)
    assert all(gap <= INTERVAL + 0.004 + 1e-9 for gap in gaps)  # no frame skipped


def test_a_change_drawn_by_other_means_while_waiting_draws_no_frame() -> None:
    # The screen lays itself out and draws outside the timer, and pauses it: the wait ends
    # with nothing to draw, and the next change is drawn when it comes.
    changes = [(0.0, "resume"), (0.005, "resume"), (0.006, "pause"), (0.5, "resume")]
    timeline = _schedule(changes, ticks=2)
    assert timeline.ticks == [0.0, 0.5]


def test_the_planner_and_its_dialogs_draw_on_the_frame_clock(reference_plan_path: Path) -> None:
    async def body() -> None:
        app = make_app(reference_plan_path)
        async with app.run_test(size=(120, 36)) as pilot:
            planner = await planner_shown(pilot)
            assert isinstance(planner._update_timer, FrameTimer)
            assert await frames_drawn_by_the_timer(planner, keys_sent(app, "down")) >= 1
            await pilot.press("slash")
            await wait_for(pilot, lambda: isinstance(app.screen, Dialog), "find dialog")
            dialog = app.screen
            assert isinstance(dialog._update_timer, FrameTimer)
            sent = keys_sent(app, "L", "o", "k", "i")
            assert await frames_drawn_by_the_timer(dialog, sent) >= 1
            assert "Loki" in app.export_screenshot()

    run(body)
