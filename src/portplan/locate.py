"""Find the line of a value in TOML text from its path, e.g. ('projects', 1, 'tiers', 0, 'name').

`tomllib` keeps no positions, so this reads the text the way a person would: array-of-table
headers (`[[projects.tiers]]`) counted in order, inline tables (`{ port = … }`) counted
within their array, then the key. It is a best effort for error messages: when the shape is
unusual it answers with the nearest enclosing line, or None.
"""

from __future__ import annotations

import bisect
import re

_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")


def locate_line(text: str, loc: tuple[int | str, ...]) -> int | None:
    return TomlLines(text).line(loc)


class TomlLines:
    """The text split once, with the line numbers of every array-of-tables header by name,
    so that locating many values (one per finding of a big plan) does not rescan the file."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self._headers: dict[str, list[int]] = {}
        self._items: dict[int, list[int]] = {}
        for number, line in enumerate(self.lines):
            if line.lstrip().startswith("[[") and (match := _HEADER.match(line)):
                self._headers.setdefault(match[1], []).append(number)

    def _headers_between(self, dotted: str, low: int, high: int) -> list[int]:
        numbers = self._headers.get(dotted, [])
        return numbers[bisect.bisect_left(numbers, low) : bisect.bisect_left(numbers, high)]

    def line(self, loc: tuple[int | str, ...]) -> int | None:
        """The 1-based line of the value at `loc`, the nearest enclosing line, or None."""
        lines = self.lines
        low, high = 0, len(lines)  # the window of 0-based line indices still searched
        found: int | None = None
        table: list[str] = []  # dotted name of the array-of-tables we are inside
        parts = list(loc)
        index = 0
        while index < len(parts):
            key = parts[index]
            if not isinstance(key, str):
                break
            position = parts[index + 1] if index + 1 < len(parts) else None
            dotted = ".".join([*table, key])
            if isinstance(position, int):
                headers = self._headers_between(dotted, low, high)
                if headers:
                    if position >= len(headers):
                        return found
                    start = headers[position]
                    end = headers[position + 1] if position + 1 < len(headers) else high
                    low, high, found = start, end, start + 1
                    table.append(key)
                    index += 2
                    continue
                array = _find_key(lines, low, high, key)
                if array is None:
                    return found
                # Cached: a big plan asks for many services of the same array.
                items = self._items.get(array)
                if items is None:
                    items = self._items[array] = _inline_tables(lines, array, high)
                if position >= len(items):
                    return array + 1
                start = items[position]
                low, high, found = start, start + 1, start + 1
                index += 2
                continue
            line = _find_key(lines, low, high, key)
            if line is None:  # written as a table of its own: `[projects]`
                line = _find_header(lines, low, high, dotted)
            return line + 1 if line is not None else found
        return found


def _find_header(lines: list[str], low: int, high: int, dotted: str) -> int | None:
    for number in range(low, high):
        line = lines[number]
        if line.lstrip().startswith("[") and (match := _HEADER.match(line)):
            if re.sub(r"\s*\.\s*", ".", match[1]) == dotted:
                return number
    return None


def _inline_tables(lines: list[str], start: int, high: int) -> list[int]:
    """Line numbers of the inline tables of the array whose key is on line `start`, one
    entry per table (two on one line give that line twice); the scan ends with the array."""
    found: list[int] = []
    depth = 0
    for number in range(start, high):
        line = lines[number]
        column = line.index("=") + 1 if number == start else 0
        quote = ""
        while column < len(line):
            char = line[column]
            if quote:
                if char == "\\" and quote == '"':
                    column += 1  # the escaped character cannot end the string
                elif char == quote:
                    quote = ""
            elif char in "\"'":
                quote = char
            elif char == "#":
                break  # a comment runs to the end of the line
            elif char in "[{":
                if char == "{" and depth == 1:
                    found.append(number)
                depth += 1
            elif char in "]}":
                depth -= 1
                if depth == 0:
                    return found
            column += 1
    return found


def _find_key(lines: list[str], low: int, high: int, key: str) -> int | None:
    name = rf'("{re.escape(key)}"|{re.escape(key)})\s*='
    # A key of the table itself starts its line (indented or not); one inside an inline
    # table (`{ name = … }`) is only the answer when the table has no such key of its own.
    own, inline = re.compile(rf"^\s*{name}"), re.compile(rf"[{{,]\s*{name}")
    fallback: int | None = None
    for number in range(low, high):
        line = lines[number]
        if number > low and "=" not in line and _HEADER.match(line):
            break  # a new table starts: keys below it belong to that table
        if own.search(line):
            return number
        if fallback is None and inline.search(line):
            fallback = number
    return fallback
