"""The pydantic twin of each plan model: the reference that words every error and writes
the JSON Schema (see `model_base` for why the models themselves are not pydantic's).

A twin is built on first need from its model's declarations: the same fields, types,
defaults and checks, in pydantic's terms. Imported only when pydantic is needed: an input
the fast validator did not accept, or `portplan schema`.
"""

from __future__ import annotations

import functools
import types
import typing
from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    WithJsonSchema,
    create_model,
    model_validator,
)
from pydantic_core import PydanticCustomError

from portplan.model_base import Check, Invalid, Model

__all__ = ["twin", "validate", "validate_json"]

# Strict: a quoted port or a bare number for a name is a typo in a hand-edited file.
_CONFIG = ConfigDict(extra="forbid", strict=True, validate_default=False)


M = TypeVar("M", bound=Model)


def validate(model: type[M], data: Any) -> M:
    """`data` as an instance of `model`, by pydantic; its ValidationError when invalid."""
    checked = twin(model).model_validate(_twin_input(data))
    made: M = _from_twin(checked)
    return made


def validate_json(model: type[M], text: str | bytes) -> M:
    """JSON text as an instance of `model`, by pydantic; its ValidationError when invalid."""
    made: M = _from_twin(twin(model).model_validate_json(text))
    return made


def twin(model: type[Model]) -> type[BaseModel]:
    """The pydantic model that validates what `model` declares (built once)."""
    if (built := _TWINS.get(model)) is not None:
        return built
    fields: dict[str, Any] = {
        name: (_pydantic_type(field.annotation), ... if field.required else field.default)
        for name, field in model.resolved_fields().items()
    }
    validators: dict[str, Any] = {
        check.__name__: model_validator(mode="after")(_model_check(check))
        for check in model._checks
    }
    built = create_model(
        model.__name__,
        __config__=_CONFIG,
        __doc__=model.__doc__,
        __module__=model.__module__,
        __validators__=validators,
        **fields,
    )
    _TWINS[model], _MODELS[built] = built, model
    return built


_TWINS: dict[type[Model], type[BaseModel]] = {}
_MODELS: dict[type[BaseModel], type[Model]] = {}


def _pydantic_type(annotation: Any) -> Any:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        inner, *metadata = typing.get_args(annotation)
        markers = [marker for item in metadata for marker in _pydantic_markers(item)]
        return typing.Annotated[_pydantic_type(inner), *markers]
    if isinstance(annotation, type) and issubclass(annotation, Model):
        return twin(annotation)
    if origin is list:
        return list[_pydantic_type(typing.get_args(annotation)[0])]  # type: ignore[misc]
    if origin in (types.UnionType, typing.Union):
        return functools.reduce(
            lambda a, b: a | b, (_pydantic_type(member) for member in typing.get_args(annotation))
        )
    return annotation


def _pydantic_markers(item: Any) -> list[Any]:
    if not isinstance(item, Check):
        return [item]
    markers: list[Any] = []
    if item.before:
        markers.append(BeforeValidator(_worded(item.before)))
    if item.after:
        markers.append(AfterValidator(_worded(item.after)))
    if item.json_schema is not None:
        markers.append(WithJsonSchema(item.json_schema))
    return markers


def _worded(check: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def run(value: Any) -> Any:
        try:
            return check(value)
        except Invalid as error:
            raise PydanticCustomError(error.kind, error.template, error.context) from None

    run.__name__ = check.__name__
    return run


def _model_check(check: Callable[[Any], None]) -> Callable[[Any], Any]:
    def run(self: Any) -> Any:
        try:
            check(self)
        except Invalid as error:
            raise PydanticCustomError(error.kind, error.template, error.context) from None
        return self

    run.__name__ = check.__name__
    return run


def _twin_input(value: Any) -> Any:
    """What pydantic is given: a model instance inside the input becomes its twin's (an
    instance is taken as it is, unchecked, by both validators)."""
    if isinstance(value, Model):
        values = {name: _twin_input(item) for name, item in value.__dict__.items()}
        return twin(type(value)).model_construct(**values)
    if type(value) is dict:
        return {key: _twin_input(item) for key, item in value.items()}
    if type(value) is list:
        return [_twin_input(item) for item in value]
    return value


def _from_twin(value: Any) -> Any:
    if isinstance(value, BaseModel):
        model = _MODELS[type(value)]
        values = {name: _from_twin(getattr(value, name)) for name in model.model_fields}
        return model.model_construct(**values)
    if type(value) is list:
        return [_from_twin(item) for item in value]
    return value
