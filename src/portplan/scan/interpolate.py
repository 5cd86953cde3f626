"""Compose's variable interpolation: `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`,
`${VAR:+alt}`, `${VAR+alt}`, `${VAR:?message}`, `${VAR?message}` and `$$` for a literal `$`.

The rules are compose-go's (`template/`), which differ from a shell's and from python-dotenv's:
- a name is ASCII letters, digits and `_`; `$1` or a `$` before anything else stays as written;
- after `${NAME` comes `}` or an operator, else the whole text is refused ("invalid template");
- a braced expression with an operator reaches to its balanced `}`, counting every `{` on the
  way, so a default may hold braces (`${CFG:-{"a":1}}` gives `{"a":1}`) or `${...}` itself;
  when the braces never balance, it reaches to the last `}` of the line;
- `${VAR:?message}` with VAR unset (or empty, for `:?`) makes Compose refuse the file.

Only the values passed in count, never the process environment, so a scan gives the same
answer on every machine.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_OPERATORS = (":-", ":?", ":+", "-", "?", "+")
# `${A:-${B:-...}}` nests by recursion: a limit far beyond any real file keeps a hostile one
# from exhausting the stack.
MAX_NESTING = 32
# Each `${V}` may hold a value built from others, so a `.env` of forty short lines that each
# double the last (`V1=${V0}${V0}`, ...) fills in gigabytes. No port, URL or other value a
# scan reads comes near 64 KiB; a value that grows past it from its variables is refused.
MAX_VALUE = 64 * 1024


class InterpolationError(ValueError):
    """Compose refuses the text: an invalid `${...}` or a required variable that is unset.

    The message never quotes the text itself: it may hold values from a `.env` file.
    """


# Where a piece of the expanded text comes from: an offset into the text as written (a literal
# or a default), a variable's value and the offset in it, or None (`$$` gives a `$` of its own).
Origin = int | tuple[str, int] | None
Piece = tuple[str, Origin]


def interpolate(
    text: str, values: Mapping[str, str | None], used: set[str] | None = None
) -> tuple[str, list[str]]:
    """The text with variables replaced, and the names that were unset with no default.

    An unset variable becomes the empty string, as Compose does (it warns, then goes on).
    `used`, when given, receives every variable name the text looked up.
    """
    pieces, unset = trace(text, values, used)
    return "".join(piece for piece, _ in pieces), unset


def trace(
    text: str, values: Mapping[str, str | None], used: set[str] | None = None
) -> tuple[list[Piece], list[str]]:
    """`interpolate`, as pieces that say where each part of the result is written."""
    expansion = _Expansion(values, used if used is not None else set())
    pieces = expansion.expand(text, 0)
    # Counted on the pieces, which share the variables' strings, before anything joins them.
    # A text written that long itself costs nothing more, so only growth is refused.
    length = sum(len(piece) for piece, _ in pieces)
    if length > MAX_VALUE and length > len(text):
        raise InterpolationError(
            f"the value is over {MAX_VALUE // 1024} KiB once its variables are filled in"
        )
    return pieces, expansion.unset


def origin_of(pieces: list[Piece], start: int, end: int) -> Origin:
    """Where characters [start, end) of the expanded text are written, when all of them come
    from one place in one piece (digits split between a literal and a variable have none)."""
    position = 0
    for piece, origin in pieces:
        if position <= start and end <= position + len(piece):
            if origin is None:
                return None
            if isinstance(origin, int):
                return origin + start - position
            return (origin[0], origin[1] + start - position)
        position += len(piece)
    return None


class _Expansion:
    def __init__(self, values: Mapping[str, str | None], used: set[str]) -> None:
        self.values = values
        self.used = used
        self.unset: list[str] = []
        self.depth = 0

    def expand(self, text: str, base: int) -> list[Piece]:
        """The pieces of `text`, which is written at offset `base` of the original text."""
        out: list[Piece] = []
        index = 0
        while (dollar := text.find("$", index)) >= 0:
            if dollar > index:
                out.append((text[index:dollar], base + index))
            following = text[dollar + 1 : dollar + 2]
            if following == "$":
                out.append(("$", None))
                index = dollar + 2
            elif following == "{":
                pieces, index = self._braced(text, dollar, base)
                out.extend(pieces)
            elif match := _NAME.match(text, dollar + 1):
                out.append(self._lookup(match[0]))
                index = match.end()
            else:
                out.append(("$", base + dollar))
                index = dollar + 1
        if index < len(text):
            out.append((text[index:], base + index))
        return out

    def _braced(self, text: str, dollar: int, base: int) -> tuple[list[Piece], int]:
        """The pieces of the `${...}` at `dollar`, and the index just after it."""
        match = _NAME.match(text, dollar + 2)
        if match is None:
            raise InterpolationError("invalid template: `${` must be followed by a name")
        name, after = match[0], match.end()
        if text.startswith("}", after):
            return [self._lookup(name)], after + 1
        operator = next((op for op in _OPERATORS if text.startswith(op, after)), None)
        line_end = text.find("\n", after)
        last = text.rfind("}", after, len(text) if line_end < 0 else line_end)
        if operator is None or last < 0:
            raise InterpolationError(f"invalid template: `${{{name}` is never closed with `}}`")
        close = _balanced_close(text, dollar, last)
        start = after + len(operator)
        return self._apply(name, operator, text[start:close], base + start), close + 1

    def _apply(self, name: str, operator: str, argument: str, at: int) -> list[Piece]:
        self.used.add(name)
        value = self.values.get(name)
        is_set = value is not None
        filled = is_set and value != ""
        own: list[Piece] = [(value, (name, 0))] if value else []
        if operator in (":-", "-"):
            absent = not (filled if operator == ":-" else is_set)
            return self._nested(argument, at) if absent else own
        if operator in (":+", "+"):
            present = filled if operator == ":+" else is_set
            return self._nested(argument, at) if present else own
        if not (filled if operator == ":?" else is_set):
            self._nested(argument, at)  # a bad template in the message is refused too
            raise InterpolationError(f"required variable {name} is missing a value")
        return own

    def _nested(self, argument: str, at: int) -> list[Piece]:
        """The pieces of a default, alternative or message, one level deeper."""
        if self.depth >= MAX_NESTING:
            raise InterpolationError("variables nested too deeply")
        self.depth += 1
        try:
            return self.expand(argument, at)
        finally:
            self.depth -= 1

    def _lookup(self, name: str) -> Piece:
        self.used.add(name)
        value = self.values.get(name)
        if value is None:
            self.unset.append(name)
            return ("", None)
        return (value, (name, 0))


def _balanced_close(text: str, dollar: int, last: int) -> int:
    """Where the braces opened at `dollar + 1` balance, within `last`; `last` if they do not.

    As compose-go counts: the character right after each `{` is not looked at.
    """
    depth = 0
    index = dollar
    while index <= last:
        char = text[index]
        if char == "}":
            depth -= 1
            if depth == 0:
                return index
        elif char == "{":
            depth += 1
            index += 1
        index += 1
    return last
