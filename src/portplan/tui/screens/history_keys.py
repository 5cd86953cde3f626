"""Undo and redo keys, taken together when they come faster than the screen is drawn.

A held u, or u pressed many times in a row, sends keys faster than the planner can redraw a
plan of 60,000 services after each. Each key therefore only queues its step; once the keys
already waiting have been handled, the steps are taken in one go (`Session.travel`: the plan
and findings end exactly as after each step alone, the rules run once) and the screen is
refreshed once. Any other action first takes the steps still queued, so that every key acts
on the plan as the keys before it left it.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from portplan.edits import Edit
from portplan.session import Step

Callback = Callable[[], None]
WORDS = {"undo": ("Undid", "Nothing to undo"), "redo": ("Redid", "Nothing to redo")}


# Keys this close after the last steps were taken are coming in a stream (a held key, a
# burst): they are gathered for a frame (Textual draws at most 60 a second) before being taken.
STREAM = 0.1
FRAME = 1 / 60


class HistoryKeys:
    def __init__(
        self,
        soon: Callable[[Callback], object],
        later: Callable[[float, Callback], object],
        take: Callable[[list[Step]], None],
    ) -> None:
        # `soon` runs a callback once the message being handled is done; `later` after a delay.
        self._soon, self._later, self._take = soon, later, take
        self._steps: list[Step] = []
        self._last_taken = -STREAM

    def press(self, step: Step) -> None:
        if not self._steps:
            if time.monotonic() - self._last_taken < STREAM:
                self._later(FRAME, self.flush)
            else:
                self._soon(self.flush)
        self._steps.append(step)

    def flush(self) -> None:
        """Take the steps queued so far, if any (harmless to call at any time)."""
        steps, self._steps = self._steps, []
        if steps:
            self._take(steps)
            self._last_taken = time.monotonic()


def status_after(step: Step, edit: Edit | None) -> str:
    """What the status line says after the last step: what it undid or redid, or that there
    was nothing to (the summary of the plan follows it)."""
    done, nothing = WORDS[step]
    return nothing if edit is None else f"{done}: {edit.label}"
