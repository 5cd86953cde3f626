"""Block-level helpers over markdown-it tokens: where a block ends, the rows of a table, the
`**Label:** value` lines of a paragraph and a comma-separated `**Paths:**` value."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markdown_it.token import Token

from portplan.markdown.text import Segment, join_stripped, read_segments


@dataclass(frozen=True, slots=True)
class Row:
    line: int
    cells: list[list[Segment]]


def table_rows(tokens: list[Token]) -> list[Row]:
    rows: list[Row] = []
    for token in tokens:
        if token.type == "tr_open":
            rows.append(Row((token.map[0] + 1) if token.map else 0, []))
        elif token.type == "inline" and rows:
            rows[-1].cells.append(read_segments(token.children))
    return rows


def block_end(tokens: list[Token], start: int) -> int:
    """Index of the token closing the block that opens at `start` (itself when not a container)."""
    if tokens[start].nesting != 1:
        return start
    depth = 0
    for index in range(start, len(tokens)):
        depth += tokens[index].nesting
        if depth == 0:
            return index
    return len(tokens) - 1


METADATA_LABELS = {"title", "purpose", "strategy", "version", "last updated", "updated", "paths"}


def metadata_lines(children: Sequence[Token]) -> list[tuple[str, list[Segment]]] | None:
    """`**Label:** value` lines of a paragraph, or None when any line is something else."""
    lines: list[list[Token]] = [[]]
    for token in children:
        if token.type in ("softbreak", "hardbreak"):
            lines.append([])
        else:
            lines[-1].append(token)
    found: list[tuple[str, list[Segment]]] = []
    for line_tokens in lines:
        significant = [t for t in line_tokens if not (t.type == "text" and not t.content)]
        if (
            len(significant) < 3
            or significant[0].type != "strong_open"
            or significant[1].type != "text"
            or significant[2].type != "strong_close"
        ):
            return None
        label = significant[1].content.strip()
        if not label.endswith(":") or label[:-1].strip().casefold() not in METADATA_LABELS:
            return None
        found.append((label[:-1].strip(), read_segments(significant[3:])))
    return found


def split_paths(segments: list[Segment]) -> list[str]:
    parts: list[list[Segment]] = [[]]
    for segment in segments:
        if not segment.literal or "," not in segment.text:
            parts[-1].append(segment)
            continue
        first, *rest = segment.text.split(",")
        parts[-1].append(Segment(first, True))
        for piece in rest:
            parts.append([Segment(piece, True)])
    return [join_stripped(part) for part in parts]
