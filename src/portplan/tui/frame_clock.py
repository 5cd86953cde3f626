"""When a screen may draw its next frame: one interval after its last, and no later.

Textual draws a screen's changes on a timer of 60 ticks a second that is paused while
nothing changes. The timer keeps to a grid of ticks from when it first started and, woken
after a pause, goes to the grid point after the next one: a change made just after a frame
waited up to two intervals (33 ms) for its own. Through a terminal, a digit typed just after
the last one's preview was drawn waited 14-20 ms for nothing (`bench_pty.py --timeline`).

`FrameTimer` keeps what the timer is for, at most one frame an interval, and draws a change
as soon as that allows. Screens take it with `SteadyFrames`.
"""

from __future__ import annotations

import math

from textual import _time
from textual.screen import UPDATE_PERIOD, Screen
from textual.timer import EventTargetGone, Timer


def frame_wait(last_frame: float, now: float, interval: float) -> float:
    """Seconds to wait from `now` before a frame may start, the last having started at
    `last_frame`."""
    return max(0.0, last_frame + interval - now)


class FrameTimer(Timer):
    """A screen's update timer: a tick as soon as it is resumed, at most one an interval."""

    # Textual's own clock and sleep: on Windows asyncio's sleep is 15 ms coarse.
    clock = staticmethod(_time.get_time)
    sleep = staticmethod(_time.sleep)

    async def _run(self) -> None:
        last_frame = -math.inf
        while True:
            await self._active.wait()
            wait = frame_wait(last_frame, self.clock(), self._interval)
            if wait > 0:
                await self.sleep(wait)
                # Drawn meanwhile by a layout outside the timer, which pauses it: nothing to do.
                await self._active.wait()
            last_frame = self.clock()
            try:
                await self._tick(next_timer=last_frame, count=0)
            except EventTargetGone:
                break


class SteadyFrames:
    """A screen whose frames are timed by a `FrameTimer` (list it before the Screen class).

    Textual's screen makes its update timer on first use, through this property.
    """

    _frame_timer: FrameTimer | None = None

    @property
    def _update_timer(self) -> Timer:
        if self._frame_timer is None:
            assert isinstance(self, Screen)
            timer = FrameTimer(
                self,
                UPDATE_PERIOD,
                name="screen_update",
                callback=self._on_timer_update,
                pause=True,
            )
            # As `set_interval` does: started now, stopped with the screen.
            timer._start()
            self._timers.add(timer)
            self._frame_timer = timer
        return self._frame_timer
