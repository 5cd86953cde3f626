"""The live preview in editing dialogs, drawn from the domain's `Preview`.

Added, cleared and kept are the domain's `FindingDelta`: the same lists `portplan rebase`
prints for the same edit.
"""

from __future__ import annotations

from rich.text import Text

from portplan.findings import SYMBOLS
from portplan.session import Preview
from portplan.tui.labels import Palette, literal

MAX_LINES = 6


def render_preview(preview: Preview, palette: Palette) -> Text:
    lines: list[Text] = []
    if preview.error:
        lines.append(Text.assemble(("✗ ", palette["error"]), literal(preview.error)))
    for owner in preview.taken_by:
        lines.append(
            Text.assemble(("✗ ", palette["error"]), f"{preview.port} is taken by {literal(owner)}")
        )
    for finding in preview.added[:MAX_LINES]:
        lines.append(
            Text.assemble(
                (f"+ {SYMBOLS[finding.severity]} ", palette[finding.severity]),
                literal(finding.message),
            )
        )
    if len(preview.added) > MAX_LINES:
        lines.append(Text(f"  … and {len(preview.added) - MAX_LINES} more new findings"))
    for finding in preview.cleared[:MAX_LINES]:
        lines.append(Text.assemble(("− ✓ clears ", palette["ok"]), literal(finding.message)))
    if len(preview.cleared) > MAX_LINES:
        lines.append(Text(f"  … and {len(preview.cleared) - MAX_LINES} more cleared"))
    if not lines:
        lines.append(Text("✓ no new findings", style=palette["ok"]))
    carried = preview.delta.carried
    for finding in carried[:MAX_LINES]:
        lines.append(
            Text.assemble(
                (f"= {SYMBOLS[finding.severity]} kept, moves along: ", palette[finding.severity]),
                literal(finding.message),
            )
        )
    if len(carried) > MAX_LINES:
        lines.append(Text(f"  … and {len(carried) - MAX_LINES} more kept"))
    return Text("\n").join(lines)
