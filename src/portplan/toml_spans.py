"""Where each table, key and value of a plan file sits in its text, as character offsets.

`tomllib` keeps no positions, and tomlkit (which does) parses a plan about ten times slower.
A save that keeps the user's text only needs the spans of the plan's own shapes: top-level
keys, `[[projects]]` / `[[projects.tiers]]` / `[[projects.tiers.services]]` / `[[reserved]]`
blocks, and arrays of inline tables. This reads exactly that in one linear pass over text
that `tomllib` has already accepted; any other shape (a dotted key, a `[plain]` table) raises
`Unsupported`, and the caller writes the file its own way instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Array-of-tables headers a plan may use, and the child list each one extends.
_HEADERS: dict[tuple[str, ...], str] = {
    ("projects",): "projects",
    ("reserved",): "reserved",
    ("projects", "tiers"): "tiers",
    ("projects", "tiers", "services"): "services",
}
_BARE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
_MAX_DEPTH = 16  # a plan nests five deep; deeper text is not a plan this writer edits


class Unsupported(Exception):
    """The text has a shape this locator does not edit; the reason is one short phrase."""


@dataclass(slots=True)
class Value:
    """A value's span; arrays list their items, inline tables their pairs."""

    start: int
    end: int
    kind: str  # "scalar", "array" or "table"
    items: list[Value] = field(default_factory=list)
    pairs: dict[str, Pair] = field(default_factory=dict)


@dataclass(slots=True)
class Pair:
    """`key = value`; for a statement of a block, the span of its whole lines too."""

    key_start: int
    value: Value
    line_start: int = -1
    line_end: int = -1


@dataclass(slots=True)
class Block:
    """The root of the document or one `[[...]]` table with the blocks nested under it.

    Its statements are read when first asked for: a save reads only the blocks it edits."""

    header_start: int  # where its header line starts (0 and no header for the root)
    body_start: int  # just after its header line
    end: int  # just after its last statement, or its last nested block's
    children: dict[str, list[Block]] = field(default_factory=dict)
    parent: Block | None = None
    lead_start: int = -1  # where the comment lines right above its header start
    stop: int = -1  # where the next header's line starts (the end of its own statements)
    reader: _Reader | None = None
    read: dict[str, Pair] | None = None

    @property
    def pairs(self) -> dict[str, Pair]:
        if self.read is None:
            assert self.reader is not None
            self.read = _statements(self.reader, self.body_start, self.stop)
        return self.read


class _Reader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.size = len(text)

    def spaces(self, at: int) -> int:
        text, size = self.text, self.size
        while at < size and text[at] in " \t":
            at += 1
        return at

    def blank(self, at: int) -> int:
        """Past spaces, newlines and comments (the filler allowed inside arrays)."""
        text, size = self.text, self.size
        while at < size:
            char = text[at]
            if char in " \t\r\n":
                at += 1
            elif char == "#":
                at = self.line_end(at)
            else:
                break
        return at

    def line_end(self, at: int) -> int:
        """Just after the newline ending the line `at` is on (or the end of the text)."""
        found = self.text.find("\n", at)
        return self.size if found < 0 else found + 1

    def key(self, at: int) -> tuple[list[str], int]:
        parts: list[str] = []
        while True:
            at = self.spaces(at)
            char = self.text[at : at + 1]
            if char in ('"', "'"):
                end = self.string_end(at)
                raw = self.text[at + 1 : end - 1]
                parts.append(raw if char == "'" else _unescape_key(raw))
                at = end
            else:
                start = at
                while at < self.size and self.text[at] in _BARE:
                    at += 1
                if at == start:
                    raise Unsupported("a key this writer does not read")
                parts.append(self.text[start:at])
            at = self.spaces(at)
            if self.text[at : at + 1] != ".":
                return parts, at
            at += 1

    def string_end(self, at: int) -> int:
        text = self.text
        quote = text[at]
        if text.startswith(quote * 3, at):
            end = at + 3
            while True:
                found = text.find(quote * 3, end)
                if found < 0:
                    raise Unsupported("an unterminated string")
                if quote == '"' and _escaped(text, found):
                    end = found + 1
                    continue
                end = found + 3
                while end < self.size and text[end] == quote and end - found < 5:
                    end += 1
                return end
        end = at + 1
        while end < self.size:
            char = text[end]
            if char == quote:
                return end + 1
            end += 2 if char == "\\" and quote == '"' else 1
        raise Unsupported("an unterminated string")

    def value(self, at: int, depth: int = 0) -> Value:
        if depth > _MAX_DEPTH:
            raise Unsupported("values nested too deep")
        char = self.text[at : at + 1]
        if char in ('"', "'"):
            return Value(at, self.string_end(at), "scalar")
        if char == "[":
            return self.array(at, depth)
        if char == "{":
            return self.table(at, depth)
        end = at
        while end < self.size and self.text[end] not in ",]}#\r\n":
            end += 1
        while end > at and self.text[end - 1] in " \t":
            end -= 1
        return Value(at, end, "scalar")

    def array(self, start: int, depth: int) -> Value:
        node = Value(start, start, "array")
        at = self.blank(start + 1)
        while self.text[at : at + 1] != "]":
            item = self.value(at, depth + 1)
            node.items.append(item)
            at = self.blank(item.end)
            if self.text[at : at + 1] == ",":
                at = self.blank(at + 1)
        node.end = at + 1
        return node

    def table(self, start: int, depth: int) -> Value:
        node = Value(start, start, "table")
        at = self.spaces(start + 1)
        while self.text[at : at + 1] != "}":
            key_start = at
            parts, at = self.key(at)
            if len(parts) != 1:
                raise Unsupported("a dotted key in an inline table")
            item = self.value(self.spaces(at + 1), depth + 1)
            node.pairs[parts[0]] = Pair(key_start, item)
            at = self.spaces(item.end)
            if self.text[at : at + 1] == ",":
                at = self.spaces(at + 1)
        node.end = at + 1
        return node


def _escaped(text: str, at: int) -> bool:
    backslashes = 0
    while at - backslashes - 1 >= 0 and text[at - backslashes - 1] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


def _unescape_key(raw: str) -> str:
    if "\\" in raw:
        raise Unsupported("an escaped quoted key")
    return raw


_HEADER_LINE = re.compile(r"^[ \t]*\[", re.MULTILINE)


def locate(text: str) -> Block:
    """The blocks, statements and values of a plan's text (already accepted by tomllib)."""
    if '"""' in text or "'''" in text:
        return _locate_scanning(text)  # a line may start with `[` inside a string
    reader = _Reader(text)
    # Without multi-line strings, a line starting with `[` in a valid plan is a header: the
    # blocks are found with one regular expression, and only edited blocks are read further.
    root = Block(0, 0, 0, reader=reader)
    last: dict[str, Block] = {}
    blocks = [root]
    for match in _HEADER_LINE.finditer(text):
        line_start = match.start()
        blocks[-1].stop = line_start
        block = _header(reader, root, last, line_start, match.end() - 1)
        block.lead_start = _comments_above(text, line_start)
        block.reader = reader
        blocks.append(block)
    blocks[-1].stop = len(text)
    for block in blocks[1:]:
        _extend(block, _content_end(text, block.body_start, block.stop))
    return root


def _comments_above(text: str, line_start: int) -> int:
    """Where the run of comment lines directly above a header starts."""
    start = line_start
    while start > 0:
        previous = text.rfind("\n", 0, start - 1) + 1
        if not text[previous:start].lstrip(" \t").startswith("#"):
            break
        start = previous
    return start


def _content_end(text: str, start: int, stop: int) -> int:
    """Just after the last line in [start, stop) that is neither blank nor a comment."""
    end = stop
    while end > start:
        line_start = text.rfind("\n", start, end - 1) + 1
        line_start = max(line_start, start)
        stripped = text[line_start:end].strip()
        if stripped and not stripped.startswith("#"):
            return end
        end = line_start
    return start


def _statements(reader: _Reader, start: int, stop: int) -> dict[str, Pair]:
    text = reader.text
    pairs: dict[str, Pair] = {}
    at = start
    while at < stop:
        line_start = at
        at = reader.spaces(at)
        char = text[at : at + 1]
        if char in ("\r", "\n", "#", ""):
            at = reader.line_end(at)
            continue
        parts, after = reader.key(at)
        if len(parts) != 1 or text[after : after + 1] != "=":
            raise Unsupported("a dotted key")
        value = reader.value(reader.spaces(after + 1))
        end = reader.line_end(value.end)
        pairs[parts[0]] = Pair(at, value, line_start, end)
        at = end
    return pairs


def _locate_scanning(text: str) -> Block:
    reader = _Reader(text)
    root = Block(0, 0, 0, read={})
    current = root
    last: dict[str, Block] = {}  # the latest block of each header, for nesting the next one
    comments_from = -1  # start of the run of comment lines just above the current line
    at = 0
    while at < reader.size:
        line_start = at
        at = reader.spaces(at)
        char = text[at : at + 1]
        if char in ("\r", "\n", ""):
            at = reader.line_end(at)
            comments_from = -1
            continue
        if char == "#":
            comments_from = line_start if comments_from < 0 else comments_from
            at = reader.line_end(at)
            continue
        if char == "[":
            current = _header(reader, root, last, line_start, at)
            current.lead_start = comments_from if comments_from >= 0 else line_start
            current.read = {}
            at = current.body_start
        else:
            parts, after = reader.key(at)
            if len(parts) != 1 or text[after : after + 1] != "=":
                raise Unsupported("a dotted key")
            value = reader.value(reader.spaces(after + 1))
            end = reader.line_end(value.end)
            current.pairs[parts[0]] = Pair(at, value, line_start, end)
            _extend(current, end)
            at = end
        comments_from = -1
    return root


def _header(
    reader: _Reader, root: Block, last: dict[str, Block], line_start: int, at: int
) -> Block:
    text = reader.text
    if not text.startswith("[[", at):
        raise Unsupported("a [table] header")
    parts, after = reader.key(at + 2)
    path = tuple(parts)
    if path not in _HEADERS or not text.startswith("]]", after):
        raise Unsupported(f"a [[{'.'.join(parts)}]] table")
    parent = root if len(path) == 1 else last.get(".".join(path[:-1]))
    if parent is None:
        raise Unsupported("a nested table before its parent")
    end = reader.line_end(after + 2)
    block = Block(line_start, end, end, parent=parent)
    parent.children.setdefault(_HEADERS[path], []).append(block)
    last[".".join(path)] = block
    for deeper in [name for name in last if name.startswith(".".join(path) + ".")]:
        del last[deeper]
    _extend(block, end)
    return block


def _extend(block: Block | None, end: int) -> None:
    while block is not None:
        block.end = max(block.end, end)
        block = block.parent
