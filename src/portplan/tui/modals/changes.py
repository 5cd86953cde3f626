"""Key c: everything changed since the plan was loaded, grouped by project — the checklist
for the projects that must follow the new plan. What a value was is dimmed, what it is now
is in the theme's success colour."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import Label, Static

from portplan.change import shown_value
from portplan.changes import PLAN_WIDE, Change, group_by_project
from portplan.findings import SYMBOLS, FindingDelta
from portplan.tui.keymap import CLOSE_KEYS, bindings
from portplan.tui.labels import Palette, literal, plain
from portplan.tui.modals.frame import Dialog
from portplan.tui.widgets.themed import Themed

ARROW = " → "


def change_text(change: Change, palette: Palette) -> Text:
    """The change's line with its old value dimmed and its new value coloured, where the
    line shows them as `old → new` (the diff's wording is kept as it is)."""
    for old in dict.fromkeys((shown_value(change.old), change.old)):
        for new in dict.fromkeys((shown_value(change.new), change.new)):
            middle = f"{old}{ARROW}{new}"
            at = change.text.rfind(middle) if old and new else -1
            if at >= 0:
                return Text.assemble(
                    literal(change.text[:at]),
                    (literal(old), palette["dim"]),
                    ARROW,
                    (literal(new), palette["ok"]),
                    literal(change.text[at + len(middle) :]),
                )
    return Text(literal(change.text))


def render_changes(changes: Sequence[Change], palette: Palette) -> Text:
    if not changes:
        return Text("No changes since the plan was loaded.")
    lines: list[Text] = []
    for project, group in group_by_project(changes).items():
        heading = "Plan" if project == PLAN_WIDE else literal(project)
        noun = "change" if len(group) == 1 else "changes"
        lines.append(Text(f"{heading} — {len(group)} {noun}", style="bold"))
        lines.extend(Text.assemble("  • ", change_text(change, palette)) for change in group)
        lines.append(Text(""))
    return Text("\n").join(lines)


def render_finding_delta(delta: FindingDelta, palette: Palette) -> Text:
    """The findings line under the changes: the counts `portplan diff` prints, and which."""
    lines = [Text(f"Findings — {delta.counts()}", style="bold")]
    lines += [
        Text.assemble((f"  + {SYMBOLS[f.severity]} ", palette[f.severity]), literal(f.message))
        for f in delta.added
    ]
    lines += [Text.assemble(("  − ✓ ", palette["ok"]), literal(f.message)) for f in delta.cleared]
    return Text("\n").join(lines)


class ChangeList(Static, Themed):
    """The changes (and the findings they added and cleared) in the theme's colours."""

    COMPONENT_CLASSES: ClassVar[set[str]] = Static.COMPONENT_CLASSES | Themed.COMPONENT_CLASSES

    def __init__(
        self, changes: Sequence[Change], findings: FindingDelta | None, *, id: str
    ) -> None:
        super().__init__(id=id)
        self.changes = list(changes)
        self.findings = findings

    def on_mount(self) -> None:
        self.restyle()

    def restyle(self) -> None:
        palette = self.palette()
        text = render_changes(self.changes, palette)
        if self.findings is not None:
            text = Text("\n").join([text, render_finding_delta(self.findings, palette)])
        self.update(text)


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
        yield ChangeList(self.changes, self.findings if self.changes else None, id="change-list")
        yield Label("portplan diff OLD NEW prints the same list", classes="dialog-hint")

    def action_close(self) -> None:
        self.dismiss(None)
