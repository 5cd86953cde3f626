"""A footer that shows only whole keys: as many as fit, those of the focused pane first, and
always F1 (which lists every key). Textual's own footer cuts the last key at any width it
does not fit (`q Q` at 80 columns); a key left out here is still in F1 and the palette.

The keys are drawn by the footer itself, as one line, exactly as Textual's FooterKey draws
each: a widget per key is mounted, styled, laid out and drawn on its own, and the planner's
eight cost 2.6% of its first screen. The footer answers the mouse as the keys did: a key
under the pointer is highlighted and shows its tooltip, and a click presses it. Only the
palette key, docked right behind its border, stays Textual's widget.
"""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Footer

from portplan.records import record

# The key that is never left out: F1 tells about every other one.
ALWAYS_SHOWN = "help"
# A key's cells besides its text: padding around the key and after the description.
KEY_PADDING = 3
# The palette key also has a border and its own padding.
PALETTE_EXTRA = 2


@record
class DrawnKey:
    """A key the footer draws: what it shows, what a click presses, where it is drawn."""

    key: str
    key_display: str
    description: str
    enabled: bool
    tooltip: str
    start: int  # its first cell on the footer's line
    width: int


class FittingFooter(Footer):
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "footer-key--key",
        "footer-key--description",
        "footer-key--hover",
    }
    # FooterKey's styles, for the keys drawn here (its `:hover` is the hover class).
    DEFAULT_CSS = """
    FittingFooter {
        text-wrap: nowrap;
        .footer-key--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
            padding: 0 1;
        }
        .footer-key--description {
            padding: 0 1 0 0;
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        .footer-key--hover {
            color: $footer-key-foreground;
            background: $block-hover-background;
        }
        &.-compact {
            .footer-key--key {
                padding: 0;
            }
            .footer-key--description {
                padding: 0 0 0 1;
            }
        }
    }
    """

    # What the keys shown now were composed from (see _inputs): a recompose from the same
    # inputs would show the same keys again.
    _composed_from: tuple[object, ...] | None = None
    _drawn: tuple[DrawnKey, ...] = ()
    _hovered: int | None = None  # the index in _drawn of the key under the pointer

    def compose(self) -> ComposeResult:
        self._composed_from = self._inputs()
        # Footer yields one item per key (Textual's FooterKey, which it does not export).
        keys = list(super().compose())
        room = self._room() - sum(_width(key) for key in keys if _action(key) == ALWAYS_SHOWN)
        drawn: list[Widget] = []
        for key in keys:
            palette = key.has_class("-command-palette")
            if _action(key) != ALWAYS_SHOWN:
                if _width(key) + (PALETTE_EXTRA if palette else 0) > room:
                    continue
                room -= _width(key)
            if palette:
                _start_as(key, compact=True)  # Footer does not bind the palette key's
                yield key
            else:
                drawn.append(key)
        self._draw(drawn)

    def _draw(self, keys: list[Widget]) -> None:
        start, gap = 0, 1 if self.compact else 0  # compact: FooterKey's margin-right
        shown: list[DrawnKey] = []
        for key in keys:
            width = self._text_of(key).cell_len
            shown.append(
                DrawnKey(
                    str(getattr(key, "key", "")),
                    str(getattr(key, "key_display", "")),
                    str(getattr(key, "description", "")),
                    not key.has_class("-disabled"),
                    str(key.tooltip or ""),
                    start,
                    width,
                )
            )
            start += width + gap
        self._drawn = tuple(shown)
        self._hover(None, again=True)  # what was under the pointer may be gone

    def shown_keys(self) -> list[tuple[str, str, Region]]:
        """Each key on screen: its key, its description and the region it is drawn in."""
        x, y = self.content_region.offset
        keys = [
            (k.key_display, k.description, Region(x + k.start, y, k.width, 1)) for k in self._drawn
        ]
        for palette in self.children:
            keys.append(
                (_text(palette, "key_display"), _text(palette, "description"), palette.region)
            )
        return keys

    # --- drawing, as FooterKey.render ---------------------------------------------------

    def _text_of(self, key: Widget | DrawnKey, hovered: bool = False) -> Text:
        key_style = self.get_component_rich_style("footer-key--key")
        description_style = self.get_component_rich_style("footer-key--description")
        base = self.rich_style
        if hovered:
            hover = self.get_component_rich_style("footer-key--hover")
            key_style += Style(bgcolor=hover.bgcolor)
            description_style += Style(bgcolor=hover.bgcolor)
            base += hover
        key_padding = self.get_component_styles("footer-key--key").padding
        description_padding = self.get_component_styles("footer-key--description").padding
        key_display, description = _text(key, "key_display"), _text(key, "description")
        if description:
            text = Text.assemble(
                (" " * key_padding.left + key_display + " " * key_padding.right, key_style),
                (
                    " " * description_padding.left + description + " " * description_padding.right,
                    description_style,
                ),
            )
        else:
            text = Text.assemble((key_display, key_style))
        text.stylize_before(base)
        enabled = key.enabled if isinstance(key, DrawnKey) else not key.has_class("-disabled")
        if not enabled:
            text.stylize(Style(dim=True))  # FooterKey.-disabled
        return text

    def render(self) -> Text:
        gap = Text(" " if self.compact else "")
        return gap.join(
            self._text_of(key, hovered=index == self._hovered)
            for index, key in enumerate(self._drawn)
        )

    # --- the mouse ----------------------------------------------------------------------

    def _key_at(self, event: events.MouseEvent) -> int | None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y != 0:
            return None
        return next(
            (
                i
                for i, key in enumerate(self._drawn)
                if key.start <= offset.x < key.start + key.width
            ),
            None,
        )

    def _hover(self, index: int | None, *, again: bool = False) -> None:
        if index == self._hovered and not again:
            return
        self._hovered = index
        key = self._drawn[index] if index is not None else None
        tooltip = (key.tooltip or None) if key is not None else None
        if self.tooltip != tooltip:
            self.tooltip = tooltip
        if self.styles.pointer != ("pointer" if key is not None else "default"):
            self.styles.pointer = "pointer" if key is not None else "default"
        self.refresh()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self._hover(self._key_at(event))

    def on_leave(self) -> None:
        self._hover(None)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        index = self._key_at(event)
        if index is None:
            return
        key = self._drawn[index]
        if key.enabled:
            self.app.simulate_key(key.key)
        else:
            self.app.bell()

    # --- when to compose again ----------------------------------------------------------

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
    default (compact) and its -compact class, which styles it again."""
    key.set_reactive(getattr(type(key), "compact"), compact)  # noqa: B009 (a private class's)
    key.set_class(compact, "-compact", update=False)


def _text(key: object, name: str) -> str:
    return str(getattr(key, name, ""))


def _action(key: Widget) -> str:
    return _text(key, "action")


def _width(key: Widget) -> int:
    shown = _text(key, "key_display"), _text(key, "description")
    return sum(cell_len(text) for text in shown) + KEY_PADDING
