"""The questions that keep edits safe: the file changed on disk, and unsaved edits recovered."""

from __future__ import annotations

from typing import ClassVar, Literal

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.widgets import Button, Label, Static

from portplan.recovery import Recovery
from portplan.tui.keymap import EXTERNAL_KEYS, RECOVERY_KEYS, bindings
from portplan.tui.labels import literal, plain
from portplan.tui.modals.frame import Dialog

ExternalChoice = Literal["overwrite", "reload"]
RecoveryChoice = Literal["restore", "discard"]


class ExternalChangeDialog(Dialog[ExternalChoice | None]):
    """Saving found the plan file changed since it was loaded: never overwrite silently."""

    KEYS = EXTERNAL_KEYS
    BINDINGS: ClassVar[list[BindingType]] = bindings(EXTERNAL_KEYS)
    HELP = (
        "Another program changed the plan file after it was opened here. o writes this "
        "session's plan over it (the replaced file is kept as .bak); r drops this session's "
        "edits and loads the file (asks first); c or esc keeps editing and writes nothing."
    )
    title_text = "The file changed on disk"

    def __init__(self, file_name: str, edits: int) -> None:
        super().__init__()
        self.file_name = file_name
        self.edits = edits

    def compose_head(self) -> ComposeResult:
        yield Label(plain(self.title_text), classes="dialog-title")

    def compose_body(self) -> ComposeResult:
        noun = "edit" if self.edits == 1 else "edits"
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

    def compose_bar(self) -> ComposeResult:
        with Horizontal(classes="dialog-buttons"):
            yield Button("Overwrite (o)", variant="warning", id="overwrite", compact=True)
            yield Button("Reload (r)", variant="error", id="reload", compact=True)
            yield Button("Cancel (c)", id="cancel", compact=True)

    def action_choose(self, choice: ExternalChoice | None) -> None:
        self.dismiss(choice)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        choice = event.button.id
        self.dismiss(choice if choice in ("overwrite", "reload") else None)  # type: ignore[arg-type]


class RecoveryDialog(Dialog[RecoveryChoice | None]):
    """At start: unsaved edits from a session that ended without saving are offered back,
    with a warning when the copy was made from an older version of the file."""

    KEYS = RECOVERY_KEYS
    BINDINGS: ClassVar[list[BindingType]] = bindings(RECOVERY_KEYS)
    HELP = (
        "The planner keeps a copy of unsaved edits while it runs, one per planner; this one "
        "was left by a session that ended without saving. r restores the copy's plan as "
        "unsaved changes (undo takes them out again); d deletes the copy; l or esc opens the "
        "file and keeps the copy for next time. A copy made from an older version of the "
        "file (it changed since, e.g. a git pull) has its edits replayed onto the file as it "
        "is now; if the version it was made from was not kept, restoring brings back the "
        "copy's whole plan and the file's newer changes are undone too. Either way c lists "
        "every change before you save."
    )
    title_text = "Unsaved edits found"

    def __init__(self, file_name: str, recovery: Recovery, number: int = 1, of: int = 1) -> None:
        super().__init__()
        self.file_name = file_name
        self.recovery = recovery
        self.number = number
        self.of = of

    def compose_head(self) -> ComposeResult:
        title = (
            self.title_text if self.of == 1 else f"{self.title_text} ({self.number} of {self.of})"
        )
        yield Label(plain(title), classes="dialog-title")

    def compose_body(self) -> ComposeResult:
        recovery = self.recovery
        file_name = (literal(self.file_name), "bold")
        copy = (literal(recovery.path.name), "bold")
        if recovery.match == "older":
            yield Static(
                Text.assemble(
                    ("⚠ Made from an older version of the plan: ", "bold"),
                    file_name,
                    " changed after ",
                    copy,
                    f" ({recovery.services} services) was made, e.g. by a git pull.\n\n",
                    replay_sentence(recovery)
                    if recovery.replayed is not None
                    else whole_sentence(recovery),
                    " Press c afterwards to review the changes; nothing is written until you "
                    "save, and u takes it all back. Discard deletes the copy; Later keeps it.",
                ),
                classes="dialog-intro",
            )
            return
        yield Static(
            Text.assemble(
                "A session on ",
                file_name,
                " ended without saving. Its unsaved plan was kept in ",
                copy,
                f" ({recovery.services} services).\n\nRestore brings those edits back as "
                "unsaved changes (the file is only written when you save; undo takes them "
                "back out). Discard deletes the copy. Later opens the file and keeps the copy "
                "for next time.",
            ),
            classes="dialog-intro",
        )

    def compose_bar(self) -> ComposeResult:
        with Horizontal(classes="dialog-buttons"):
            yield Button("Restore (r)", variant="primary", id="restore", compact=True)
            yield Button("Discard (d)", variant="error", id="discard", compact=True)
            yield Button("Later (l)", id="later", compact=True)

    def action_choose(self, choice: RecoveryChoice | None) -> None:
        self.dismiss(choice)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        choice = event.button.id
        self.dismiss(choice if choice in ("restore", "discard") else None)  # type: ignore[arg-type]


def whole_sentence(recovery: Recovery) -> str:
    """What restoring an older copy does when the version it was made from was not kept."""
    noun = "change" if recovery.differences == 1 else "changes"
    return (
        "Restoring does not replay edits: it puts the copy's whole plan in place of the "
        f"file's, which makes {recovery.differences} {noun} to it — the file's own newer "
        "changes are undone too."
    )


def replay_sentence(recovery: Recovery) -> str:
    """What restoring an older copy does when its edits can be replayed."""
    count = recovery.replayed or 0
    sentence = (
        f"Restoring replays its {count} {'edit' if count == 1 else 'edits'} onto the current "
        "file, keeping the file's newer changes."
    )
    if conflicts := recovery.conflicts:
        one = len(conflicts) == 1
        sentence += (
            f" {len(conflicts)} of them {'was' if one else 'were'} changed in the file too and "
            f"{'takes' if one else 'take'} the copy's version: {_listed(conflicts)}."
        )
    if dropped := recovery.dropped:
        one = len(dropped) == 1
        sentence += (
            f" {len(dropped)} {'belongs' if one else 'belong'} to a project or tier the file no "
            f"longer has and {'is' if one else 'are'} left out: {_listed(dropped)}."
        )
    return sentence


def _listed(paths: tuple[str, ...], most: int = 3) -> str:
    shown = ", ".join(literal(path) for path in paths[:most])
    return shown + (f" and {len(paths) - most} more" if len(paths) > most else "")
