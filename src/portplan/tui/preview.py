"""The live preview in editing dialogs, drawn from the domain's `Preview`: every finding the
edit would add, clear or carry along (the dialog scrolls them), and a count line that stays
in view beside the buttons.

Added, cleared and kept are the domain's `FindingDelta`: the same lists `portplan rebase`
prints for the same edit.
"""

from __future__ import annotations

from typing import NamedTuple

from rich.text import Text

from portplan.findings import SEVERITIES, SYMBOLS, Severity
from portplan.session import Preview
from portplan.tui.labels import Palette, literal

NOUNS = {
    "error": ("error", "errors"),
    "warning": ("warning", "warnings"),
    "info": ("note", "notes"),
}


class RenderedPreview(NamedTuple):
    lines: Text
    counts: Text
    # The worst the change would add: the dialog is framed in its colour, and only then.
    adds: Severity | None = None


def render_preview(preview: Preview, palette: Palette) -> RenderedPreview:
    return RenderedPreview(
        preview_lines(preview, palette), count_line(preview, palette), worst_added(preview)
    )


def worst_added(preview: Preview) -> Severity | None:
    """ "error" for a change that cannot be applied or adds an error, "warning" for one that
    adds a warning; None for a change that adds nothing worse than a note."""
    if preview.error or preview.taken_by:
        return "error"
    added = {finding.severity for finding in preview.added}
    return next((s for s in SEVERITIES if s in added and s != "info"), None)


def preview_lines(preview: Preview, palette: Palette) -> Text:
    lines: list[Text] = []
    if preview.error:
        lines.append(Text.assemble(("✗ ", palette["error"]), literal(preview.error)))
    for owner in preview.taken_by:
        lines.append(
            Text.assemble(("✗ ", palette["error"]), f"{preview.port} is taken by {literal(owner)}")
        )
    for finding in preview.added:
        lines.append(
            Text.assemble(
                (f"+ {SYMBOLS[finding.severity]} ", palette[finding.severity]),
                literal(finding.message),
            )
        )
    for finding in preview.cleared:
        lines.append(Text.assemble(("− ✓ clears ", palette["ok"]), literal(finding.message)))
    for finding in preview.delta.carried:
        lines.append(
            Text.assemble(
                (f"= {SYMBOLS[finding.severity]} kept, moves along: ", palette[finding.severity]),
                literal(finding.message),
            )
        )
    # Nothing to list: the count line says so.
    return Text("\n").join(lines)


def count_line(preview: Preview, palette: Palette) -> Text:
    """ "+18 errors, −2 cleared": what the whole list adds up to, however far it scrolls."""
    parts: list[Text] = []
    if preview.error:
        parts.append(Text("✗ cannot be applied", style=palette["error"]))
    for severity in SEVERITIES:
        count = sum(1 for finding in preview.added if finding.severity == severity)
        if count:
            noun = NOUNS[severity][count != 1]
            parts.append(Text(f"+{count} {noun}", style=palette[severity]))
    if preview.cleared:
        parts.append(Text(f"−{len(preview.cleared)} cleared", style=palette["ok"]))
    if not parts:
        parts.append(Text("✓ no new findings", style=palette["ok"]))
    if preview.delta.carried:
        kept = len(preview.delta.carried)
        parts.append(Text(f"{kept} kept, moving along", style=palette["dim"]))
    return Text(", ").join(parts)
