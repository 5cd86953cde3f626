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
    # What the keys mounted now were composed from (see _inputs): a recompose from the same
    # inputs would mount the same keys again.
    _composed_from: tuple[object, ...] | None = None

    def compose(self) -> ComposeResult:
        self._composed_from = self._inputs()
        # Footer yields one item per key (Textual's FooterKey, which it does not export).
        keys = list(super().compose())
        room = self._room() - sum(_width(key) for key in keys if _action(key) == ALWAYS_SHOWN)
        for key in keys:
            palette = key.has_class("-command-palette")
            # Footer binds every key's `compact` to its own but the palette key's.
            _start_as(key, compact=True if palette else self.compact)
            if _action(key) == ALWAYS_SHOWN:
                yield key
            elif _width(key) + (PALETTE_EXTRA if palette else 0) <= room:
                room -= _width(key)
                yield key

    def _room(self) -> int:
        return self.size.width or self.app.size.width

    def _inputs(self) -> tuple[object, ...]:
        """All that Footer.compose and the fitting above draw the keys from."""
        shown = tuple(
            (binding, enabled, tooltip)
            for (_, binding, enabled, tooltip) in self.screen.active_bindings.values()
            if binding.show or binding.action == "command_palette"
        )
        return (self._room(), self._bindings_ready, self.show_command_palette, shown)

    async def recompose(self) -> None:
        # Textual recomposes the footer whenever its keys may have changed: on every focus
        # change and binding update (four times before the planner's first frame), and this
        # footer on every resize. Mostly nothing changed, and mounting the same keys again
        # costs a layout and a frame.
        if not self.is_attached:
            return  # its screen has gone (Textual's recompose does nothing then either)
        if self._composed_from is not None and self._inputs() == self._composed_from:
            return
        await super().recompose()

    def on_resize(self) -> None:
        self.call_after_refresh(self.recompose)


def _start_as(key: Widget, *, compact: bool) -> None:
    """Give a key, before it mounts, the `compact` it ends with. Mounting, a key takes its
    default (compact) and its -compact class, which styles it again, and a third time when
    the footer's binding sets the footer's value."""
    key.set_reactive(getattr(type(key), "compact"), compact)  # noqa: B009 (a private class's)
    key.set_class(compact, "-compact", update=False)


def _action(key: Widget) -> str:
    return str(getattr(key, "action", ""))


def _width(key: Widget) -> int:
    shown = str(getattr(key, "key_display", "")), str(getattr(key, "description", ""))
    return sum(cell_len(text) for text in shown) + KEY_PADDING
