"""Compose's variable interpolation: `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`,
`${VAR:+alt}`, `${VAR+alt}`, `${VAR:?message}`, `${VAR?message}` and `$$` for a literal `$`.

The rules are Compose's own (compose-spec, "Interpolation"), so they are implemented here
rather than borrowed from a shell or from python-dotenv, whose rules differ: a default may
itself hold `${...}`, and `$$` must survive as `$`. Only the values passed in are used, never
the process environment, so a scan gives the same answer on every machine.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_OPERATORS = (":-", ":?", ":+", "-", "?", "+")


class InterpolationError(ValueError):
    """A `${VAR?message}` whose variable is unset, or a `${` that is never closed."""


def interpolate(text: str, values: Mapping[str, str | None]) -> tuple[str, list[str]]:
    """The text with variables replaced, and the names that were unset with no default.

    An unset variable becomes the empty string, as Compose does (it warns, then goes on).
    """
    unset: list[str] = []
    result = _expand(text, values, unset)
    return result, unset


def _expand(text: str, values: Mapping[str, str | None], unset: list[str]) -> str:
    out: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char != "$":
            out.append(char)
            index += 1
            continue
        following = text[index + 1 : index + 2]
        if following == "$":
            out.append("$")
            index += 2
        elif following == "{":
            end = _closing_brace(text, index + 2)
            out.append(_braced(text[index + 2 : end], values, unset))
            index = end + 1
        elif match := _NAME.match(text, index + 1):
            out.append(_lookup(match[0], values, unset))
            index = match.end()
        else:
            out.append("$")  # a lone `$` (e.g. at the end) stays as written
            index += 1
    return "".join(out)


def _closing_brace(text: str, start: int) -> int:
    depth = 1
    index = start
    while index < len(text):
        if text.startswith("${", index):
            depth += 1
            index += 2
            continue
        if text[index] == "}":
            depth -= 1
            if depth == 0:
                return index
        index += 1
    raise InterpolationError(f"{text!r}: '${{' is never closed with '}}'")


def _braced(body: str, values: Mapping[str, str | None], unset: list[str]) -> str:
    match = _NAME.match(body)
    if not match:
        raise InterpolationError(f"'${{{body}}}' is not a variable name")
    name, rest = match[0], body[match.end() :]
    if not rest:
        return _lookup(name, values, unset)
    operator = next((op for op in _OPERATORS if rest.startswith(op)), None)
    if operator is None:
        raise InterpolationError(f"'${{{body}}}': unknown operator after {name}")
    argument = rest[len(operator) :]
    value = values.get(name)
    is_set = name in values and value is not None
    present = is_set and value != "" if operator.startswith(":") else is_set
    if operator in (":-", "-"):
        return (value or "") if present else _expand(argument, values, unset)
    if operator in (":+", "+"):
        return _expand(argument, values, unset) if present else ""
    if not present:  # ":?" and "?": Compose refuses to go on
        message = _expand(argument, values, unset) or f"{name} is required"
        raise InterpolationError(f"variable {name} is not set: {message}")
    return value or ""


def _lookup(name: str, values: Mapping[str, str | None], unset: list[str]) -> str:
    value = values.get(name)
    if value is None:
        unset.append(name)
        return ""
    return value
