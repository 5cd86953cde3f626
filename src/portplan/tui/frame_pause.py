"""No cyclic-collector pass between something the user did and the frame that shows it.

On a large plan a young pass costs a few milliseconds and a middle one up to 25; one falling
between a key and its frame made the answer miss its budget. Every edit holds the collector
until its frame has been drawn and written.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager

from textual.dom import DOMNode

from portplan.gcpause import collector_paused

# How long the terminal writer takes to write a frame after an edit (3-10 ms measured on
# 61,440 services, benchmarks/README.md).
FRAME_WRITE_TIME = 0.012
# If the node goes away before its next frame, its callbacks never run: the collector comes
# back after this long whatever happens.
AT_THE_LATEST = 0.25


def paused_until_written(node: DOMNode) -> AbstractContextManager[None]:
    """Hold the collector from here until `node`'s next frame is written."""

    def resume_after_the_frame(resume: Callable[[], None]) -> None:
        once = _Once(resume)
        # Once the frame is drawn, Textual's writer thread still has to write it, and needs
        # the interpreter's lock: the young pass the held allocations start as soon as the
        # collector is back (6-9 ms on 61,440 services) held that write back. So it comes
        # back a moment later.
        node.call_after_refresh(node.app.set_timer, FRAME_WRITE_TIME, once)
        node.app.set_timer(AT_THE_LATEST, once)

    return collector_paused(resume_with=resume_after_the_frame)


class _Once:
    """Resume at the first call only: a later one may fall inside the next hold."""

    def __init__(self, resume: Callable[[], None]) -> None:
        self._resume: Callable[[], None] | None = resume

    def __call__(self) -> None:
        resume, self._resume = self._resume, None
        if resume is not None:
            resume()
