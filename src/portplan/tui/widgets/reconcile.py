"""Which of a node's children can stay when its list of children changes.

Adding or removing a tree node makes Textual rebuild every tree line, and a new node needs a
new label, so an edit keeps as many nodes as it can: those whose order already matches the
wanted list (the longest run of them, in order); the rest are removed and added anew.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Hashable, Sequence


def kept_positions(current: Sequence[Hashable], wanted: Sequence[Hashable]) -> set[int]:
    """Positions in `current` whose items stay: in `wanted`, and in the same relative order.

    The longest increasing run of their positions in `wanted` (patience sorting), so a moved
    item costs one removal and one addition whatever the distance it moved."""
    where = {item: position for position, item in enumerate(wanted)}
    candidates = [(index, where[item]) for index, item in enumerate(current) if item in where]
    tails: list[int] = []  # tails[k]: the smallest wanted-position ending a run of k + 1
    tail_at: list[int] = []  # the candidate ending that run
    previous: list[int] = [-1] * len(candidates)
    for number, (_, target) in enumerate(candidates):
        length = bisect_left(tails, target)
        if length == len(tails):
            tails.append(target)
            tail_at.append(number)
        else:
            tails[length] = target
            tail_at[length] = number
        previous[number] = tail_at[length - 1] if length else -1
    kept: set[int] = set()
    number = tail_at[-1] if tail_at else -1
    while number != -1:
        kept.add(candidates[number][0])
        number = previous[number]
    return kept
