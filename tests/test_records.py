"""`portplan.records.record` behaves as `dataclass(frozen=True, slots=True)` does.

Each record is compared with a dataclass twin of the same fields on random values: the
constructor (positional, by keyword, defaults), equality, hashing, order, `repr`, freezing,
slots, pattern matching, and copying.
"""

from __future__ import annotations

import copy
import dataclasses
import pickle
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portplan.fields import PortRange
from portplan.records import record


@record(order=True)
class Pair:
    start: int
    end: int


@dataclasses.dataclass(frozen=True, slots=True, order=True)
class PairTwin:
    start: int
    end: int


@record
class Note:
    text: str
    ports: tuple[int, ...] = ()
    where: str | None = None

    @property
    def loud(self) -> str:
        return self.text.upper()


@dataclasses.dataclass(frozen=True, slots=True)
class NoteTwin:
    text: str
    ports: tuple[int, ...] = ()
    where: str | None = None


@record
class One:
    name: str


@dataclasses.dataclass(frozen=True, slots=True)
class OneTwin:
    name: str


texts = st.text(max_size=6)
notes = st.tuples(texts, st.lists(st.integers(0, 9), max_size=3).map(tuple), st.none() | texts)


def strip_name(text: str, twin: type[Any], ours: type[Any]) -> str:
    return text.replace(twin.__qualname__, ours.__qualname__)


pairs = st.tuples(st.integers(-3, 3), st.integers(-3, 3))


@given(pairs, pairs)
def test_order_equality_and_hash_match_a_dataclass(a: tuple[int, int], b: tuple[int, int]) -> None:
    ours, theirs = (Pair(*a), Pair(*b)), (PairTwin(*a), PairTwin(*b))
    for compare in ("__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__"):
        assert getattr(ours[0], compare)(ours[1]) == getattr(theirs[0], compare)(theirs[1])
    assert hash(ours[0]) == hash(theirs[0])
    assert sorted([ours[1], ours[0]]) == sorted([ours[0], ours[1]])
    assert repr(ours[0]) == strip_name(repr(theirs[0]), PairTwin, Pair)


@given(notes, notes, st.sampled_from(["positional", "keywords", "defaults"]))
def test_construction_equality_and_repr_match_a_dataclass(
    a: tuple[Any, ...], b: tuple[Any, ...], how: str
) -> None:
    def build(cls: Any, values: tuple[Any, ...]) -> Any:
        if how == "positional":
            return cls(*values)
        if how == "keywords":
            return cls(where=values[2], text=values[0], ports=values[1])
        return cls(values[0])

    ours, theirs = build(Note, a), build(NoteTwin, a)
    other, other_twin = build(Note, b), build(NoteTwin, b)
    assert (ours.text, ours.ports, ours.where) == (theirs.text, theirs.ports, theirs.where)
    assert (ours == other) == (theirs == other_twin)
    assert (ours != other) == (theirs != other_twin)
    assert hash(ours) == hash(theirs)
    assert repr(ours) == strip_name(repr(theirs), NoteTwin, Note)
    assert ours.loud == ours.text.upper()


def test_a_record_equals_only_its_own_class() -> None:
    assert Note("a") != NoteTwin("a")
    assert Note("a") != ("a", (), None)
    assert One("x") == One("x") and hash(One("x")) == hash(OneTwin("x"))
    with pytest.raises(TypeError):
        _ = Pair(1, 2) < PairTwin(1, 2)  # type: ignore[operator]


def test_a_record_is_frozen_and_slotted() -> None:
    note = Note("a")
    with pytest.raises(dataclasses.FrozenInstanceError):
        note.text = "b"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del note.text  # type: ignore[misc]
    assert not hasattr(note, "__dict__")
    assert Note.__slots__ == NoteTwin.__slots__ == ("text", "ports", "where")
    assert Note.__match_args__ == NoteTwin.__match_args__


def test_arguments_are_checked_as_a_dataclass_checks_them() -> None:
    for cls in (Note, NoteTwin):
        with pytest.raises(TypeError):
            cls()
        with pytest.raises(TypeError):
            cls("a", (), None, "extra")  # type: ignore[call-arg]
        with pytest.raises(TypeError):
            cls("a", text="b")  # type: ignore[misc]


def test_a_default_may_not_come_before_a_field_without_one() -> None:
    with pytest.raises(TypeError, match="follows a default"):

        @record
        class Bad:
            a: int = 0
            b: int


def test_pattern_matching_reads_the_fields_in_order() -> None:
    match Pair(3, 4):
        case Pair(start, end):
            assert (start, end) == (3, 4)
        case _:
            pytest.fail("no match")


@given(notes)
def test_copies_and_pickles_are_equal_and_still_frozen(values: tuple[Any, ...]) -> None:
    note = Note(*values)
    for twin in (copy.copy(note), copy.deepcopy(note), pickle.loads(pickle.dumps(note))):
        assert twin == note and type(twin) is Note
        with pytest.raises(dataclasses.FrozenInstanceError):
            twin.text = "b"  # type: ignore[misc]
    assert copy.deepcopy(PortRange(1, 5)) == PortRange(1, 5)
