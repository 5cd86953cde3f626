"""A save that changes only what the edits changed, keeping the rest of the user's text.

A plan is a hand-kept file reviewed in git: comments, blank lines, key order, quoting, inline
tables or `[[...]]` blocks, and line endings are the user's. Instead of writing the plan
anew, this compares the plan as the file holds it with the plan in memory, element by
element, and edits the located spans of the file's text (see `toml_spans`): a changed value
is replaced where it stands, an added service is one new line beside its neighbours, a
removed one is one line gone. It reads the file once and touches only what differs, so it
stays fast at 60,000 services. The caller verifies the result by parsing it back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from portplan import toml_text as new_text
from portplan.model import Plan, PortRange, Project, Reserved, Service, Tier
from portplan.model_base import Model
from portplan.toml_spans import Block, Pair, Unsupported, Value, locate

__all__ = ["Unsupported", "preserve"]

_ITEMS: dict[str, type[Model]] = {
    "reserved": Reserved,
    "projects": Project,
    "tiers": Tier,
    "services": Service,
}
_BLOCK_STYLE = ("projects", "tiers")  # written as [[...]] blocks when a file has none yet


def preserve(text: str, old: Plan, new: Plan) -> str:
    """`text` (which reads as `old`) edited so that it reads as `new`."""
    root = locate(text)
    editor = _Editor(text)
    editor.element(_Where(root.pairs, root, None), old, new)
    editor.place_insertions()
    return editor.splices.apply(text)


@dataclass(slots=True)
class _Where:
    """Where one plan element's text is: a block (root or `[[...]]`) or an inline table."""

    pairs: dict[str, Pair]
    block: Block | None
    value: Value | None


@dataclass
class _Splices:
    items: list[tuple[int, int, int, str]] = field(default_factory=list)

    def add(self, start: int, end: int, text: str) -> None:
        self.items.append((start, end, len(self.items), text))

    def apply(self, text: str, start: int = 0, stop: int | None = None) -> str:
        stop = len(text) if stop is None else stop
        out: list[str] = []
        position = start
        for begin, end, _, insert in sorted(self.items):
            if begin < position:
                raise Unsupported("two edits of the same text")
            out.append(text[position:begin])
            out.append(insert)
            position = end
        out.append(text[position:stop])
        return "".join(out)


@dataclass
class _Insertion:
    key: str
    container: Value | list[Block] | Block
    anchor: int  # the located item after which the new ones go; -1: before the first
    models: list[Model]


class _Editor:
    def __init__(self, text: str) -> None:
        self.text = text
        self.newline = "\r\n" if "\r\n" in text[: text.find("\n") + 1] else "\n"
        self.splices = _Splices()
        self.pending: list[_Insertion] = []
        # Inline items removed from one list, by name: a service moved to another tier (or
        # to another place in its tier) keeps its own line, comment and all.
        self.removed: dict[tuple[str, str], tuple[Value, Model]] = {}
        self.removed_blocks: dict[tuple[str, object], tuple[Block, Model]] = {}

    # --- one element ---------------------------------------------------------------------

    def element(self, where: _Where, old: Model, new: Model) -> None:
        for name in type(new).model_fields:
            before, after = getattr(old, name), getattr(new, name)
            if before == after:
                continue
            if name in _ITEMS:
                self.array(where, name, before, after, type(new))
            else:
                self.set_field(where, name, after, type(new))

    def set_field(self, where: _Where, key: str, value: Any, model: type[Model]) -> None:
        pair = where.pairs.get(key)
        if value == model.model_fields[key].default:
            if pair is not None:
                self.delete_pair(where, key)
            return
        inline = where.value is not None
        if pair is not None:
            old_token = self.text[pair.value.start : pair.value.end]
            self.splices.add(
                pair.value.start, pair.value.end, self.render(value, old_token, inline)
            )
            return
        self.insert_pair(where, key, self.render(value, None, inline), model)

    def insert_pair(self, where: _Where, key: str, rendered: str, model: type[Model]) -> None:
        order = list(model.model_fields)
        index = order.index(key)
        before = [name for name in order[:index] if name in where.pairs]
        after = [name for name in order[index + 1 :] if name in where.pairs]
        if where.value is not None:
            if before:
                at = where.pairs[before[-1]].value.end
                self.splices.add(at, at, f", {key} = {rendered}")
            elif after:
                at = where.pairs[after[0]].key_start
                self.splices.add(at, at, f"{key} = {rendered}, ")
            else:
                raise Unsupported("a key added to an empty inline table")
            return
        assert where.block is not None
        line = f"{key} = {rendered}{self.newline}"
        if before:
            at = where.pairs[before[-1]].line_end
            if not self.text[:at].endswith("\n"):
                line = self.newline + line
        elif after:
            at = where.pairs[after[0]].line_start
        else:
            at = min((pair.line_start for pair in where.pairs.values()), default=-1)
            at = where.block.body_start if at < 0 else at
        self.splices.add(at, at, line)

    def delete_pair(self, where: _Where, key: str) -> None:
        pair = where.pairs[key]
        if where.value is None:
            self.splices.add(pair.line_start, pair.line_end, "")
            return
        ordered = sorted(where.pairs.values(), key=lambda p: p.key_start)
        index = ordered.index(pair)
        if index > 0:
            self.splices.add(ordered[index - 1].value.end, pair.value.end, "")
        elif index + 1 < len(ordered):
            self.splices.add(pair.key_start, ordered[index + 1].key_start, "")
        else:
            self.splices.add(pair.key_start, pair.value.end, "")

    # --- lists of elements ---------------------------------------------------------------

    def array(
        self,
        where: _Where,
        key: str,
        olds: list[Model],
        news: list[Model],
        parent: type[Model],
    ) -> None:
        container: Value | list[Block] | Block
        located: list[_Where]
        if where.block is not None and key in where.block.children:
            blocks = where.block.children[key]
            container, located = blocks, [_Where(b.pairs, b, None) for b in blocks]
        elif key in where.pairs:
            value = where.pairs[key].value
            if value.kind != "array" or any(item.kind != "table" for item in value.items):
                raise Unsupported(f"{key} is not a list of tables")
            container, located = value, [_Where(i.pairs, None, i) for i in value.items]
        elif where.block is not None and key in _BLOCK_STYLE:
            container, located = where.block, []
        else:
            self.set_field(where, key, news, parent)
            return
        if len(located) != len(olds):
            raise Unsupported(f"the {key} of the file are not where they were read")
        old_ids, new_ids = [_identity(o) for o in olds], [_identity(n) for n in news]
        matcher = SequenceMatcher(None, old_ids, new_ids, autojunk=False)
        old_names, new_names = set(old_ids), set(new_ids)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            paired = min(i2 - i1, j2 - j1) if tag in ("equal", "replace") else 0
            if tag == "replace" and (
                any(name in new_names for name in old_ids[i1:i2])
                or any(name in old_names for name in new_ids[j1:j2])
            ):
                # Some of these moved elsewhere in the list: pairing by position would edit
                # one element into another; removed and added, a moved one keeps its line.
                paired = 0
            for offset in range(paired):
                if olds[i1 + offset] != news[j1 + offset]:
                    self.element(located[i1 + offset], olds[i1 + offset], news[j1 + offset])
            for index in range(i1 + paired, i2):
                self.delete_item(key, container, index, olds[index])
            if j1 + paired < j2:
                anchor = i1 + paired - 1
                self.pending.append(
                    _Insertion(key, container, anchor, list(news[j1 + paired : j2]))
                )

    def delete_item(
        self, key: str, container: Value | list[Block] | Block, index: int, model: Model
    ) -> None:
        if isinstance(container, list):
            block = container[index]
            # Kept in case it comes back (moved): then carried, comments and all (_block_of).
            self.removed_blocks.setdefault((key, _identity(model)), (block, model))
            start = block.lead_start
            previous = self.text.rfind("\n", 0, max(start - 1, 0)) + 1
            if start > 0 and not self.text[previous:start].strip():
                start = previous
            self.splices.add(start, block.end, "")
            return
        assert isinstance(container, Value)
        items = container.items
        item = items[index]
        if key == "services":
            self.removed.setdefault((key, str(getattr(model, "name", ""))), (item, model))
        line_start, line_end = self._own_line(item)
        if line_start >= 0:
            self.splices.add(line_start, line_end, "")
            return
        after = self._skip_spaces(item.end)
        if self.text[after : after + 1] == ",":
            self.splices.add(item.start, self._skip_spaces(after + 1), "")
        elif index > 0:
            self.splices.add(items[index - 1].end, item.end, "")
        else:
            self.splices.add(item.start, item.end, "")

    def place_insertions(self) -> None:
        for insertion in self.pending:
            if isinstance(insertion.container, Value):
                self._insert_inline(insertion)
            else:
                self._insert_blocks(insertion)

    def _insert_inline(self, insertion: _Insertion) -> None:
        array = insertion.container
        assert isinstance(array, Value)
        items, newline = array.items, self.newline
        if not items:
            indent = self._indent_of(array.start)
            filled = "".join(
                f"{indent}    {''.join(self._inline_text(insertion.key, m))}"
                for m in insertion.models
            )
            self.splices.add(array.start, array.end, f"[{newline}{filled}{indent}]")
            return
        near = items[max(insertion.anchor, 0)]
        if self._own_line(near)[0] < 0:
            rendered = [self._inline_text(insertion.key, m)[0] for m in insertion.models]
            if insertion.anchor >= 0:
                self.splices.add(near.end, near.end, "".join(f", {r}" for r in rendered))
            else:
                self.splices.add(near.start, near.start, "".join(f"{r}, " for r in rendered))
            return
        indent = self._indent_of(near.start)
        lines = []
        for model in insertion.models:
            item, rest = self._inline_text(insertion.key, model)
            lines.append(f"{indent}{item}{rest}")
        if insertion.anchor >= 0:
            after = self._skip_spaces(near.end)
            if self.text[after : after + 1] != ",":
                self.splices.add(near.end, near.end, ",")
            at = self._line_end(near.end)
            prefix = "" if self.text[:at].endswith("\n") else newline
            self.splices.add(at, at, prefix + "".join(lines))
        else:
            at = self._line_start(near.start)
            self.splices.add(at, at, "".join(lines))

    def _inline_text(self, key: str, model: Model) -> tuple[str, str]:
        """A new item's text and the rest of its line (comma, comment, newline)."""
        moved = self.removed.pop((key, str(getattr(model, "name", ""))), None)
        if moved is not None:
            item, old = moved
            carried = _Editor(self.text)
            carried.element(_Where(item.pairs, None, item), old, model)
            text = carried.splices.apply(self.text, item.start, item.end)
            line_start, line_end = self._own_line(item)
            if line_start >= 0:
                rest = self.text[item.end : line_end]
                if not rest.lstrip(" \t").startswith(","):
                    rest = "," + rest
                if not rest.endswith("\n"):
                    rest += self.newline
                return text, rest
            return text, "," + self.newline
        return new_text.inline_table(new_text.document(model)), "," + self.newline

    def _insert_blocks(self, insertion: _Insertion) -> None:
        newline = self.newline
        rendered = [self._block_of(insertion.key, model) for model in insertion.models]
        container = insertion.container
        assert not isinstance(container, Value)
        if isinstance(container, Block) or not container:
            if isinstance(container, Block) and container.parent is not None:
                at = container.end
            else:
                at = len(self.text)
            prefix = "" if self.text[:at].endswith("\n") or at == 0 else newline
            self.splices.add(at, at, prefix + "".join(newline + block for block in rendered))
            return
        if insertion.anchor >= 0:
            at = container[insertion.anchor].end
            prefix = "" if self.text[:at].endswith("\n") else newline
            self.splices.add(at, at, prefix + "".join(newline + block for block in rendered))
        else:
            at = container[0].lead_start
            above = self._line_start(max(at - 1, 0))
            if at > 0 and not self.text[above:at].strip():
                # Before the blank line above the first block, where removing that block
                # (blank line included) cannot overlap it.
                self.splices.add(above, above, "".join(newline + block for block in rendered))
            else:
                self.splices.add(at, at, "".join(block + newline for block in rendered))

    def _block_of(self, key: str, model: Model) -> str:
        """A new block's text: one moved from elsewhere in the list (a service from another
        tier, a project put back in another place) keeps its block, nested blocks, comments
        and layout, edited where it changed."""
        moved = self.removed_blocks.pop((key, _identity(model)), None)
        if moved is None:
            return new_text.block_text(key, new_text.document(model)).replace("\n", self.newline)
        block, old = moved
        carried = _Editor(self.text)
        carried.element(_Where(block.pairs, block, None), old, model)
        carried.place_insertions()
        text = carried.splices.apply(self.text, block.lead_start, block.end)
        return text if text.endswith("\n") else text + self.newline

    # --- text helpers --------------------------------------------------------------------

    def render(self, value: Any, old_token: str | None, inline: bool) -> str:
        if isinstance(value, PortRange):
            value = str(value)
        if isinstance(value, str):
            if old_token and new_text.literal_fits(old_token, value):
                return f"'{value}'"
            return new_text.toml(value)
        if isinstance(value, bool) or not isinstance(value, int | dt.date | list):
            raise Unsupported(f"a value of type {type(value).__name__}")
        if isinstance(value, list):
            documents = [
                new_text.document(item) if isinstance(item, Model) else item for item in value
            ]
            if inline or (old_token is not None and "\n" not in old_token):
                return new_text.inline_value(documents)
            if any(isinstance(item, dict) for item in documents):
                return new_text.lines_of_tables(documents, self.newline)
            return new_text.toml(documents).replace("\n", self.newline)
        return new_text.toml(value)

    def _own_line(self, item: Value) -> tuple[int, int]:
        """The span of the lines `item` fills alone (with its comma and comment), or (-1, -1)."""
        start = self._line_start(item.start)
        if self.text[start : item.start].strip(" \t"):
            return -1, -1
        after = self._skip_spaces(item.end)
        if self.text[after : after + 1] == ",":
            after = self._skip_spaces(after + 1)
        if self.text[after : after + 1] not in ("#", "\r", "\n", ""):
            return -1, -1
        return start, self._line_end(after)

    def _skip_spaces(self, at: int) -> int:
        while at < len(self.text) and self.text[at] in " \t":
            at += 1
        return at

    def _line_start(self, at: int) -> int:
        return self.text.rfind("\n", 0, at) + 1

    def _line_end(self, at: int) -> int:
        found = self.text.find("\n", at)
        return len(self.text) if found < 0 else found + 1

    def _indent_of(self, at: int) -> str:
        start = self._line_start(at)
        line = self.text[start:at]
        return line[: len(line) - len(line.lstrip(" \t"))]


def _identity(model: Model) -> object:
    name = getattr(model, "name", None)
    # A nameless element (a reserved range, an acceptance) is known by all its values.
    return name if name is not None else (str(getattr(model, "ports", "")), repr(model))
