"""Frozen value records that are cheap to define: `dataclass(frozen=True, slots=True)`, faster.

`portplan check` spends most of its time starting up, and a frozen, slotted dataclass is
costly to define: `dataclass` writes each generated method as source and compiles it with
its own `exec` (seven for a frozen class, eleven with `order=True`), then builds the class a
second time to give it `__slots__`. That is about 3.6 million instructions per class, over
half a per cent of a whole `portplan check data/ports.toml` each, and the check path defines
about twenty. `record` makes the same class in one pass: the slotted class is built once,
`__init__` is the only method compiled (so creating an instance costs what it does with a
dataclass), and equality, hashing, order, `repr`, freezing and copying are shared functions
that read the fields in order. `tests/test_records.py` holds each behaviour to `dataclass`'s.

What it leaves out, on purpose: `dataclasses.fields`/`replace`/`asdict` (nothing here uses
them on these classes; a record is not a dataclass to them), `field(...)` specifiers,
`__post_init__`, inheritance between records.
"""

from __future__ import annotations

import reprlib
from collections.abc import Callable
from dataclasses import FrozenInstanceError
from operator import attrgetter
from typing import Any, TypeVar, dataclass_transform

T = TypeVar("T")

_setattr = object.__setattr__


def _methods(names: tuple[str, ...], order: bool) -> dict[str, Any]:
    """The shared methods, as closures over one C-level getter of the fields in order."""
    values: Callable[[Any], tuple[Any, ...]]
    if len(names) > 1:
        values = attrgetter(*names)
    elif names:
        one = attrgetter(names[0])

        def values(self: Any) -> tuple[Any, ...]:
            return (one(self),)
    else:

        def values(self: Any) -> tuple[Any, ...]:
            return ()

    def __eq__(self: Any, other: Any) -> Any:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return values(self) == values(other)

    def __hash__(self: Any) -> int:
        return hash(values(self))

    @reprlib.recursive_repr()
    def __repr__(self: Any) -> str:
        fields = ", ".join(
            f"{name}={value!r}" for name, value in zip(names, values(self), strict=True)
        )
        return f"{self.__class__.__qualname__}({fields})"

    def __reduce__(self: Any) -> tuple[Any, tuple[Any, ...]]:
        # copy, deepcopy and pickle rebuild through __init__, which a frozen class allows.
        return self.__class__, values(self)

    methods: dict[str, Any] = {
        "__eq__": __eq__,
        "__hash__": __hash__,
        "__repr__": __repr__,
        "__reduce__": __reduce__,
        "__setattr__": _frozen_setattr,
        "__delattr__": _frozen_delattr,
    }
    if order:
        for name in ("__lt__", "__le__", "__gt__", "__ge__"):
            methods[name] = _compare(values, name)
    return methods


def _compare(values: Any, name: str) -> Any:
    def method(self: Any, other: Any) -> Any:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return getattr(values(self), name)(values(other))

    method.__name__ = name
    return method


def _frozen_setattr(self: Any, name: str, value: Any) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _frozen_delattr(self: Any, name: str) -> None:
    raise FrozenInstanceError(f"cannot delete field {name!r}")


def _compile_init(cls_name: str, names: list[str], defaults: dict[str, Any]) -> Any:
    params = ", ".join(f"{name}=__d_{name}" if name in defaults else name for name in names)
    body = "".join(f"    __s(self, {name!r}, {name})\n" for name in names) or "    pass\n"
    source = f"def __init__(self, {params}):\n{body}" if names else f"def __init__(self):\n{body}"
    namespace: dict[str, Any] = {"__s": _setattr}
    namespace.update({f"__d_{name}": value for name, value in defaults.items()})
    exec(compile(source, f"<record {cls_name}>", "exec"), namespace)  # noqa: S102
    return namespace["__init__"]


@dataclass_transform(frozen_default=True)
def record(cls: type[T] | None = None, /, *, order: bool = False) -> Any:
    """`@record` or `@record(order=True)`: like `@dataclass(frozen=True, slots=True)`."""

    def build(cls: type[T]) -> type[T]:
        names = list(cls.__dict__.get("__annotations__", {}))
        namespace = {
            key: value
            for key, value in cls.__dict__.items()
            if key not in names and key not in ("__dict__", "__weakref__")
        }
        defaults = {name: cls.__dict__[name] for name in names if name in cls.__dict__}
        seen_default = False
        for name in names:
            if name in defaults:
                seen_default = True
            elif seen_default:
                raise TypeError(f"non-default field {name!r} follows a default in {cls.__name__}")
        namespace.update(
            _methods(tuple(names), order),
            __slots__=tuple(names),
            __match_args__=tuple(names),
            __init__=_compile_init(cls.__name__, names, defaults),
        )
        metaclass: type[Any] = type(cls)
        built: type[T] = metaclass(cls.__name__, cls.__bases__, namespace)
        built.__init__.__qualname__ = f"{built.__qualname__}.__init__"
        return built

    return build if cls is None else build(cls)
