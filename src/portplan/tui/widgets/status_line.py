"""The one-line status under the panes: cut at a word with an ellipsis when the terminal is
narrower than the message, never in the middle of a word."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import Static


class StatusLine(Static):
    _message = ""

    def say(self, message: str) -> None:
        self._message = message
        # One line high whatever it says: no need to lay the screen out again.
        self.update(Text(fit_words(message, self._room())), layout=False)

    @property
    def message(self) -> str:
        return self._message

    def _room(self) -> int:
        return self.content_region.width or self.app.size.width - 2

    def on_resize(self) -> None:
        self.update(Text(fit_words(self._message, self._room())), layout=False)


def fit_words(message: str, width: int) -> str:
    """`message` if it fits in `width` cells, else its whole words that fit and "…"."""
    if cell_len(message) <= width:
        return message
    words = message.split(" ")
    kept: list[str] = []
    for word in words:
        if cell_len(" ".join([*kept, word])) + 1 > width:
            break
        kept.append(word)
    text = " ".join(kept).rstrip(" ·,:")
    return f"{text}…" if text else "…"
