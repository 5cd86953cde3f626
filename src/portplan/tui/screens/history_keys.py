"""Undo and redo keys, taken together when they come faster than the screen is drawn.

A held u, or u pressed many times in a row, sends keys faster than the planner can redraw a
plan of 60,000 services after each. Each key therefore only queues its step; once the keys
already waiting have been handled, the steps are taken in one go (`Session.travel`: the plan
and findings end exactly as after each step alone, the rules run once) and the screen is
refreshed once. Any other action first takes the steps still queued, so that every key acts
on the plan as the keys before it left it.
"""

from __future__ import annotations

from collections.abc import Callable

from portplan.edits import Edit
from portplan.session import Step

Callback = Callable[[], None]
WORDS = {"undo": ("Undid", "Nothing to undo"), "redo": ("Redid", "Nothing to redo")}


# Keys pressed while the screen is still busy with the last steps (before their frame is
# drawn: a held key, a burst) are gathered for a frame (Textual draws at most 60 a second)
# before being taken; a key pressed after that frame is a press of its own, taken at once.
FRAME = 1 / 60


class HistoryKeys:
    def __init__(
        self,
        soon: Callable[[Callback], object],
        later: Callable[[float, Callback], object],
        take: Callable[[list[Step]], None],
    ) -> None:
        # `soon` runs a callback once the message being handled is done; `later` after a delay.
        # `take` takes the steps and has `drawn` called once their frame is drawn.
        self._soon, self._later, self._take = soon, later, take
        self._steps: list[Step] = []
        self._drawing = False  # steps were taken, and their frame is not drawn yet

    def press(self, step: Step) -> None:
        if not self._steps:
            if self._drawing:
                self._later(FRAME, self.flush)
            else:
                self._soon(self.flush)
        self._steps.append(step)

    def flush(self) -> None:
        """Take the steps queued so far, if any (harmless to call at any time)."""
        steps, self._steps = self._steps, []
        if steps:
            self._drawing = True
            self._take(steps)

    def drawn(self) -> None:
        """The frame after the steps taken last is drawn: the next key is a press of its own."""
        self._drawing = False


def status_after(step: Step, edit: Edit | None) -> str:
    """What the status line says after the last step: what it undid or redid, or that there
    was nothing to (the summary of the plan follows it)."""
    done, nothing = WORDS[step]
    return nothing if edit is None else f"{done}: {edit.label}"
