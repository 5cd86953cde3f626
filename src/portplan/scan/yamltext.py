"""YAML through ruamel.yaml's round-trip loader: YAML 1.2 (an unquoted `22:22` stays the
string "22:22", where a YAML 1.1 reader makes it the base-60 number 1342) with line numbers,
as Compose reads it: a `%YAML 1.1` directive is ignored.

Hostile files are refused before anything walks them: a "billion laughs" file is small, but
its aliases expand to billions of nodes for any reader that follows them, so the expanded
size of every document is counted on the node graph (each alias counted as often as it is
used, in time linear in the file) and refused over `MAX_NODES`; so is a file whose longest
line is over `MAX_LINE` (no configuration needs one, and it would only cost time).

Compose's `!override` and `!reset` tags are read as the plain sequence or mapping they tag,
with the line of every entry kept (ruamel keeps no lines for tagged collections otherwise),
and the tag is kept on the value for the readers that merge `extends`.

Most texts are read by `yamlfast` (libyaml, with ruamel's YAML 1.2 meaning and the same
maps, lists and lines), about ten times faster; it hands anything it cannot promise to read
exactly as ruamel does to ruamel.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import ConstructorError, DuplicateKeyError, RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.reader import ReaderError
from ruamel.yaml.resolver import VersionedResolver

from portplan.scan.uses import name_shown
from portplan.scan.yamlfast import load_documents as fast_documents

MAX_NODES = 200_000
MAX_LINE = 64 * 1024
COMPOSE_TAGS = ("!override", "!reset")
_LONG_LINE = re.compile(f"[^\\n]{{{MAX_LINE + 1}}}")


class YamlProblem(ValueError):
    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.line = line


def _construct_tagged(constructor: RoundTripConstructor, node: Node) -> Iterator[Any]:
    build: Iterator[Any]
    if isinstance(node, SequenceNode):
        build = constructor.construct_yaml_seq(node)
    elif isinstance(node, MappingNode):
        build = constructor.construct_yaml_map(node)
    else:
        yield constructor.construct_scalar(node)
        return
    data = next(build)
    data.yaml_set_ctag(node.ctag)
    yield data
    for _ in build:  # the generator fills `data` in
        pass


class _Constructor(RoundTripConstructor):
    def construct_yaml_int(self, node: Any) -> Any:
        try:
            return super().construct_yaml_int(node)
        except ValueError:
            # Python's int() refuses over 4,300 decimal digits. No port is that long: the
            # text is kept, and each reader reports it as not a port, on its own line.
            return node.value

    # ruamel words a duplicate key with both values, which may be secrets, and takes Python's
    # equality for YAML's: `1:` and `true:` collide in a dict (True == 1), though YAML and
    # Compose read two keys.
    def check_mapping_key(
        self, node: Any, key_node: Any, mapping: Any, key: Any, value: Any
    ) -> bool:
        if key not in mapping:
            return True
        first = next(known for known in mapping if known == key)  # only on a collision
        text = key_node.value if isinstance(key_node, ScalarNode) else None
        if type(first) is not type(key) and text is not None:
            if text not in mapping:
                # Another type that Python finds equal: kept under the text it is written as.
                value_node = next(pair[1] for pair in node.value if pair[0] is key_node)
                at, value_at = key_node.start_mark, value_node.start_mark
                lines = [at.line, at.column, value_at.line, value_at.column]
                mapping._yaml_set_kv_line_col(text, lines)
                mapping[text] = value
                return False
            first = text
        where = key_line(mapping, first)
        raise DuplicateKeyError(
            "while constructing a mapping",
            node.start_mark,
            f"duplicate key {_key_shown(key if text is None else text)}"
            + (f" (first at line {where})" if where else ""),
            key_node.start_mark,
        )

    def construct_yaml_omap(self, node: Any) -> Iterator[Any]:
        try:
            yield from super().construct_yaml_omap(node)
        except AssertionError:  # ruamel's only check for a duplicate key in an ordered map
            raise ConstructorError(
                None, None, "duplicate key in an ordered map (!!omap)", node.start_mark
            ) from None

    def check_set_key(self, node: Any, key_node: Any, setting: Any, key: Any) -> None:
        if key in setting:
            raise DuplicateKeyError(
                "while constructing a set",
                node.start_mark,
                f"duplicate key {_key_shown(key)}",
                key_node.start_mark,
            )


class _Resolver(VersionedResolver):
    # Compose reads YAML 1.2 (go-yaml v3) whatever a `%YAML 1.1` directive says, so the text
    # is read as 1.2 too: `22:22` stays a port mapping, where 1.1 makes it the number 1342.
    # Ignoring the directive, rather than taking it out of the text, keeps every line exact.
    @property
    def processing_version(self) -> Any:
        return (1, 2)


def _key_shown(key: Any) -> str:
    shown = name_shown(key)
    return f'"{shown}"' if shown == str(key) else shown


for _tag in COMPOSE_TAGS:
    _Constructor.add_constructor(_tag, _construct_tagged)
_Constructor.add_constructor("tag:yaml.org,2002:int", _Constructor.construct_yaml_int)
_Constructor.add_constructor("tag:yaml.org,2002:omap", _Constructor.construct_yaml_omap)


def load_documents(text: str) -> list[Any]:
    """Every document of a (multi-document) YAML text; YamlProblem with a 1-based line if bad."""
    if long_line := _LONG_LINE.search(text):
        long_at = text.count("\n", 0, long_line.start()) + 1
        raise YamlProblem(f"a line over {MAX_LINE:,} characters; not read", long_at)
    fast = fast_documents(text)
    return fast if fast is not None else reference_documents(text)


def reference_documents(text: str) -> list[Any]:
    """ruamel's reading of the text: the reference the fast path is held to."""
    yaml = YAML(typ="rt")
    yaml.Constructor = _Constructor
    yaml.Resolver = _Resolver
    try:
        nodes = list(yaml.compose_all(text))
        for node in nodes:
            if (size := _expanded_size(node)) > MAX_NODES:
                raise YamlProblem(
                    f"aliases expand to over {MAX_NODES:,} nodes ({size:,}); not read",
                    node.start_mark.line + 1,
                )
        return [yaml.constructor.construct_document(node) for node in nodes]
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        what = " ".join(str(error.problem or error.context or "cannot be parsed").split())
        raise YamlProblem(f"malformed YAML: {what}", line) from None
    except ReaderError as error:
        line = text.count("\n", 0, error.position) + 1
        what = f"U+{error.character:04X}" if isinstance(error.character, int) else "a byte"
        raise YamlProblem(
            f"malformed YAML: a character YAML does not allow ({what})", line
        ) from None
    except YAMLError as error:
        first = (
            str(error).strip().split("\n", 1)[0]
        )  # one line: the rest says where, in ruamel's words
        raise YamlProblem(f"malformed YAML: {first}", None) from None
    except RecursionError:
        raise YamlProblem("nested too deeply to read", None) from None


def _expanded_size(root: Node) -> int:
    """How many nodes the document has with every alias expanded; each node visited once.

    A recursive alias (a node inside itself) expands without end: it counts as too many.
    """
    sizes: dict[int, int] = {}
    open_nodes: set[int] = set()
    # Post-order without recursion: a deeply nested file must not exhaust the stack.
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if children_done:
            total = 1 + sum(sizes[id(child)] for child in _children(node))
            sizes[id(node)] = min(total, MAX_NODES + 1)
            open_nodes.discard(id(node))
            continue
        if id(node) in sizes:
            continue
        if id(node) in open_nodes:
            return MAX_NODES + 1
        open_nodes.add(id(node))
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node) if id(child) not in sizes)
    return sizes[id(root)]


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def tag_of(value: Any) -> str | None:
    """`!override` or `!reset` for a value written with that tag, else None."""
    tag = getattr(value, "tag", None)
    name = getattr(tag, "value", None)
    return name if name in COMPOSE_TAGS else None


def item_line(sequence: Any, index: int) -> int | None:
    if isinstance(sequence, CommentedSeq):
        try:
            return int(sequence.lc.item(index)[0]) + 1
        except (KeyError, IndexError, TypeError):
            return None
    return None


def key_line(mapping: Any, key: str) -> int | None:
    if isinstance(mapping, CommentedMap):
        try:
            return int(mapping.lc.key(key)[0]) + 1
        except (KeyError, IndexError, TypeError):
            return None
    return None


def node_line(node: Any) -> int | None:
    if isinstance(node, CommentedMap | CommentedSeq):
        return int(node.lc.line) + 1
    return None
