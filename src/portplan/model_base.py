"""The base of the plan's models: declared like pydantic models, read without pydantic.

pydantic is the reference for what a plan may hold: every model here has a pydantic twin
(`model_pydantic`), built on first need from the same declarations, that words every error
and writes the JSON Schema. But importing pydantic and building its schemas costs about
0.2 s, a fifth of the planner's first screen, and reading a valid plan does not need it.
So a valid input is read by a plain-Python validator compiled from the declarations
(`model_reader`), and pydantic is asked only about input that validator does not accept
(to raise the error the user sees, or, where this one is stricter than needed, to accept
it after all).

The fast validator accepts only what the twin accepts, and gives what the twin gives:
`tests/test_model_base.py` holds the two together on random near-valid input. It is
conservative on purpose: any value of a type a plan file cannot hold (a `str` subclass, a
tuple for a list) goes to pydantic.

A field's type is one `model_reader` knows; a `Check`'s functions raise `Invalid` (the twin
turns it into pydantic's error of the same kind and message). Model-level checks are methods
marked `@after_validation`.
"""

from __future__ import annotations

import copy
import sys
import typing
from collections.abc import Callable
from typing import Any, ClassVar, TypeVar, dataclass_transform

from portplan.model_reader import REQUIRED, Check, Field, Invalid, Reject, compile_reader

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


def after_validation(method: Callable[[M], None]) -> Callable[[M], None]:
    """Mark a model method that checks the whole model once its fields are valid; it raises
    `Invalid` on a bad model."""
    method.__after_validation__ = True  # type: ignore[attr-defined]
    return method


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
        except Reject:
            from portplan.model_pydantic import validate

            return validate(cls, data)
        return built

    @classmethod
    def _compile(cls) -> Fast:
        hints = typing.get_type_hints(cls, include_extras=True)
        for field in cls.model_fields.values():
            field.annotation = hints[field.name]
        cls._fast = compile_reader(cls, cls.model_fields, cls._checks, _reader_of_model)
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


def _reader_of_model(annotation: Any) -> Fast | None:
    if isinstance(annotation, type) and issubclass(annotation, Model):
        return annotation._fast or annotation._compile()
    return None
