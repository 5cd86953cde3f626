"""The fast reader of a plan model: its declarations compiled into one Python function.

A model (`model_base.Model`) declares typed fields; this module turns them into a function
that checks a document (a dict, as TOML gives it) and builds the instance, or raises `Reject`
for pydantic to decide. It is written out as source and compiled, as `dataclass` writes
`__init__`: a 61,440-service plan calls it 62,000 times, and a loop over the fields with a
function per value took twice what pydantic takes.

A field's type is one of: `str`, `int`, `datetime.date` (each exactly that type), a class
checked by `isinstance`, a `Literal` of strings, `X | None`, `list[X]`, another model, or
`Annotated[X, Check(...)]`, whose checks raise `Invalid`.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from collections.abc import Callable
from typing import Any, Literal

__all__ = ["REQUIRED", "Check", "Field", "Invalid", "Reject", "compile_reader"]

Fast = Callable[[Any], Any]
# The reader of a nested model's type, or None for a type that is not a model.
ModelReaders = Callable[[Any], Fast | None]


class Invalid(ValueError):
    """A value a plan cannot hold: pydantic's error kind, a message template with `{names}`
    filled from `context`, as `PydanticCustomError` takes them."""

    def __init__(self, kind: str, template: str, context: dict[str, Any] | None = None) -> None:
        super().__init__(template.format(**context) if context else template)
        self.kind = kind
        self.template = template
        self.context = context


class Reject(Exception):
    """The fast validator does not accept the input; pydantic decides."""


class Check:
    """Checks of one field's value, for `Annotated[type, Check(...)]`.

    `before` sees the raw input and returns the value the type then checks; `after` sees the
    checked value. `json_schema` replaces the type's schema in `portplan schema`.
    """

    __slots__ = ("after", "before", "json_schema")

    def __init__(
        self,
        *,
        before: Callable[[Any], Any] | None = None,
        after: Callable[[Any], Any] | None = None,
        json_schema: dict[str, Any] | None = None,
    ) -> None:
        self.before = before
        self.after = after
        self.json_schema = json_schema


class _Required:
    def __repr__(self) -> str:
        return "REQUIRED"


REQUIRED: Any = _Required()


class Field:
    """One declared field: its name, its default (REQUIRED when it has none) and, once
    resolved, its type."""

    __slots__ = ("annotation", "default", "name")

    def __init__(self, name: str, default: Any) -> None:
        self.name = name
        self.default = default
        self.annotation: Any = None

    @property
    def required(self) -> bool:
        return self.default is REQUIRED

    def make_default(self) -> Any:
        # A fresh copy of a mutable default for each instance, as pydantic gives.
        default = self.default
        return default.copy() if type(default) in (list, dict) else default


def compile_reader(
    cls: type,
    fields: dict[str, Field],
    checks: tuple[Callable[[Any], None], ...],
    readers: ModelReaders,
) -> Fast:
    """The reader of the model `cls`: a dict of its fields' values (or an instance, kept as
    it is, as pydantic keeps it) to a checked instance; `checks` run on the instance."""
    scope: dict[str, Any] = {
        "cls": cls,
        "new": object.__new__,
        "names": frozenset(fields),
        "Invalid": Invalid,
        "Reject": Reject,
    }
    lines = [
        "def read(data):",
        "    if type(data) is not dict:",
        "        if type(data) is cls:",
        "            return data",
        "        raise Reject",
        "    if not names.issuperset(data):",
        "        raise Reject",
        "    try:",
    ]
    values = []
    for number, (name, field) in enumerate(fields.items()):
        value = f"v{number}"
        values.append(f"{name!r}: {value}")
        lines.append(f"        if {name!r} in data:")
        lines.append(f"            {value} = data[{name!r}]")
        check = _check_lines(value, field.annotation, scope, readers)
        lines.extend(f"            {line}" for line in check)
        lines.append("        else:")
        if field.required:
            lines.append("            raise Reject")
        elif type(field.default) in (list, dict):
            lines.append(f"            {value} = {type(field.default).__name__}()")
        else:
            scope[f"d{number}"] = field.default
            lines.append(f"            {value} = d{number}")
    scope.update({f"c{number}": check for number, check in enumerate(checks)})
    lines += [
        "        made = new(cls)",
        f"        made.__dict__ = {{{', '.join(values)}}}",
        *(f"        c{number}(made)" for number in range(len(checks))),
        "    except Invalid:",
        "        raise Reject from None",
        "    return made",
    ]
    return _compiled(lines, scope, f"<reader of {cls.__name__}>")


def _item_reader(annotation: Any, readers: ModelReaders) -> Fast:
    """A function that checks one value as `annotation` and returns it (or what its checks
    made of it), for the items of a list."""
    if (nested := readers(annotation)) is not None:
        return nested
    scope: dict[str, Any] = {"Invalid": Invalid, "Reject": Reject}
    body = _check_lines("value", annotation, scope, readers)
    lines = [
        "def read(value):",
        "    try:",
        *(f"        {line}" for line in body),
        "    except Invalid:",
        "        raise Reject from None",
        "    return value",
    ]
    return _compiled(lines, scope, f"<reader of {annotation!r}>")


def _compiled(lines: list[str], scope: dict[str, Any], name: str) -> Fast:
    exec(compile("\n".join(lines), name, "exec"), scope)  # noqa: S102
    read: Fast = scope["read"]
    return read


def _check_lines(
    value: str, annotation: Any, scope: dict[str, Any], readers: ModelReaders
) -> list[str]:
    """Lines that check the variable `value` as `annotation`, replacing it by what a check
    returns, and raise Reject (or Invalid) when it is not one."""
    origin = typing.get_origin(annotation)
    if annotation in (str, int, dt.date):
        # Exactly the type: `bool` is not an `int` to a plan, nor `datetime` a `date`.
        scope[annotation.__name__] = annotation
        return [f"if type({value}) is not {annotation.__name__}:", "    raise Reject"]
    if origin is typing.Annotated:
        inner, *metadata = typing.get_args(annotation)
        checks = [item for item in metadata if isinstance(item, Check)]
        lines = []
        for check in reversed(checks):  # pydantic runs the last-listed `before` first
            if check.before:
                scope[key := f"b{len(scope)}"] = check.before
                lines.append(f"{value} = {key}({value})")
        lines += _check_lines(value, inner, scope, readers)
        for check in checks:
            if check.after:
                scope[key := f"a{len(scope)}"] = check.after
                lines.append(f"{value} = {key}({value})")
        return lines
    if origin in (types.UnionType, typing.Union):
        members = typing.get_args(annotation)
        if len(members) == 2 and type(None) in members:
            other = next(member for member in members if member is not type(None))
            inner_lines = _check_lines(value, other, scope, readers)
            return [f"if {value} is not None:", *(f"    {line}" for line in inner_lines)]
    if origin is list:
        scope[key := f"r{len(scope)}"] = _item_reader(typing.get_args(annotation)[0], readers)
        return [
            f"if type({value}) is not list:",
            "    raise Reject",
            f"{value} = [{key}(entry) for entry in {value}]",
        ]
    if origin is Literal and all(type(option) is str for option in typing.get_args(annotation)):
        scope[key := f"l{len(scope)}"] = frozenset(typing.get_args(annotation))
        return [f"if type({value}) is not str or {value} not in {key}:", "    raise Reject"]
    if (nested := readers(annotation)) is not None:
        scope[key := f"r{len(scope)}"] = nested
        return [f"{value} = {key}({value})"]
    if isinstance(annotation, type) and origin is None:
        scope[key := f"k{len(scope)}"] = annotation
        return [f"if not isinstance({value}, {key}):", "    raise Reject"]
    raise TypeError(f"a model field of type {annotation!r} has no fast reader")
