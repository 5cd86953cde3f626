"""Theme colours for plan text drawn as Rich `Text` (tree labels, details, findings, the map).

Rich text carries concrete colours, while the theme's are often translucent (`$text-muted` is
"auto 60%": a share of whatever contrasts with the background). `text_style` resolves a
component class against its widget's background and keeps no background of its own unless the
class sets one: text drawn with it never leaves a "chip" of another state's background (a
focused pane's tint, a dark theme's panel) behind it.
"""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from textual import on
from textual.events import Mount
from textual.theme import Theme
from textual.widget import Widget

from portplan.tui.labels import COMPONENT_CLASSES, STYLE_NAMES, Palette


def text_style(widget: Widget, component: str) -> Style:
    """The component class's colour, resolved on the widget, and its text style."""
    resolved = widget.get_component_rich_style(component)
    own = widget.get_component_rich_style(component, partial=True)
    return (
        Style(
            color=resolved.color if own.color is not None else None,
            bgcolor=resolved.bgcolor if own.bgcolor is not None else None,
        )
        + own.without_color
    )


class Themed(Widget):
    """Declares the `portplan--*` component classes and resolves them into a palette.

    Colours live in portplan.tcss (from theme variables); labels take the resolved styles.
    When the theme changes, `restyle` draws the widget's text again in the new colours.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = set(COMPONENT_CLASSES)

    _palette_cache: Palette | None = None

    def palette(self) -> Palette:
        # Resolving styles costs about a millisecond; after an edit the tree asks once per
        # label it redraws, so the palette is kept until the theme changes.
        if self._palette_cache is None:
            self._palette_cache = {
                name: text_style(self, f"portplan--{name}") for name in STYLE_NAMES
            }
        return self._palette_cache

    @on(Mount)
    def _follow_the_theme(self) -> None:
        # Published once the new theme's styles are in place.
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)

    def _theme_changed(self, theme: Theme) -> None:
        self._palette_cache = None
        self.restyle()

    def restyle(self) -> None:
        """Draw the text again with `palette()`: the widgets that keep built text say how."""
        self.refresh()
