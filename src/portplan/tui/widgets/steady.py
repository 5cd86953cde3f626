"""Showing new content in a `Static` without laying the whole screen out again.

`Static.update` asks for a layout of the screen, and a layout redraws every scroll bar on it
(on 61,440 services each costs 10-20 ms, once per edit or keystroke). When the new content
takes as many rows as the old one at the widget's width, the widget keeps its box, so
drawing it again is enough. Heights are measured the way Textual measures them for layout
(`get_content_height`), so the shortcut cannot disagree with a layout.
"""

from __future__ import annotations

from textual.geometry import Size
from textual.reactive import Reactive
from textual.visual import VisualType
from textual.widgets import Static


def update_in_place(widget: Static, content: VisualType) -> None:
    """`widget.update(content)`, laid out again only when its height changes."""
    width = widget.content_region.width
    if width <= 0 or not widget.display:  # never laid out yet: nothing to keep
        widget.update(content)
        return
    size = widget.size  # a Static's height depends on its width alone
    before = widget.get_content_height(size, size, width)
    widget.update(content, layout=False)
    if widget.get_content_height(size, size, width) != before:
        widget.refresh(layout=True)


def virtual_size_without_layout() -> Reactive[Size]:
    """A `virtual_size` for a widget whose box never depends on it.

    Textual's own asks for a layout of the screen and a repaint of the widget whenever the
    value changes. For a widget whose virtual size is set by the layout that measured it,
    that is a second layout and a second frame with nothing left to move or draw (the
    layout's own frame drew the widget where it now is): on 61,440 services, 7 ms a frame
    after each keystroke of a dialog's preview. An input sets it to its text's width, and
    would lay the dialog out at every keystroke; its new value repaints it anyway. A scroll
    container still lays out again when its scroll bar comes or goes (`_scroll_update` asks
    for that itself) and redraws the bar when its thumb changes.
    """
    return Reactive(Size(0, 0), layout=False, repaint=False)
