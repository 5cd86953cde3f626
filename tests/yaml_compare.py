"""Are two readings of a YAML text the same, to every reader of a scan? Values with their exact
types, key order, and the lines and columns ruamel records (what `item_line`, `key_line`,
`node_line` and `apply`'s spans read), flow style and Compose tags included."""

from __future__ import annotations

from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from portplan.scan import yamltext


def differences(fast: Any, reference: Any, where: str = "$") -> list[str]:
    """Every place where the two readings differ (empty when they are the same)."""
    if type(fast) is not type(reference):
        return [f"{where}: {type(fast).__name__} != {type(reference).__name__}"]
    found: list[str] = []
    if isinstance(reference, CommentedMap | CommentedSeq):
        for attribute in ("line", "col", "data"):
            ours, theirs = getattr(fast.lc, attribute), getattr(reference.lc, attribute)
            if ours != theirs:
                found.append(f"{where}: lc.{attribute} {ours!r} != {theirs!r}")
        if fast.fa.flow_style() != reference.fa.flow_style():
            found.append(f"{where}: flow style differs")
        if yamltext.tag_of(fast) != yamltext.tag_of(reference):
            found.append(f"{where}: tag differs")
    if isinstance(reference, CommentedMap) and set(fast._ok) != set(reference._ok):
        found.append(f"{where}: own keys (what merges leave out) differ")
    if isinstance(reference, dict):
        if list(fast) != list(reference):
            return [*found, f"{where}: keys {list(fast)!r} != {list(reference)!r}"]
        for key in reference:
            found += differences(fast[key], reference[key], f"{where}.{key!r}")
    elif isinstance(reference, list):
        if len(fast) != len(reference):
            return [*found, f"{where}: {len(fast)} items != {len(reference)}"]
        for index, (ours, theirs) in enumerate(zip(fast, reference, strict=True)):
            found += differences(ours, theirs, f"{where}[{index}]")
    elif fast != reference:
        found.append(f"{where}: {fast!r} != {reference!r}")
    return found


def reference_reading(text: str) -> list[Any] | str:
    """ruamel's documents, or the sentence it refuses the text with."""
    try:
        return yamltext.reference_documents(text)
    except yamltext.YamlProblem as problem:
        return f"refused: {problem} (line {problem.line})"


def check_fast_path(text: str) -> list[Any] | None:
    """The fast path's reading, after proving it is the reference's (or None, its refusal)."""
    from portplan.scan import yamlfast

    fast = yamlfast.load_documents(text)
    if fast is None:
        return None
    reference = reference_reading(text)
    assert not isinstance(reference, str), f"fast path read a text ruamel {reference}: {text!r}"
    problems = differences(fast, reference)
    assert not problems, f"fast path differs on {text!r}: {problems}"
    return fast
