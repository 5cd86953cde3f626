"""Yes/no and save/discard/cancel questions."""

from __future__ import annotations

from typing import ClassVar, Literal

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.widgets import Button, Label, Static

from portplan.tui.keymap import CONFIRM_KEYS, QUIT_KEYS, bindings, name_verb
from portplan.tui.labels import plain
from portplan.tui.modals.frame import Dialog


class ConfirmDialog(Dialog[bool]):
    KEYS = CONFIRM_KEYS
    BINDINGS: ClassVar[list[BindingType]] = bindings(CONFIRM_KEYS)
    HELP = (
        "A question before a change: y (or the first button) does it, n or esc leaves "
        "everything as it is. A change made here can still be undone with u."
    )

    def __init__(self, title: str, message: Text | str, confirm: str) -> None:
        super().__init__()
        self.title_text = title
        self.message = plain(message)
        self.confirm = confirm
        # The footer names y by the dialog's verb (Release, Remove…).
        name_verb(self, "y", confirm)

    def compose_head(self) -> ComposeResult:
        yield Label(plain(self.title_text), classes="dialog-title")

    def compose_body(self) -> ComposeResult:
        yield Static(self.message, classes="dialog-intro")

    def compose_bar(self) -> ComposeResult:
        with Horizontal(classes="dialog-buttons"):
            yield Button(f"{self.confirm} (y)", variant="error", id="yes", compact=True)
            yield Button("Cancel (n)", id="no", compact=True)

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


QuitChoice = Literal["save", "discard"]


class QuitDialog(Dialog[QuitChoice | None]):
    KEYS = QUIT_KEYS
    BINDINGS: ClassVar[list[BindingType]] = bindings(QUIT_KEYS)
    HELP = (
        "The plan has edits that are not saved. s saves them and quits; d quits without "
        "them (the file stays as it was last saved); c or esc goes back to the planner."
    )
    title_text = "Unsaved changes"

    def __init__(self, file_name: str) -> None:
        super().__init__()
        self.file_name = file_name

    def compose_head(self) -> ComposeResult:
        yield Label(plain(self.title_text), classes="dialog-title")

    def compose_body(self) -> ComposeResult:
        yield Static(
            Text(f"{self.file_name} has unsaved edits. Save them before quitting?"),
            classes="dialog-intro",
        )

    def compose_bar(self) -> ComposeResult:
        with Horizontal(classes="dialog-buttons"):
            yield Button("Save (s)", variant="primary", id="save", compact=True)
            yield Button("Discard (d)", variant="error", id="discard", compact=True)
            yield Button("Cancel (c)", id="cancel", compact=True)

    def action_choose(self, choice: QuitChoice | None) -> None:
        self.dismiss(choice)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        choice = event.button.id
        self.dismiss(choice if choice in ("save", "discard") else None)  # type: ignore[arg-type]
