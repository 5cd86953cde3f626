"""Undo and redo keys: a press of its own is taken at once; keys pressed while the screen is
still drawing the last steps wait a frame and are taken together."""

from __future__ import annotations

from collections.abc import Callable

from portplan.session import Step
from portplan.tui.screens.history_keys import FRAME, HistoryKeys


class _Loop:
    """Stands for the screen: what runs soon, what runs later, and the steps taken."""

    def __init__(self) -> None:
        self.soon: list[Callable[[], None]] = []
        self.later: list[tuple[float, Callable[[], None]]] = []
        self.taken: list[list[Step]] = []
        self.keys = HistoryKeys(
            self.soon.append, lambda delay, run: self.later.append((delay, run)), self.taken.append
        )

    def run_soon(self) -> None:
        while self.soon:
            self.soon.pop(0)()

    def run_later(self) -> list[float]:
        delays = [delay for delay, _ in self.later]
        while self.later:
            self.later.pop(0)[1]()
        return delays


def test_a_press_after_the_frame_is_taken_at_once() -> None:
    loop = _Loop()
    for _ in range(3):
        loop.keys.press("undo")
        assert loop.soon and not loop.later  # nothing waits a frame
        loop.run_soon()
        loop.keys.drawn()
    assert loop.taken == [["undo"]] * 3


def test_keys_pressed_before_the_frame_wait_one_and_go_together() -> None:
    loop = _Loop()
    loop.keys.press("undo")
    loop.run_soon()  # the first key of a burst is taken alone, at once
    for step in ["undo"] * 98 + ["redo"]:
        loop.keys.press(step)  # the rest came while its frame was being drawn
    assert not loop.soon
    assert loop.run_later() == [FRAME]
    assert loop.taken == [["undo"], ["undo"] * 98 + ["redo"]]
    loop.keys.drawn()
    loop.keys.press("redo")
    assert loop.soon and not loop.later


def test_flush_takes_what_is_queued_and_nothing_twice() -> None:
    loop = _Loop()
    loop.keys.flush()
    assert loop.taken == []
    loop.keys.press("undo")
    loop.keys.flush()  # another action comes first: the queued step is taken before it
    loop.run_soon()
    assert loop.taken == [["undo"]]
