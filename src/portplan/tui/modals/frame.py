"""The frame every dialog is drawn in, so that at any terminal size its buttons show.

A dialog is a head (title, intro, fields) docked at the top, a bar (a count line and the
buttons) docked at the bottom, and between them a body that scrolls when the terminal is
too small for it (a long preview, a long help text). Tab therefore never lands on a button
that cannot be seen. Each dialog has its own footer, showing its keys rather than the
planner's behind it, and F1 explains the dialog (with the help screen, itself a dialog).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar, TypeVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from portplan.tui.frame_clock import SteadyFrames
from portplan.tui.keymap import HELP_KEYS, SCROLL_KEYS, Key, bindings, display_keys
from portplan.tui.labels import plain
from portplan.tui.widgets.footer import FittingFooter
from portplan.tui.widgets.steady import virtual_size_without_layout

R = TypeVar("R")


class DialogFrame(VerticalScroll):
    BINDINGS: ClassVar[list[BindingType]] = bindings(SCROLL_KEYS)

    # Its virtual size is the extent of what it holds, set by the layout that arranged it.
    virtual_size = virtual_size_without_layout()

    def allow_focus(self) -> bool:
        # Only when there is something to scroll: Tab never stops on a frame that does nothing.
        return self.max_scroll_y > 0


class Dialog(SteadyFrames, ModalScreen[R]):
    """A modal dialog: `compose_head`, `compose_body` and `compose_bar` fill the frame."""

    # Read when the first dialog opens, not with the planner (see dialogs.tcss); unscoped, as
    # the rules of portplan.tcss were.
    DEFAULT_CSS = (Path(__file__).parent / "dialogs.tcss").read_text(encoding="utf-8")
    SCOPED_CSS = False

    # The dialog's keys (its bindings are made from the same table) and what F1 says.
    KEYS: ClassVar[tuple[Key, ...]] = ()
    HELP: ClassVar[str] = ""
    FRAME_CLASSES: ClassVar[str] = ""
    AUTO_FOCUS = "Input, Select, Button, DialogFrame"

    title_text = ""

    def compose(self) -> ComposeResult:
        with DialogFrame(classes=f"dialog {self.FRAME_CLASSES}".strip(), id="frame"):
            with Vertical(classes="dialog-head"):
                yield from self.compose_head()
            with Vertical(classes="dialog-bar"):
                yield from self.compose_bar()
            yield from self.compose_body()
        yield FittingFooter()

    def compose_head(self) -> ComposeResult:
        return iter(())

    def compose_body(self) -> ComposeResult:
        return iter(())

    def compose_bar(self) -> ComposeResult:
        return iter(())

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(self.title_text, self.HELP, self.KEYS))


class HelpScreen(Dialog[None]):
    KEYS = HELP_KEYS
    BINDINGS: ClassVar[list[BindingType]] = bindings(HELP_KEYS)
    FRAME_CLASSES = "help"

    def __init__(
        self,
        subject: str,
        guide: str,
        keys: Sequence[Key],
        extras: Sequence[tuple[str, str]] = (),
    ) -> None:
        super().__init__()
        self.subject = subject
        self.guide = guide
        self.keys = list(keys)
        self.extras = list(extras)
        self.title_text = f"Help · {subject}"

    def compose_head(self) -> ComposeResult:
        yield Label(plain(self.title_text), classes="dialog-title")

    def compose_body(self) -> ComposeResult:
        if self.guide:
            yield Static(Text(self.guide), classes="dialog-intro")
        yield Static(self.key_table())

    def key_table(self) -> Table:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for key in self.keys:
            table.add_row(display_keys(key), key.help)
        for keys, text in self.extras:
            table.add_row(keys, text)
        return table

    def action_help(self) -> None:
        self.dismiss(None)  # F1 again closes the help

    def action_close(self) -> None:
        self.dismiss(None)
