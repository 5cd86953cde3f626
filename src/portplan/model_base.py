"""The base of the plan's models: declared like pydantic models, read without pydantic.

pydantic is the reference for what a plan may hold: every model here has a pydantic twin
(`model_pydantic`), built on first need from the same declarations, that words every error
and writes the JSON Schema. But importing pydantic and building its schemas costs about
0.2 s, a fifth of the planner's first screen, and reading a valid plan does not need it.
So a valid input is read by a plain-Python validator compiled from the declarations, and
pydantic is asked only about input that validator does not accept (to raise the error the
user sees, or, where this one is stricter than needed, to accept it after all).

The fast validator accepts only what the twin accepts, and gives what the twin gives:
`tests/test_model_base.py` holds the two together on random near-valid input. It is
conservative on purpose: any value of a type a plan file cannot hold (a `str` subclass, a
tuple for a list) goes to pydantic.

A field's type is one of: `str`, `int`, a class checked by `isinstance`, a `Literal` of
strings, `X | None`, `list[X]`, another model, or `Annotated[X, Check(...)]`, whose checks
raise `Invalid` (the twin turns it into pydantic's error of the same kind and message).
Model-level checks are methods marked `@after_validation`.
"""

from __future__ import annotations

import copy
import datetime as dt
import sys
import types
import typing
from collections.abc import Callable
from typing import Any, ClassVar, Literal, TypeVar, dataclass_transform

__all__ = [
    "REQUIRED",
    "Check",
    "Field",
    "Invalid",
    "Model",
    "after_validation",
    "is_validation_error",
]

M = TypeVar("M", bound="Model")
Fast = Callable[[Any], Any]


class Invalid(ValueError):
    """A value a plan cannot hold: pydantic's error kind, a message template with `{names}`
    filled from `context`, as `PydanticCustomError` takes them."""

    def __init__(self, kind: str, template: str, context: dict[str, Any] | None = None) -> None:
        super().__init__(template.format(**context) if context else template)
        self.kind = kind
        self.template = template
        self.context = context


class _Reject(Exception):
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


def after_validation(method: Callable[[M], None]) -> Callable[[M], None]:
    """Mark a model method that checks the whole model once its fields are valid; it raises
    `Invalid` on a bad model."""
    method.__after_validation__ = True  # type: ignore[attr-defined]
    return method


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


@dataclass_transform(kw_only_default=True)
class Model:
    """A plan element: keyword construction that validates, equality by fields, a pydantic-
    like API (`model_validate`, `model_construct`, `model_copy`, `model_fields`)."""

    model_fields: ClassVar[dict[str, Field]] = {}
    _checks: ClassVar[tuple[Callable[[Any], None], ...]] = ()
    _fast: ClassVar[Callable[[Any], Any] | None] = None

    __hash__ = None  # type: ignore[assignment]  # mutable: not hashable, like a pydantic model

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        declared: dict[str, Field] = {}
        for name in cls.__dict__.get("__annotations__", {}):
            if name.startswith("_") or name == "model_fields":
                continue
            default = cls.__dict__.get(name, REQUIRED)
            if name in cls.__dict__:
                # As in pydantic, a default lives in the field, not on the class, where a
                # list would be shared by every instance that forgot to set its own.
                delattr(cls, name)
            declared[name] = Field(name, default)
        cls.model_fields = {**cls.model_fields, **declared}
        cls._checks = tuple(
            value for value in cls.__dict__.values() if getattr(value, "__after_validation__", 0)
        )
        cls._fast = None

    def __init__(self, **data: Any) -> None:
        self.__dict__ = type(self)._validated(data).__dict__

    # --- reading ----------------------------------------------------------------------

    @classmethod
    def model_validate(cls: type[M], data: Any) -> M:
        """A valid instance from a dict (an instance is returned as it is); pydantic's
        ValidationError on invalid input."""
        if isinstance(data, cls):
            return data
        return cls._validated(data)

    @classmethod
    def model_validate_json(cls: type[M], text: str | bytes) -> M:
        """A valid instance from JSON text, read as pydantic reads JSON (a date as text)."""
        from portplan.model_pydantic import validate_json

        return validate_json(cls, text)

    @classmethod
    def _validated(cls: type[M], data: Any) -> M:
        fast = cls._fast or cls._compile()
        try:
            built: M = fast(data)
        except _Reject:
            from portplan.model_pydantic import validate

            return validate(cls, data)
        return built

    @classmethod
    def _compile(cls) -> Fast:
        hints = typing.get_type_hints(cls, include_extras=True)
        for field in cls.model_fields.values():
            field.annotation = hints[field.name]
        cls._fast = _model_reader(cls)
        return cls._fast

    @classmethod
    def resolved_fields(cls) -> dict[str, Field]:
        """`model_fields` with each field's type resolved (for the pydantic twin)."""
        if cls._fast is None:
            cls._compile()
        return cls.model_fields

    # --- making and copying -------------------------------------------------------------

    @classmethod
    def model_construct(cls: type[M], **values: Any) -> M:
        """An instance of trusted values, unchecked; missing fields take their defaults."""
        made = object.__new__(cls)
        made.__dict__ = {
            name: values[name] if name in values else field.make_default()
            for name, field in cls.model_fields.items()
        }
        return made

    def model_copy(self: M, *, update: dict[str, Any] | None = None, deep: bool = False) -> M:
        """A copy (deep or shallow) with `update` applied, unchecked, as pydantic's."""
        copied = object.__new__(type(self))
        values = copy.deepcopy(self.__dict__) if deep else dict(self.__dict__)
        if update:
            values.update(update)
        copied.__dict__ = values
        return copied

    def __copy__(self: M) -> M:
        return self.model_copy()

    def __deepcopy__(self: M, memo: dict[int, Any]) -> M:
        copied = object.__new__(type(self))
        memo[id(self)] = copied
        copied.__dict__ = copy.deepcopy(self.__dict__, memo)
        return copied

    # --- comparing and showing ----------------------------------------------------------

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Model):
            return NotImplemented
        return type(self) is type(other) and self.__dict__ == other.__dict__

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={value!r}" for name, value in self.__dict__.items())
        return f"{type(self).__name__}({fields})"

    @classmethod
    def model_json_schema(cls, **options: Any) -> dict[str, Any]:
        """The JSON Schema of this model, as pydantic writes it (options as pydantic's)."""
        from portplan.model_pydantic import twin

        schema: dict[str, Any] = twin(cls).model_json_schema(**options)
        return schema


def is_validation_error(error: BaseException) -> bool:
    """Whether `error` is pydantic's ValidationError (without importing pydantic to ask: no
    such error exists before a model has imported it)."""
    core = sys.modules.get("pydantic_core")
    return core is not None and isinstance(error, core.ValidationError)


# --- the fast validator ----------------------------------------------------------------


def _model_reader(cls: type[Model]) -> Fast:
    """The reader of one model, written out as Python and compiled, as `dataclass` writes
    `__init__`: a 61,440-service plan calls it 62,000 times, and a loop over the fields
    with a function per value took twice what pydantic takes."""
    names = frozenset(cls.model_fields)
    scope: dict[str, Any] = {
        "cls": cls,
        "new": object.__new__,
        "names": names,
        "Invalid": Invalid,
        "Reject": _Reject,
    }
    lines = [
        "def read(data):",
        "    if type(data) is not dict:",
        "        if type(data) is cls:",
        "            return data",  # pydantic keeps an instance as it is
        "        raise Reject",
        "    if not names.issuperset(data):",
        "        raise Reject",
        "    try:",
    ]
    values = []
    for number, (name, field) in enumerate(cls.model_fields.items()):
        value = f"v{number}"
        values.append(f"{name!r}: {value}")
        lines.append(f"        if {name!r} in data:")
        lines.extend(f"            {line}" for line in _read_into(value, name, field, scope))
        lines.append("        else:")
        if field.required:
            lines.append("            raise Reject")
        elif type(field.default) in (list, dict):
            lines.append(f"            {value} = {type(field.default).__name__}()")
        else:
            scope[f"d{number}"] = field.default
            lines.append(f"            {value} = d{number}")
    lines += [
        "        made = new(cls)",
        f"        made.__dict__ = {{{', '.join(values)}}}",
        *(f"        c{number}(made)" for number in range(len(cls._checks))),
        "    except Invalid:",
        "        raise Reject from None",
        "    return made",
    ]
    scope.update({f"c{number}": check for number, check in enumerate(cls._checks)})
    exec(compile("\n".join(lines), f"<reader of {cls.__name__}>", "exec"), scope)  # noqa: S102
    read: Fast = scope["read"]
    return read


def _read_into(value: str, name: str, field: Field, scope: dict[str, Any]) -> list[str]:
    """Lines that set `value` to the checked `data[name]`."""
    return [f"{value} = data[{name!r}]", *_check_lines(value, field.annotation, scope)]


def _check_lines(value: str, annotation: Any, scope: dict[str, Any]) -> list[str]:
    """Lines that check `value` as `annotation` (replacing it by what a check returns): the
    common kinds written inline, the rest through a reader function."""
    origin = typing.get_origin(annotation)
    if annotation in (str, int, dt.date):
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
        lines += _check_lines(value, inner, scope)
        for check in checks:
            if check.after:
                scope[key := f"a{len(scope)}"] = check.after
                lines.append(f"{value} = {key}({value})")
        return lines
    if origin in (types.UnionType, typing.Union):
        members = typing.get_args(annotation)
        if len(members) == 2 and type(None) in members:
            other = next(member for member in members if member is not type(None))
            inner_lines = _check_lines(value, other, scope)
            return [f"if {value} is not None:", *(f"    {line}" for line in inner_lines)]
    if origin is list:
        (item,) = typing.get_args(annotation)
        if isinstance(item, type) and issubclass(item, Model):
            scope[key := f"r{len(scope)}"] = item._fast or item._compile()
            return [
                f"if type({value}) is not list:",
                "    raise Reject",
                f"{value} = [{key}(entry) for entry in {value}]",
            ]
    if origin is Literal and all(type(option) is str for option in typing.get_args(annotation)):
        scope[key := f"l{len(scope)}"] = frozenset(typing.get_args(annotation))
        return [f"if type({value}) is not str or {value} not in {key}:", "    raise Reject"]
    scope[key := f"r{len(scope)}"] = _reader(annotation)
    return [f"{value} = {key}({value})"]


def _reader(annotation: Any) -> Fast:  # noqa: C901, PLR0911  # one branch per kind of type
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        inner, *metadata = typing.get_args(annotation)
        return _annotated(_reader(inner), [m for m in metadata if isinstance(m, Check)])
    if isinstance(annotation, type) and issubclass(annotation, Model):
        return _nested(annotation)
    if origin is list:
        (item,) = typing.get_args(annotation)
        return _list_of(_reader(item))
    if origin in (types.UnionType, typing.Union):
        members = typing.get_args(annotation)
        if len(members) == 2 and type(None) in members:
            other = next(member for member in members if member is not type(None))
            return _optional(_reader(other))
    if origin is Literal:
        allowed = frozenset(typing.get_args(annotation))
        if all(type(value) is str for value in allowed):
            return _literal(allowed)
    if annotation in (str, int, dt.date):
        return _exactly(annotation)
    if isinstance(annotation, type) and origin is None:
        return _instance_of(annotation)
    raise TypeError(f"a model field of type {annotation!r} has no fast reader")


def _exactly(kind: type) -> Fast:
    # Exactly the type: `bool` is not an `int` to a plan, nor `datetime` a `date`.
    def read(value: Any) -> Any:
        if type(value) is not kind:
            raise _Reject
        return value

    return read


def _instance_of(kind: type) -> Fast:
    def read(value: Any) -> Any:
        if not isinstance(value, kind):
            raise _Reject
        return value

    return read


def _literal(allowed: frozenset[str]) -> Fast:
    def read(value: Any) -> Any:
        if type(value) is not str or value not in allowed:
            raise _Reject
        return value

    return read


def _optional(inner: Fast) -> Fast:
    def read(value: Any) -> Any:
        return None if value is None else inner(value)

    return read


def _list_of(item: Fast) -> Fast:
    def read(value: Any) -> Any:
        if type(value) is not list:
            raise _Reject
        return [item(entry) for entry in value]

    return read


def _nested(model: type[Model]) -> Fast:
    # Compiled on first use: a model may name one declared after it.
    def read(value: Any) -> Any:
        return (model._fast or model._compile())(value)

    return read


def _annotated(inner: Fast, checks: list[Check]) -> Fast:
    befores = [check.before for check in checks if check.before]
    afters = [check.after for check in checks if check.after]

    def read(value: Any) -> Any:
        try:
            for before in reversed(befores):  # pydantic runs the last-listed one first
                value = before(value)
            value = inner(value)
            for after in afters:
                value = after(value)
        except Invalid:
            raise _Reject from None
        return value

    return read
