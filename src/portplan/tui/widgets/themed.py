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

    def palette(self) -> Palette:
        return {name: self.get_component_rich_style(f"portplan--{name}") or Style()
                for name in STYLE_NAMES}
