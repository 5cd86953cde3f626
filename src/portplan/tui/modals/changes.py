"""Key c: everything changed since the plan was loaded, grouped by project — the checklist
for the projects that must follow the new plan."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import Label, Static

from portplan.changes import PLAN_WIDE, Change, group_by_project
from portplan.findings import SYMBOLS, FindingDelta
from portplan.tui.keymap import CLOSE_KEYS, bindings
from portplan.tui.labels import literal, plain
from portplan.tui.modals.frame import Dialog


def render_changes(changes: Sequence[Change]) -> Text:
    if not changes:
        return Text("No changes since the plan was loaded.")
    lines: list[Text] = []
    for project, group in group_by_project(changes).items():
        heading = "Plan" if project == PLAN_WIDE else literal(project)
        noun = "change" if len(group) == 1 else "changes"
        lines.append(Text(f"{heading} — {len(group)} {noun}", style="bold"))
        lines.extend(Text(f"  • {literal(change.text)}") for change in group)
        lines.append(Text(""))
    return Text("\n").join(lines)


def render_finding_delta(delta: FindingDelta) -> Text:
    """The findings line under the changes: the counts `portplan diff` prints, and which."""
    lines = [Text(f"Findings — {delta.counts()}", style="bold")]
    lines += [Text(f"  + {SYMBOLS[f.severity]} {literal(f.message)}") for f in delta.added]
    lines += [Text(f"  − ✓ {literal(f.message)}") for f in delta.cleared]
    return Text("\n").join(lines)


class ChangesScreen(Dialog[None]):
    KEYS = CLOSE_KEYS
    BINDINGS: ClassVar[list[BindingType]] = bindings(CLOSE_KEYS)
    HELP = (
        "Every change made since the plan was loaded, grouped by project: the checklist for "
        "the projects that must follow the new plan. `portplan diff OLD NEW` prints the same "
        "list from two files."
    )
    FRAME_CLASSES = "changes"

    def __init__(self, changes: Sequence[Change], findings: FindingDelta | None = None) -> None:
        super().__init__()
        self.changes = list(changes)
        self.findings = findings
        self.title_text = f"Changes since the plan was loaded ({len(self.changes)})"

    def compose_head(self) -> ComposeResult:
        yield Label(plain(self.title_text), classes="dialog-title")

    def compose_body(self) -> ComposeResult:
        yield Static(render_changes(self.changes), id="change-list")
        if self.findings is not None and self.changes:
            yield Static(render_finding_delta(self.findings), id="change-findings")
        yield Label("portplan diff OLD NEW prints the same list", classes="dialog-hint")

    def action_close(self) -> None:
        self.dismiss(None)
