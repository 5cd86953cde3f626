"""The breakpoint classes a screen starts with, so that its widgets are styled only once.

Textual gives a screen the classes of its `HORIZONTAL_BREAKPOINTS` and
`VERTICAL_BREAKPOINTS` on its first resize, which comes after its widgets have been styled:
the new classes then style every widget of the screen a second time. A screen built with the
classes of the terminal's size finds them already there; later resizes set them as before.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.geometry import Size

Breakpoints = Sequence[tuple[int, str]]


def starting_classes(size: Size, horizontal: Breakpoints, vertical: Breakpoints) -> str:
    """The breakpoint classes Textual gives a screen of `size`, space-separated."""
    reached = (_reached(size.width, horizontal), _reached(size.height, vertical))
    return " ".join(name for name in reached if name)


def _reached(dimension: int, breakpoints: Breakpoints) -> str:
    # As Textual's Screen._get_breakpoint_classes: the name of the largest breakpoint that
    # the dimension reaches.
    reached = [(at, name) for at, name in breakpoints if dimension >= at]
    return max(reached)[1] if reached else ""
