"""A plan tree label in parts, so that it can give way in a narrow pane without losing what
matters: at 80 columns a project's line is wider than the tree, and cropping it at the edge
cut off its ✗/⚠ counts (and grew a horizontal scroll bar).

What gives way, in order: the name is cut to `SHORT_NAME` cells (with an ellipsis), then the
optional details are dropped from the last, then the name is cut further, down to one cell
and the ellipsis. The head (a service's marker and port) and the tail (the counts) are never
cut. Widths are terminal cells, so wide characters (CJK, emoji) count twice and are never
split in half.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.cells import cell_len
from rich.text import Text

# A name cut shorter than this is hard to recognise: drop the details first.
SHORT_NAME = 12
SEPARATOR = "  "
ELLIPSIS = "…"


@dataclass(frozen=True, slots=True)
class NodeLabel:
    """`head` `name`  `details`…  `tail`; `text` is the whole label, as wide as it likes."""

    name: Text
    head: Text = field(default_factory=Text)
    details: tuple[Text, ...] = ()
    tail: Text | None = None

    @property
    def text(self) -> Text:
        return self._assemble(self.name, self.details)

    def fit(self, width: int) -> Text:
        """The label in at most `width` cells, if the head and the tail fit there."""
        # Measured part by part, and assembled once: fit runs for every line the tree draws.
        details = list(self.details)
        widths = [part.cell_len for part in details]
        fixed = self.head.cell_len
        if self.tail is not None:
            fixed += len(SEPARATOR) + self.tail.cell_len
        room = width - fixed - sum(widths) - len(SEPARATOR) * len(widths)
        wanted = min(SHORT_NAME, self.name.cell_len)
        while details and room < wanted:
            details.pop()
            room += len(SEPARATOR) + widths.pop()
        return self._assemble(shorten(self.name, room), tuple(details))

    def _assemble(self, name: Text, details: tuple[Text, ...]) -> Text:
        parts = [self.head, name]
        for part in (*details, *([self.tail] if self.tail is not None else [])):
            parts += [Text(SEPARATOR), part]
        return Text.assemble(*parts)


def shorten(text: Text, width: int) -> Text:
    """`text` in at most `width` cells (never fewer than two: one and the ellipsis), cut
    with an ellipsis; a wide character that would be split is left out whole."""
    width = max(width, 2)
    if text.cell_len <= width:
        return text
    kept = width - len(ELLIPSIS)
    cut = text.copy()
    cells = 0
    for end, char in enumerate(cut.plain):
        cells += cell_len(char)
        if cells > kept:
            cut = cut[:end]
            break
    cut.append(ELLIPSIS)
    return cut
