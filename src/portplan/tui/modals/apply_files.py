"""Key F: "Apply to files" — carry the plan's edits out in the projects' folders (`paths`).

The plan as it was loaded is the old plan, the plan as it is now the new one: the same work
as `portplan apply --from OLD` (`portplan.apply`). Reading the folders and writing the files
both run in a thread, so the screen never waits on a disk; the dialog shows each file's diff,
the ports that need a decision, and after `w` what was written. Undo in the planner changes
the plan, not these files: the dialog says so, and where the old copies are (`.bak`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Button, Label, Static

from portplan.environment import EnvironmentLike
from portplan.model import Plan
from portplan.tui.keymap import APPLY_KEYS, bindings
from portplan.tui.labels import literal, plain
from portplan.tui.modals.frame import Dialog
from portplan.tui.widgets.themed import Themed

if TYPE_CHECKING:
    from portplan.apply import Preparation
    from portplan.scan import Target

# The report's styles, as the theme's component classes name them.
STYLES = {"removed": "error", "added": "ok", "hunk": "info", "dim": "dim", "warning": "warning"}
NO_PATHS = (
    "No project has `paths` in the plan, so there are no files to change. "
    'Add paths = ["../folder"] to a project (key e on the project).'
)


def folder_targets(plan: Plan, plan_path: Path) -> list[Target]:
    """Every project's `paths`, shown as written in the plan (never as absolute paths)."""
    from portplan.scan import Target

    base = plan_path.parent
    return [
        Target(base / entry, os.path.normpath(entry), project.name)
        for project in plan.projects
        for entry in project.paths
    ]


class ReportView(Static, Themed):
    """The diffs and lists, in the theme's colours."""

    COMPONENT_CLASSES: ClassVar[set[str]] = Static.COMPONENT_CLASSES | Themed.COMPONENT_CLASSES

    def show_report(self, preparation: Preparation) -> None:
        from portplan.apply.report import report_lines

        palette = self.palette()
        lines = [
            Text(literal(text), style="bold" if style in ("header", "title") else "")
            if style not in STYLES
            else Text(literal(text), style=palette[STYLES[style]])
            for style, text in report_lines(preparation)
        ]
        self.update(Text("\n").join(lines) if lines else Text("No file needs a change."))


class ApplyFilesScreen(Dialog[None]):
    KEYS = APPLY_KEYS
    BINDINGS: ClassVar[list[BindingType]] = bindings(APPLY_KEYS)
    HELP = (
        "The projects' files (the folders in each project's `paths`) changed to the plan as "
        "it is now: a port that belonged to a service in the plan as it was loaded becomes "
        "that service's port. Only port digits change; every file is read back before any is "
        "written, and all are written or none. w writes them (each old file is kept as .bak); "
        "undo in the planner does not change the files back. `portplan apply --from git:HEAD` "
        "does the same from the command line."
    )
    FRAME_CLASSES = "changes"
    title_text = "Apply to files"

    @dataclass
    class Prepared(Message):
        preparation: Preparation | None
        problem: str = ""

    @dataclass
    class Written(Message):
        problem: str = ""

    def __init__(self, old: Plan, plan: Plan, plan_path: Path, ephemeral: EnvironmentLike) -> None:
        super().__init__()
        # Copies: the worker reads them while the planner's plan may change behind the dialog.
        self.old = old.model_copy(deep=True)
        self.plan = plan.model_copy(deep=True)
        self.targets = folder_targets(plan, plan_path)
        self.ephemeral = ephemeral
        self.preparation: Preparation | None = None
        self.written = False

    def compose_head(self) -> ComposeResult:
        yield Label(plain(self.title_text), classes="dialog-title")
        yield Static(
            Text("From the plan as loaded to the plan as it is now, in the projects' folders."),
            classes="dialog-intro",
        )

    def compose_body(self) -> ComposeResult:
        first = "Reading the projects' folders…" if self.targets else NO_PATHS
        yield ReportView(plain(first), id="apply-report", classes="dialog-preview")

    def compose_bar(self) -> ComposeResult:
        yield Label("", id="apply-count", classes="dialog-count")
        with Horizontal(classes="dialog-buttons"):
            yield Button("Apply (w)", variant="primary", id="apply", compact=True, disabled=True)
            yield Button("Close (esc)", id="close", compact=True)

    def on_mount(self) -> None:
        if self.targets:
            self.run_worker(self._prepare, thread=True, exclusive=True, group="apply")

    def _prepare(self) -> None:
        # Imported here, in the worker's thread: opening the planner does not need them.
        from portplan.apply import ApplyRefused, prepare

        try:
            preparation = prepare(self.plan, self.targets, self.old, self.ephemeral)
        except ApplyRefused as refused:
            self.post_message(self.Prepared(None, str(refused)))
        else:
            self.post_message(self.Prepared(preparation))

    @on(Prepared)
    def _prepared(self, message: Prepared) -> None:
        report = self.query_one(ReportView)
        from portplan.apply.report import summary

        if message.preparation is None:
            report.update(plain(message.problem))
            self._count(plain("Nothing can be written."))
            return
        self.preparation = message.preparation
        report.show_report(message.preparation)
        self._count(plain(summary(message.preparation)))
        self.query_one("#apply", Button).disabled = not message.preparation.files

    def action_write(self) -> None:
        if self.preparation is None or not self.preparation.files or self.written:
            return
        self.written = True
        self.query_one("#apply", Button).disabled = True
        files = list(self.preparation.files)

        def write() -> None:
            from portplan.apply import ApplyRefused, write_all

            try:
                write_all(files)
            except ApplyRefused as refused:
                self.post_message(self.Written(str(refused)))
            else:
                self.post_message(self.Written())

        self.run_worker(write, thread=True, exclusive=True, group="apply")

    @on(Written)
    def _written(self, message: Written) -> None:
        if message.problem:
            self._count(plain(message.problem))
            self.notify(literal(message.problem), title="Apply to files", severity="error")
            return
        assert self.preparation is not None
        names = ", ".join(file.label for file in self.preparation.files)
        said = (
            f"Wrote {names}. Each old file is kept beside it as .bak; undo in the planner "
            "does not change the files back (copy a .bak over its file to revert it)."
        )
        self._count(plain(said))
        self.notify(literal(said), title="Apply to files")

    def _count(self, text: Text) -> None:
        self.query_one("#apply-count", Label).update(text)

    @on(Button.Pressed, "#apply")
    def _apply_pressed(self) -> None:
        self.action_write()

    @on(Button.Pressed, "#close")
    def _close_pressed(self) -> None:
        self.action_close()

    def action_close(self) -> None:
        self.dismiss(None)
