"""Python's cyclic garbage collector around large plans: paused while a plan is built,
analysed or edited, a plan that stays open kept out of its passes, and in the planner its
full passes moved to the moments the user does nothing (`QuietPasses`).

A plan is a tree: parsing, validating and indexing it allocate hundreds of thousands of
container objects but create no reference cycles, so reference counting frees everything
and the cyclic collector finds nothing. Left running, it still triggers a full pass over
the whole (growing) heap every so often; on a 61,440-service plan those passes cost more
than the validation and the analysis themselves (see benchmarks/README.md).

Every switch of the collector lives here, so that no other module calls `gc` itself.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

# From this size a plan that stays open is kept out of the collector's passes (see below).
FREEZE_FROM = 5_000

# While the planner is open, a full pass starts by itself only after this many passes over
# the middle generation (Python's default is 10, about one per edit on a large plan): the
# bound on what waits for a quiet moment while keys keep coming.
FULL_PASS_AFTER = 100

# How many times in a row a quiet pass Python skipped is asked again before the caller goes
# on without it (it is owed still, and tried again after the next key).
SKIPPED_RETRIES = 3

# A user who has pressed nothing for this long is reading, not typing: a full pass now is not
# in the way of an answer. Fast typing leaves 120-200 ms between keys; a pass on 61,440
# services takes 5-40 ms (benchmarks/README.md, "Fourth round").
QUIET_AFTER = 0.1


@contextmanager
def collector_paused(
    *, resume_with: Callable[[Callable[[], None]], object] | None = None
) -> Iterator[None]:
    """Disable the cyclic collector inside the block; nested use and a caller's own
    `gc.disable()` are respected (it is re-enabled only if it was enabled on entry).

    With `resume_with`, the collector stays paused after the block too, until
    `resume_with` calls the function it is handed: the planner passes "after the next
    frame", so that no pass (15-25 ms on a large plan) falls between an edit and its frame."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    if resume_with is not None:
        resume_with(gc.enable)
        yield
        return
    try:
        yield
    finally:
        gc.enable()


def keep_out_of_collections(services: int) -> None:
    """A large plan lives as long as the session and holds no reference cycles, yet every full
    pass of the cyclic collector walks all of it: over 100 ms at 61,440 services, landing in
    the middle of an edit. Frozen, the objects alive now are skipped by every later pass
    (they are still freed as usual when no longer referenced)."""
    if services >= FREEZE_FROM:
        gc.freeze()


class QuietPasses:
    """Full passes of the cyclic collector moved to the moments the user does nothing.

    On a large plan each edit leaves some ten thousand objects in reference cycles (screens
    closed, widget caches replaced) and a full pass walks every object alive that is not
    frozen: 20-70 ms at 61,440 services, and by Python's default rule it falls inside about
    every other answer to a key. Here automatic full passes wait for FULL_PASS_AFTER middle
    passes instead of 10, and the caller asks for one after each quiet spell (`collect_if_quiet`):
    young passes, a few milliseconds each, keep running as usual.

    The first pass after the first screen (`settle`) also freezes what it leaves: the screen's
    widgets and drawn lines, which then are no longer walked by every later pass."""

    def __init__(
        self,
        *,
        quiet: float = QUIET_AFTER,
        clock: Callable[[], float] = time.monotonic,
        before_pass: Callable[[], None] = lambda: None,
    ):
        self.quiet = quiet
        self._clock = clock
        # Lets go of what a cache holds only by its key, so that the pass can free it.
        self._before_pass = before_pass
        self._last_input = clock()
        self._saved: tuple[int, int, int] | None = None
        self._skipped = 0  # passes Python skipped in a row (see collect_if_quiet)
        self._settle = False

    def start(self, services: int) -> None:
        """From now on full passes wait for quiet moments; on a plan of `services` services
        from FREEZE_FROM on, the first one freezes what it leaves."""
        if self._saved is None:
            self._saved = gc.get_threshold()
            young, middle, full = self._saved
            gc.set_threshold(young, middle, max(full, FULL_PASS_AFTER))
        self._settle = services >= FREEZE_FROM

    def stop(self) -> None:
        if self._saved is not None:
            gc.set_threshold(*self._saved)
            self._saved = None

    def input_seen(self) -> None:
        self._last_input = self._clock()

    def collect_if_quiet(self) -> float | None:
        """A full pass if the user has been quiet for `quiet` seconds and one is owed (a middle
        pass ran since the last full one, or the first screen is still to settle). Returns
        the seconds to wait before asking again when it is too early or the pass could not
        run, else None."""
        wait = self._last_input + self.quiet - self._clock()
        if wait > 0:
            return wait
        if not gc.isenabled():  # an edit's own pause (collector_paused) lasts until its frame
            return self.quiet
        if gc.get_count()[2] == 0 and not self._settle:
            return None
        self._before_pass()
        passes = _full_passes_so_far()
        gc.collect()
        if _full_passes_so_far() == passes and self._skipped < SKIPPED_RETRIES:
            # Python skips a collect() asked while another thread is collecting (Textual's
            # writer can be, inside a finaliser): the pass is still owed, so ask again. A
            # few times only: the work the caller does after a pass must not wait on it.
            self._skipped += 1
            return self.quiet
        self._skipped = 0
        if self._settle:
            self._settle = False
            gc.freeze()
        return None


def _full_passes_so_far() -> int:
    return int(gc.get_stats()[2]["collections"])
