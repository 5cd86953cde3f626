"""A footer that shows only whole keys: as many as fit, those of the focused pane first, and
always F1 (which lists every key). Textual's own footer cuts the last key at any width it
does not fit (`q Q` at 80 columns); a key left out here is still in F1 and the palette."""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Footer

# The key that is never left out: F1 tells about every other one.
ALWAYS_SHOWN = "help"
# A key's cells besides its text: padding around the key and after the description.
KEY_PADDING = 3
# The palette key also has a border and its own padding.
PALETTE_EXTRA = 2


class FittingFooter(Footer):
    def compose(self) -> ComposeResult:
        # Footer yields one item per key (Textual's FooterKey, which it does not export).
        keys = list(super().compose())
        room = (self.size.width or self.app.size.width) - sum(
            _width(key) for key in keys if _action(key) == ALWAYS_SHOWN
        )
        for key in keys:
            palette = key.has_class("-command-palette")
            if _action(key) == ALWAYS_SHOWN:
                yield key
            elif _width(key) + (PALETTE_EXTRA if palette else 0) <= room:
                room -= _width(key)
                yield key

    def on_resize(self) -> None:
        self.call_after_refresh(self.recompose)


def _action(key: Widget) -> str:
    return str(getattr(key, "action", ""))


def _width(key: Widget) -> int:
    shown = str(getattr(key, "key_display", "")), str(getattr(key, "description", ""))
    return sum(cell_len(text) for text in shown) + KEY_PADDING
