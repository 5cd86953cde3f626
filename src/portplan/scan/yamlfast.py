"""The fast path of `yamltext.load_documents`: libyaml's C parser, YAML 1.2's meaning.

ruamel.yaml's round-trip loader is pure Python and is most of a scan's time. libyaml (through
PyYAML's compiled `CParser`) scans, parses and composes the same text about twenty times
faster, but it is a YAML 1.1 parser, and ruamel's is the reference: its YAML 1.2 rules (an
unquoted `22:22` is text, `on` is not a boolean) and the lines it records are what every
reader was written against. So the fast path keeps only what the two certainly agree on, and
answers None — read it the reference way — for anything else:

- the text: no `%` directive (ruamel is told to read `%YAML 1.1` as 1.2), no tab, backslash,
  byte-order mark or character that YAML 1.1 and 1.2 read differently (NEL, the Unicode line
  and paragraph separators) or that YAML forbids;
- the nodes: scalars are resolved with ruamel's own YAML 1.2 table; only text, decimal
  integers, booleans and nulls are built, exactly as ruamel builds them; a float, date, merge
  key (`<<`), block scalar (`|`, `>`), empty value (`key:`, whose place ruamel records
  differently), anchor or alias, a non-scalar key, a duplicate key or any other tag sends
  the text to the reference loader;
- any error: the reference loader reads the text again, to word the error as before.

Maps and lists are ruamel's `CommentedMap` and `CommentedSeq` with the lines and columns
ruamel records, so `item_line`, `key_line` and `node_line` read them unchanged.
`tests/test_yaml_fast_path.py` holds the two paths equal, and every scan test compares them
on each text it reads.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq, Format, LineCol
from ruamel.yaml.resolver import Resolver

try:  # PyYAML's binding of libyaml; without it every text takes the reference path
    from yaml import ScalarNode, SequenceNode
    from yaml import YAMLError as LibyamlError
    from yaml._yaml import CParser
except ImportError:  # pragma: no cover - a PyYAML built without libyaml
    CParser = None

# As yamltext's: a document of more nodes is refused there, with its sentence.
MAX_NODES = 200_000
_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_RESOLVERS: dict[Any, list[tuple[str, re.Pattern[str]]]] = Resolver.yaml_implicit_resolvers
_ANY_FIRST = _RESOLVERS.get(None, [])


def _compiled(table: list[tuple[str, Any]]) -> list[tuple[str, re.Pattern[str]]]:
    # ruamel wraps each pattern in a lazy proxy, which makes every match a few Python calls;
    # the same pattern compiled plainly matches the same texts.
    return [(tag, re.compile(regexp.pattern, regexp.flags)) for tag, regexp in table]


# The resolvers to try on a scalar, by its first character ("" for an empty one), in order.
_BY_FIRST = {
    first: _compiled(table + _ANY_FIRST) for first, table in _RESOLVERS.items() if first is not None
}
_ONLY_ANY = _compiled(_ANY_FIRST)
# Characters YAML 1.1 and 1.2 read differently, or that either forbids (ruamel's list of
# printable characters, inverted, less NEL, the line and paragraph separators and the
# byte-order mark), tabs, backslashes (escapes differ), `&` and `!` (anchors and tags, which
# ruamel keeps on what it builds) and directives: all for the reference path.
_UNSURE = re.compile(
    r"[^\x0a\x0d\x20\x22-\x25\x27-\x5b\x5d-\x7e"
    r"\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]|^%",
    re.MULTILINE,
)
_DECIMAL = re.compile(r"-?[1-9][0-9]*\Z")
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False}
_BOOLS["FALSE"] = False
_SET_ITEM = OrderedDict.__setitem__
_LINE_COL = LineCol.attrib
_FORMAT = Format.attrib


class _Unsure(Exception):
    """The fast path cannot promise the reference loader's result for this text."""


if CParser is not None:

    class _Parser(CParser):  # type: ignore[misc]
        """libyaml composing nodes, tagged by ruamel's YAML 1.2 resolver."""

        def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
            if kind is ScalarNode:
                if implicit[0]:
                    for tag, regexp in _BY_FIRST.get(value[:1], _ONLY_ANY):
                        if regexp.match(value):
                            return tag
                return _STR
            return _SEQ if kind is SequenceNode else _MAP

        def descend_resolver(self, current_node: Any, current_index: Any) -> None:
            pass

        def ascend_resolver(self) -> None:
            pass


def load_documents(text: str) -> list[Any] | None:
    """The documents ruamel's round-trip loader would build; None where unsure."""
    if CParser is None or _UNSURE.search(text):
        return None
    parser = _Parser(text)
    try:
        documents = []
        while parser.check_node():
            count = [1]
            documents.append(_build(parser.get_node(), count))
            if count[0] > MAX_NODES:
                return None  # the reference path refuses it, in its own words
        return documents
    except (_Unsure, LibyamlError, RecursionError):
        return None
    finally:
        parser.dispose()


# No node is ever built twice: an alias needs an anchor (`&`), and a text with `&` never gets
# here, so libyaml refuses any `*alias` as undefined. `count` counts the nodes, as the
# reference path does for its limit.
def _build(node: Any, count: list[int]) -> Any:
    if node.__class__ is ScalarNode:
        return _scalar(node)
    # The lines as ruamel's constructor records them: the collection's start, then each
    # entry's (a key's and its value's start for a map, an item's for a list).
    lines: dict[Any, list[int]] = {}
    collection: CommentedSeq | CommentedMap
    children = node.value
    if node.__class__ is SequenceNode:
        if node.tag != _SEQ:
            raise _Unsure
        items = []
        for index, child in enumerate(children):
            items.append(_scalar(child) if child.__class__ is ScalarNode else _build(child, count))
            mark = child.start_mark
            lines[index] = [mark.line, mark.column]
        collection = CommentedSeq(items)  # filled at once, as ruamel's constructor fills it
        count[0] += len(children)
    else:
        if node.tag != _MAP:
            raise _Unsure
        collection = CommentedMap()
        own_key = collection._ok.add
        for key_node, value_node in children:
            if key_node.__class__ is not ScalarNode:
                raise _Unsure
            key = _scalar(key_node)
            if key in lines:
                raise _Unsure  # ruamel refuses duplicate keys: let it say so
            value = (
                _scalar(value_node)
                if value_node.__class__ is ScalarNode
                else _build(value_node, count)
            )
            # What CommentedMap's own `__setitem__` does for a new key, without its look-ups.
            _SET_ITEM(collection, key, value)
            own_key(key)
            start, value_start = key_node.start_mark, value_node.start_mark
            lines[key] = [start.line, start.column, value_start.line, value_start.column]
        count[0] += 2 * len(children)
    # `lc` and `fa` as ruamel's properties would make them, set at once.
    place = LineCol()
    mark = node.start_mark
    place.line, place.col = mark.line, mark.column
    if lines:
        place.data = lines
        # As ruamel's `set_collection_style`: flow or block, kept for a non-empty collection.
        if node.flow_style is True or node.flow_style is False:
            style = Format()
            style._flow_style = node.flow_style
            setattr(collection, _FORMAT, style)
    setattr(collection, _LINE_COL, place)
    return collection


def _scalar(node: Any) -> Any:
    tag, value, style = node.tag, node.value, node.style
    if style == "|" or style == ">":
        raise _Unsure  # ruamel keeps block scalars as string types of their own
    if not value and not style:
        raise _Unsure  # `key:` with nothing after it: ruamel places the null elsewhere
    if tag == _STR:
        return value
    if tag == _INT and _DECIMAL.match(value):
        try:
            return int(value)  # ruamel's plain int; `0`, `007` or `1_000` are kinds of its own
        except ValueError:
            return value  # over Python's 4,300 digits: kept as text, as yamltext keeps it
    if tag == _NULL:
        return None
    if tag == _BOOL and value in _BOOLS:
        return _BOOLS[value]
    raise _Unsure
