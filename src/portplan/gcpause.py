"""Pause Python's cyclic garbage collector while a large plan is built, analysed or edited.

A plan is a tree: parsing, validating and indexing it allocate hundreds of thousands of
container objects but create no reference cycles, so reference counting frees everything
and the cyclic collector finds nothing. Left running, it still triggers a full pass over
the whole (growing) heap every so often; on a 61,440-service plan those passes cost more
than the validation and the analysis themselves (see benchmarks/README.md).

Every switch of the collector lives here, so that no other module calls `gc` itself.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager

# From this size a plan that stays open is kept out of the collector's passes (see below).
FREEZE_FROM = 5_000


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
