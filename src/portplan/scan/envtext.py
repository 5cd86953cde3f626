"""`.env` text read the way Compose reads it (compose-go's `dotenv/` grammar), with the line of
each key.

python-dotenv's grammar differs from Compose's in ways that change ports (`KEY: value` is
refused, `${VAR:-x}` forms are missing, the shell environment leaks in), so the grammar is
followed here instead:
- `export ` before a key is ignored; a key is letters, digits, `_ . - [ ]`; it ends at `=` or
  `:` (YAML style), and `KEY` alone on a line takes its value from the shell — which a scan
  never counts, so it stays unset;
- an unquoted value runs to the end of the line, is cut at ` #` and trimmed at the right;
- `'single'` values are literal (only `\\'` is unescaped); `"double"` values expand `\\n`,
  `\\t`, `\\$`, `\\"`, `\\\\`, `\\0NNN` octal and the like; both may span lines;
- unquoted and double-quoted values are interpolated (`${VAR:-default}` …) with the values
  set above them in the same file, never with the process environment.
A line Compose refuses (an unterminated quote, a bad key) stops the reading, as it stops
Compose: the values read before it are kept, and the problem is reported with its line.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import ChainMap
from collections.abc import Mapping
from dataclasses import dataclass, field

from portplan.scan.interpolate import InterpolationError, interpolate

# compose-go's own idea of a space on a line: every space but the line break.
_LINE_SPACE = "\t\v\f\r \x85\xa0"
_EXPORT = re.compile(r"export[\t\n\f\r ]+")
_ESCAPE = re.compile(r"\\(?:[abcfnrtv$\"\\]|0[0-9]{0,3})")
_SIMPLE_ESCAPES = {
    "a": "\a",
    "b": "\b",
    "c": "\\c",  # in the pattern, but not an escape Go knows: it stays as written
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "v": "\v",
    "$": "$$",  # `\$` means a literal dollar: `$$` keeps it through interpolation
    '"': '"',
    "\\": "\\",
}
_KEY_PUNCTUATION = frozenset("_.-[]")


@dataclass(slots=True)
class EnvText:
    values: dict[str, str] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)  # key → line of the assignment that wins
    problems: list[tuple[int, str]] = field(default_factory=list)  # Compose refuses the file
    unset: list[tuple[int, str]] = field(default_factory=list)  # (line, variable) read as ""
    used: dict[str, set[str]] = field(default_factory=dict)  # key → variables its value read
    # key → offset in the text of its value's first character, for a value written verbatim
    # (no escape, no interpolation): `portplan apply` edits digits there.
    starts: dict[str, int] = field(default_factory=dict)


class _Refused(ValueError):
    def __init__(self, position: int, message: str) -> None:
        super().__init__(message)
        self.position = position


def read_env_text(text: str, outer: Mapping[str, str] | None = None) -> EnvText:
    """The file's values; `outer` holds values its variables are looked up in first (an
    included project's `.env` reads the including project's, as compose-go's
    `GetEnvFromFile` does), before the keys above them in the file."""
    reader = _Reader(text, outer or {})
    try:
        reader.read_all()
    except _Refused as refused:
        reader.env.problems.append((reader.line_of(refused.position), str(refused)))
    return reader.env


class _Reader:
    def __init__(self, text: str, outer: Mapping[str, str]) -> None:
        self.text = text
        self.env = EnvText()
        self._lookup: Mapping[str, str] = (
            ChainMap(dict(outer), self.env.values) if outer else self.env.values
        )
        self._line_starts = [0, *(m.end() for m in re.finditer("\n", text))]

    def line_of(self, position: int) -> int:
        return bisect_right(self._line_starts, position)

    def read_all(self) -> None:
        position = self._statement_start(0)
        while position < len(self.text):
            position = self._statement(position)
            position = self._statement_start(position)

    def _statement_start(self, position: int) -> int:
        """The next position that is neither space nor inside a comment."""
        text = self.text
        while position < len(text):
            if text[position].isspace():
                position += 1
            elif text[position] == "#":
                newline = text.find("\n", position)
                position = len(text) if newline < 0 else newline
            else:
                break
        return position

    def _statement(self, start: int) -> int:
        text = self.text
        position = start
        if export := _EXPORT.match(text, position):
            position = _skip_line_space(text, export.end())
        key_start = position
        separator = ""
        while position < len(text):
            char = text[position]
            if char in "=:\n":
                separator = char
                break
            if not (
                char in _LINE_SPACE
                or char in _KEY_PUNCTUATION
                or char.isalpha()
                or char.isnumeric()
            ):
                raise _Refused(position, f"unexpected character {char!r} in a variable name")
            position += 1
        key = text[key_start:position].rstrip()
        if " " in key:
            raise _Refused(start, "a variable name cannot contain a space")
        if separator in ("", "\n"):
            return position  # `KEY` alone: the shell's value, which a scan never counts
        value_start = _skip_line_space(text, position + 1)
        value, used, end = self._value(value_start)
        self.env.values[key] = value
        self.env.lines[key] = self.line_of(start)
        self.env.used[key] = used
        first = value_start + (text[value_start : value_start + 1] in ("'", '"'))
        if not used and text.startswith(value, first):
            self.env.starts[key] = first
        else:
            self.env.starts.pop(key, None)
        return end

    def _value(self, start: int) -> tuple[str, set[str], int]:
        text = self.text
        quote = text[start : start + 1]
        if quote not in ("'", '"'):
            newline = text.find("\n", start)
            end = len(text) if newline < 0 else newline
            raw = text[start:end].split(" #", 1)[0].rstrip()
            value, used = self._interpolate(raw, start)
            return value, used, end
        raw, end = _quoted(text, start, quote)
        if quote == "'":
            return raw, set(), end
        value, used = self._interpolate(_ESCAPE.sub(_unescape, raw), start)
        return value, used, end

    def _interpolate(self, raw: str, start: int) -> tuple[str, set[str]]:
        used: set[str] = set()
        try:
            value, unset = interpolate(raw, self._lookup, used)
        except InterpolationError as error:
            raise _Refused(start, str(error)) from None
        line = self.line_of(start)
        self.env.unset.extend((line, name) for name in unset)
        return value, used


def _skip_line_space(text: str, position: int) -> int:
    while position < len(text) and text[position] in _LINE_SPACE:
        position += 1
    return position


def _quoted(text: str, start: int, quote: str) -> tuple[str, int]:
    """The characters between the quote at `start` and its closing one, and the index after.

    A backslash before the quote keeps only the quote; before anything else it is kept, so
    that double-quoted escapes can be expanded afterwards.
    """
    chars: list[str] = []
    escaped = False
    for index in range(start + 1, len(text)):
        char = text[index]
        if char == quote:
            if not escaped:
                return "".join(chars), index + 1
            escaped = False
            chars.append(char)
        elif escaped:
            escaped = False
            chars.append("\\" + char)
        elif char == "\\":
            escaped = True
        else:
            chars.append(char)
    raise _Refused(start, "unterminated quoted value")


def _unescape(match: re.Match[str]) -> str:
    escape = match[0][1:]
    if escape[0] != "0":
        return _SIMPLE_ESCAPES[escape]
    digits = escape[1:]
    # `\0NNN` is the octal byte NNN; Go refuses anything but exactly three octal digits.
    if len(digits) == 3 and all(d in "01234567" for d in digits) and int(digits, 8) < 256:
        return chr(int(digits, 8))
    return match[0]
