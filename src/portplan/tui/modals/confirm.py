"""Yes/no and save/discard/cancel questions."""

from __future__ import annotations

from typing import Literal

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static


class ConfirmDialog(ModalScreen[bool]):
    BINDINGS = [
        Binding("escape,n", "answer(False)", "No", tooltip="Keep things as they are"),
        Binding("y", "answer(True)", "Yes"),
    ]

    def __init__(self, title: str, message: Text | str, confirm: str) -> None:
        super().__init__()
        self.title_text = title
        self.message = Text(message) if isinstance(message, str) else message
        self.confirm = confirm

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self.title_text, classes="dialog-title")
            yield Static(self.message, classes="dialog-intro")
            with Horizontal(classes="dialog-buttons"):
                yield Button(f"{self.confirm} (y)", variant="error", id="yes")
                yield Button("Cancel (n)", id="no")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")


QuitChoice = Literal["save", "discard"]


class QuitDialog(ModalScreen[QuitChoice | None]):
    BINDINGS = [
        Binding("escape,c", "choose(None)", "Cancel", tooltip="Go back to the planner"),
        Binding("s", "choose('save')", "Save and quit"),
        Binding("d", "choose('discard')", "Discard and quit"),
    ]

    def __init__(self, file_name: str) -> None:
        super().__init__()
        self.file_name = file_name

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Unsaved changes", classes="dialog-title")
            yield Static(
                Text(f"{self.file_name} has unsaved edits. Save them before quitting?"),
                classes="dialog-intro",
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save (s)", variant="primary", id="save")
                yield Button("Discard (d)", variant="error", id="discard")
                yield Button("Cancel (c)", id="cancel")

    def action_choose(self, choice: QuitChoice | None) -> None:
        self.dismiss(choice)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        choice = event.button.id
        self.dismiss(choice if choice in ("save", "discard") else None)  # type: ignore[arg-type]
