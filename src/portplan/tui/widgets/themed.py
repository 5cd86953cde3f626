"""Theme colours for plan text drawn as Rich `Text` (tree labels, details, findings)."""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from textual.widget import Widget

from portplan.tui.labels import COMPONENT_CLASSES, STYLE_NAMES, Palette


class Themed(Widget):
    """Declares the `portplan--*` component classes and resolves them into a palette.

    Colours live in portplan.tcss (from theme variables); labels take the resolved styles.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = set(COMPONENT_CLASSES)

    _palette_cache: tuple[str, Palette] | None = None

    def palette(self) -> Palette:
        # Resolving styles costs about a millisecond; after an edit the tree asks once per
        # label it redraws, so the palette is kept until the theme changes.
        theme = self.app.theme
        if self._palette_cache is None or self._palette_cache[0] != theme:
            self._palette_cache = (
                theme,
                {
                    name: self.get_component_rich_style(f"portplan--{name}") or Style()
                    for name in STYLE_NAMES
                },
            )
        return self._palette_cache[1]
