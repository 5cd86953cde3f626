"""A Tree that repaints without asking for a layout, and invalidates once per bulk change.

Tree asks for a new layout of the screen on every node added, removed or opened, for a tree
sized by its content; the plan tree is sized by the screen (portplan.tcss), and when its
lines' extent changes, setting `virtual_size` asks for the layout by itself. A layout after
an edit costs a few milliseconds and one more frame (every scroll view's scroll bars redraw
after it). Tree's bookkeeping for a changed node (`_invalidate`, no public hook) runs
unchanged; only the layout it asks for is dropped.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Self, TypeVar

from textual.geometry import Region
from textual.widgets import Tree

T = TypeVar("T")


class QuietTree(Tree[T]):
    _repaint_only = False
    # While nodes are added or removed in bulk (see _in_bulk): Tree invalidates its caches and
    # asks for a repaint at every node, a fifth of building a tier of 120 lines.
    _bulk = False
    _invalidated_in_bulk = False

    def _invalidate(self) -> None:
        if self._bulk:
            self._invalidated_in_bulk = True
            return
        self._repaint_only = True
        try:
            super()._invalidate()
        finally:
            self._repaint_only = False

    @contextmanager
    def _in_bulk(self) -> Iterator[None]:
        """Add and remove nodes with one invalidation at the end, as if each did its own:
        nothing inside may look at the tree's lines (they are numbered again after)."""
        if self._bulk:
            yield
            return
        self._bulk = True
        try:
            yield
        finally:
            self._bulk = False
            if self._invalidated_in_bulk:
                self._invalidated_in_bulk = False
                self._invalidate()

    def refresh(
        self,
        *regions: Region,
        repaint: bool = True,
        layout: bool = False,
        recompose: bool = False,
    ) -> Self:
        layout = layout and not self._repaint_only
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)
