"""Where a port's digits are written in a file, so that `portplan apply` can change exactly
those characters and nothing else.

ruamel.yaml gives the line and column where each value starts; a value counts as written
verbatim when the file's text there (inside its quotes, if any) is the value itself. Anything
else (escapes, a block or folded scalar, a number written as `0x1F90`) gets no span: the scan
reads it all the same, and `apply` lists it for a person to change.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from portplan.scan.interpolate import Piece, origin_of
from portplan.scan.uses import Span

_NUMBER = re.compile(r"[0-9]+")
# After a plain scalar: the end of the value (space, comment, flow punctuation, line end).
_PLAIN_END = frozenset(" \t\r\n#,]}")

# A variable's value written verbatim in a `.env`: (that file, offset of the value's first char).
ValueOrigins = Mapping[str, tuple[Path, int]]


class SpanFinder:
    """Offsets of values in one file's text, from ruamel.yaml's lines and columns."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.text = text
        self._starts: list[int] | None = None

    def _offset(self, line: int, column: int) -> int | None:
        if self._starts is None:
            self._starts = [0, *(match.end() for match in re.finditer("\n", self.text))]
        if not 0 <= line < len(self._starts):
            return None
        return self._starts[line] + column

    def value_at(self, mapping: Any, key: str) -> int | None:
        """Where the value of `key` starts (at its opening quote, if quoted)."""
        if not isinstance(mapping, CommentedMap):
            return None
        try:
            line, column = mapping.lc.value(key)
        except (KeyError, TypeError, ValueError):
            return None
        return self._offset(int(line), int(column))

    def item_at(self, sequence: Any, index: int) -> int | None:
        if not isinstance(sequence, CommentedSeq):
            return None
        try:
            line, column = sequence.lc.item(index)
        except (KeyError, IndexError, TypeError, ValueError):
            return None
        return self._offset(int(line), int(column))

    def scalar(self, at: int | None, raw: str) -> int | None:
        """The offset of `raw`'s first character when the scalar at `at` is `raw` verbatim."""
        if at is None or not raw:
            return None
        text = self.text
        quote = text[at : at + 1]
        if quote in ("'", '"'):
            inside = at + 1
            closed = text[inside + len(raw) : inside + len(raw) + 1] == quote
            return inside if text.startswith(raw, inside) and closed else None
        after = text[at + len(raw) : at + len(raw) + 1]
        return at if text.startswith(raw, at) and (not after or after in _PLAIN_END) else None

    def number(self, at: int | None, value: int) -> tuple[Span, ...]:
        """The span of a YAML integer written in plain decimal digits."""
        start = self.scalar(at, str(value))
        if start is None:
            return ()
        return (Span(self.path, start, start + len(str(value)), value),)


def number_spans(text: str, base: int = 0) -> list[tuple[int, int, int]]:
    """(start, end, value) of the port numbers of `A` or `A-B` (a sign is not part of it)."""
    found = []
    first, dash, second = text.partition("-")
    for part, offset in ((first, 0), (second, len(first) + 1)):
        if offset and not dash:
            break
        digits = part.lstrip("+-")
        skip = len(part) - len(digits)
        if _NUMBER.fullmatch(digits):
            start = base + offset + skip
            # Leading zeros stripped: int() refuses over 4,300 digits, even of zeros.
            found.append((start, start + len(digits), int(digits.lstrip("0") or "0")))
        else:
            return []
    return found


def short_host_part(expanded: str) -> tuple[str, int] | None:
    """The host port part of a short-syntax entry (as `parse_short` splits it) and its offset."""
    parts = expanded.split(":")
    if len(parts) < 2:
        return None
    host = parts[-2]
    return host, len(expanded) - len(parts[-1]) - 1 - len(host)


def traced_spans(
    numbers: list[tuple[int, int, int]],
    pieces: list[Piece],
    written_at: int | None,
    finder: SpanFinder,
    origins: ValueOrigins,
) -> tuple[Span, ...]:
    """Spans in the files for numbers of an expanded value: in the value as written (a literal
    or a `:-` default) or in the `.env` that set the variable. All or none."""
    spans: list[Span] = []
    for start, end, port in numbers:
        origin = origin_of(pieces, start, end)
        if isinstance(origin, int) and written_at is not None:
            where = written_at + origin
            spans.append(Span(finder.path, where, where + end - start, port))
        elif isinstance(origin, tuple) and origin[0] in origins:
            path, value_start = origins[origin[0]]
            where = value_start + origin[1]
            spans.append(Span(path, where, where + end - start, port))
        else:
            return ()
    return tuple(spans)
