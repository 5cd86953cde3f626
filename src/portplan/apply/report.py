"""What an apply would do, as lines for a person: the diffs, the ports that need a decision,
the files left alone, and a summary. Each line carries a style name; the command line paints
it with ANSI colours and the planner with its theme, so both say the same thing."""

from __future__ import annotations

from portplan.apply.build import Preparation
from portplan.apply.diff import unified_diff
from portplan.terminal import one_line

# header, removed, added, hunk, title, warning, dim, plain
Line = tuple[str, str]


def report_lines(preparation: Preparation) -> list[Line]:
    lines: list[Line] = []
    for file in preparation.files:
        for line in unified_diff(file):
            if line.startswith(("--- ", "+++ ")):
                lines.append(("header", one_line(line)))  # a folder's name may break a line
            else:
                style = {"-": "removed", "+": "added", "@": "hunk"}.get(line[:1], "plain")
                lines.append((style, line))
    if preparation.pending:
        lines.append(("plain", ""))
        lines.append(("title", f"needs a decision ({len(preparation.pending)})"))
        for item in preparation.pending:
            use = item.use
            lines.append(
                (
                    "warning",
                    one_line(
                        f"  ⚠ {use.place}  port {use.port_text()} ({use.context}): {item.reason}"
                    ),
                )
            )
    for title, entries in (
        ("not changed", preparation.skipped),
        ("files not read in full", [str(note) for note in preparation.notes]),
    ):
        if entries:
            lines.append(("plain", ""))
            lines.append(("title", f"{title} ({len(entries)})"))
            lines.extend(("dim", one_line(f"  · {entry}")) for entry in entries)
    return lines


def summary(preparation: Preparation) -> str:
    unread = unread_files(preparation)
    if not (preparation.files or preparation.pending or preparation.skipped or unread):
        return "✓ nothing to change: the files say what the plan says"
    ports, files = preparation.ports_changed, len(preparation.files)
    changes = (
        f"{_count(ports, 'port')} to change in {_count(files, 'file')}"
        if preparation.files
        else "nothing to change"
    )
    said = f"{changes}; {_count(len(preparation.pending), 'item')} need a decision"
    if unread:
        # What an unread file says is unknown: no claim that the files agree with the plan.
        said += f"; {_count(unread, 'file')} could not be read in full"
    return said


def unread_files(preparation: Preparation) -> int:
    """How many files the scan could not read in full (their ports are unknown)."""
    return len({note.place.label for note in preparation.notes})


def _count(number: int, word: str) -> str:
    return f"{number} {word}" + ("" if number == 1 else "s")
