"""YAML through ruamel.yaml's round-trip loader: YAML 1.2 (an unquoted `22:22` stays the
string "22:22", where a YAML 1.1 reader makes it the base-60 number 1342) with line numbers.
"""

from __future__ import annotations

from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError


class YamlProblem(ValueError):
    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.line = line


def load_documents(text: str) -> list[Any]:
    """Every document of a (multi-document) YAML text; YamlProblem with a 1-based line if bad."""
    try:
        return list(YAML(typ="rt").load_all(text))
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        what = error.problem or error.context or "cannot be parsed"
        raise YamlProblem(f"malformed YAML: {what}", line) from None
    except YAMLError as error:
        raise YamlProblem(f"malformed YAML: {error}", None) from None


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
