"""The questions that keep edits safe: the file changed on disk, and unsaved edits recovered."""

from __future__ import annotations

from typing import Literal

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from portplan.tui.labels import literal

ExternalChoice = Literal["overwrite", "reload"]
RecoveryChoice = Literal["restore", "discard"]


class ExternalChangeDialog(ModalScreen[ExternalChoice | None]):
    """Saving found the plan file changed since it was loaded: never overwrite silently."""

    BINDINGS = [
        Binding("escape,c", "choose(None)", "Cancel", tooltip="Keep editing; nothing is written"),
        Binding("o", "choose('overwrite')", "Overwrite", tooltip="Write this plan over the file"),
        Binding("r", "choose('reload')", "Reload", tooltip="Drop the edits and load the file"),
    ]

    def __init__(self, file_name: str, edits: int) -> None:
        super().__init__()
        self.file_name = file_name
        self.edits = edits

    def compose(self) -> ComposeResult:
        noun = "edit" if self.edits == 1 else "edits"
        with Vertical(classes="dialog"):
            yield Label("The file changed on disk", classes="dialog-title")
            yield Static(
                Text.assemble(
                    (literal(self.file_name), "bold"),
                    " was changed by another program since it was opened here (another editor, "
                    f"a git pull…). This session has {self.edits} unsaved {noun}.\n\n"
                    "Overwrite writes this session's plan over that change (the replaced file is "
                    "kept as .bak). Reload drops this session's edits and opens the file as it "
                    "is now.",
                ),
                classes="dialog-intro",
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Overwrite (o)", variant="warning", id="overwrite")
                yield Button("Reload (r)", variant="error", id="reload")
                yield Button("Cancel (c)", id="cancel")

    def action_choose(self, choice: ExternalChoice | None) -> None:
        self.dismiss(choice)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        choice = event.button.id
        self.dismiss(choice if choice in ("overwrite", "reload") else None)  # type: ignore[arg-type]


class RecoveryDialog(ModalScreen[RecoveryChoice | None]):
    """At start: unsaved edits from a session that ended without saving are offered back."""

    BINDINGS = [
        Binding("escape,l", "choose(None)", "Later", tooltip="Open the plan; keep the copy"),
        Binding("r", "choose('restore')", "Restore", tooltip="Bring the unsaved edits back"),
        Binding("d", "choose('discard')", "Discard", tooltip="Delete the recovery copy"),
    ]

    def __init__(self, file_name: str, copy_name: str, services: int) -> None:
        super().__init__()
        self.file_name = file_name
        self.copy_name = copy_name
        self.services = services

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Unsaved edits found", classes="dialog-title")
            yield Static(
                Text.assemble(
                    "The last session on ",
                    (literal(self.file_name), "bold"),
                    " ended without saving. Its unsaved plan was kept in ",
                    (literal(self.copy_name), "bold"),
                    f" ({self.services} services), newer than "
                    "the file.\n\nRestore brings those edits back as unsaved changes (the file is "
                    "only written when you save; undo takes them back out). Discard deletes the "
                    "copy. Later opens the file and keeps the copy for next time.",
                ),
                classes="dialog-intro",
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Restore (r)", variant="primary", id="restore")
                yield Button("Discard (d)", variant="error", id="discard")
                yield Button("Later (l)", id="later")

    def action_choose(self, choice: RecoveryChoice | None) -> None:
        self.dismiss(choice)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        choice = event.button.id
        self.dismiss(choice if choice in ("restore", "discard") else None)  # type: ignore[arg-type]
