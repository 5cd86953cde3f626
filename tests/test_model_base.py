"""The plan models' own reader against their pydantic twin, the reference.

`model_base` reads a valid plan without pydantic; pydantic is asked only about what that
reader does not accept. Both must agree: on random near-valid documents (every field drawn
from values of the right kind and from values of every kind TOML can give), the fast reader
accepts exactly what pydantic accepts, and builds the same plan.
"""

from __future__ import annotations

import copy
import datetime as dt
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from portplan import store
from portplan.model import Acceptance, Plan, PortRange, Project, Reserved, Service, Tier
from portplan.model_base import Model, is_validation_error
from portplan.model_pydantic import _from_twin, twin
from portplan.model_reader import Reject

REJECTED = "rejected"

# Values of every type a TOML document holds, with the awkward ones of each.
junk = st.one_of(
    st.sampled_from(["", " ", "x", "1", "1-2", "tcp", "a/b", "127.0.0.1", "\u00a0"]),
    st.integers(-2, 70_000),
    st.booleans(),
    st.floats(allow_nan=False),
    st.dates(),
    st.datetimes(),
    st.times(),
    st.lists(st.integers(0, 3), max_size=2),
    st.dictionaries(st.sampled_from(["name", "port", "x"]), st.integers(0, 3), max_size=2),
)
# Per field: values of the right kind (few names, some with "/", so that duplicate names
# and shared paths come up), then values of that kind a plan refuses.
RIGHT: dict[str, tuple[st.SearchStrategy[Any], st.SearchStrategy[Any]]] = {
    "name": (st.sampled_from(["a", "b", "c", "a/b", "b/a"]), st.sampled_from(["", " ", "\t"])),
    "port": (st.integers(1, 65_535), st.sampled_from([0, -1, 65_536])),
    "ports": (
        st.sampled_from(["1-100", "50", " 7 - 9 ", "0-65535"]),
        st.sampled_from(["100-1", "1-70000", "a-b", "1-2-3", "", "-5"]),
    ),
    "protocol": (st.sampled_from(["tcp", "udp"]), st.sampled_from(["TCP", "sctp"])),
    "bind": (
        st.sampled_from(["127.0.0.1", "::1", "0.0.0.0"]),
        st.sampled_from(["localhost", "1.2.3.400", ""]),
    ),
    "updated": (st.dates(), st.datetimes()),
    "platforms": (
        st.lists(st.sampled_from(["linux", "macos", "kubernetes-node"]), max_size=3),
        st.lists(st.sampled_from(["Linux", "bsd"]), min_size=1, max_size=2),
    ),
    "paths": (st.lists(st.sampled_from(["web", "", "a/b"]), max_size=2), st.just([1])),
    "rule": (
        st.sampled_from(["ephemeral-port", "PP110", "duplicate-port"]),
        st.sampled_from(["no-such-rule", ""]),
    ),
    "reason": (st.sampled_from(["why", "because"]), st.sampled_from([" ", ""])),
}


def field_values(key: str, nested: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[Any]:
    """Values for the field `key`: mostly right, now and then wrong in kind or in value."""

    @st.composite
    def value(draw: st.DrawFn) -> Any:
        roll = draw(st.integers(0, 29))
        if roll == 0:
            return draw(junk)
        if key in nested:
            return draw(nested[key])
        right, wrong = RIGHT.get(key, (st.text(max_size=3), junk))
        return draw(wrong if roll == 1 else right)

    return value()


def documents(model: type[Model], depth: int = 0) -> st.SearchStrategy[Any]:
    """A document for `model`: its keys, some left out, now and then one it does not know."""
    nested: dict[str, st.SearchStrategy[Any]] = {}
    if depth < 3:
        children = {"projects": Project, "tiers": Tier, "services": Service}
        for key, child in {**children, "reserved": Reserved, "accept": Acceptance}.items():
            if key in model.model_fields:
                nested[key] = st.lists(documents(child, depth + 1), max_size=3)

    @st.composite
    def build(draw: st.DrawFn) -> Any:
        document = {
            key: draw(field_values(key, nested))
            for key in model.model_fields
            if draw(st.integers(0, 29))  # one key in thirty left out
        }
        if draw(st.integers(0, 29)) == 0:
            document[draw(st.sampled_from(["nmae", "Port", "tiers", "x"]))] = draw(junk)
        return document

    return build()


def fast_verdict(model: type[Model], document: Any) -> Any:
    reader = model._fast or model._compile()
    try:
        return reader(copy.deepcopy(document))
    except Reject:
        return REJECTED


def pydantic_verdict(model: type[Model], document: Any) -> Any:
    try:
        return _from_twin(twin(model).model_validate(copy.deepcopy(document)))
    except ValidationError:
        return REJECTED


@pytest.mark.parametrize("model", [Plan, Project, Tier, Service, Reserved, Acceptance])
@given(data=st.data())
def test_the_fast_reader_accepts_and_builds_what_pydantic_does(
    model: type[Model], data: st.DataObject
) -> None:
    document = data.draw(documents(model))
    assert fast_verdict(model, document) == pydantic_verdict(model, document)


# Every field is given each of these in an otherwise valid document.
VALUES: list[Any] = [
    *["", " ", "x", "TCP", "tcp", "udp", "sctp", "1-2", " 7 - 9 ", "100-1", "1-70000", "50"],
    *["127.0.0.1", "::1", "localhost", "ephemeral-port", "PP110", "nope", "linux", "a/b"],
    *[0, 1, -1, 80, 65_535, 65_536, True, False, 1.5, float("inf"), None],
    *[dt.date(2025, 1, 2), dt.datetime(2025, 1, 2, 3, 4), dt.time(3, 4)],
    *[[], [1], ["linux"], ["Linux"], ["linux", "linux"], ["web"], {}, {"a": 1}],
    *[[{"rule": "PP110", "reason": "r"}], [{"rule": "PP110"}], [{"ports": "1-2"}], [{"x": 1}]],
]
VALID: dict[type[Model], dict[str, Any]] = {
    Plan: {},
    Project: {"name": "p", "ports": "1-100"},
    Tier: {"name": "t", "ports": "1-100"},
    Service: {"port": 1, "name": "s"},
    Reserved: {"ports": "1-2"},
    Acceptance: {"rule": "PP110", "reason": "r"},
}


@pytest.mark.parametrize("model", list(VALID))
def test_each_field_against_each_kind_of_value(model: type[Model]) -> None:
    assert fast_verdict(model, VALID[model]) != REJECTED
    for key in [*model.model_fields, "unknown"]:
        for value in VALUES:
            document = {**VALID[model], key: value}
            assert fast_verdict(model, document) == pydantic_verdict(model, document), document


@given(documents(Plan))
def test_model_validate_gives_pydantics_errors(document: Any) -> None:
    try:
        expected: Any = _from_twin(twin(Plan).model_validate(document))
    except ValidationError as error:
        expected = error.errors(include_url=False)
    try:
        got: Any = Plan.model_validate(document)
    except ValidationError as error:
        got = error.errors(include_url=False)
    assert got == expected


def test_a_valid_plan_is_read_by_the_fast_reader(reference_plan_path: Path) -> None:
    text = reference_plan_path.read_text(encoding="utf-8")
    data = store.parse_toml(text)
    fast = fast_verdict(Plan, data)
    assert fast != REJECTED
    assert fast == pydantic_verdict(Plan, data)
    assert store.loads(text) == fast


def test_keywords_are_checked_as_pydantic_checks_them() -> None:
    with pytest.raises(ValidationError, match="0 is not a port") as caught:
        Service(port=0, name="x")
    assert caught.value.title == "Service"
    with pytest.raises(ValidationError, match="share a name"):
        Tier(name="t", ports=PortRange(1, 9), services=[Service(port=1, name="x")] * 2)
    # A model given inside another is kept as it is, as pydantic keeps it.
    service = Service(port=1, name="x")
    assert Tier(name="t", ports=PortRange(1, 9), services=[service]).services[0] is service


def test_a_value_only_pydantic_accepts_is_still_accepted() -> None:
    class Name(str):
        pass

    # A str subclass is not what a plan file holds: the fast reader leaves it to pydantic.
    assert Service(port=1, name=Name("x")) == Service(port=1, name="x")


def test_defaults_are_fresh_copies() -> None:
    first, second = Tier(name="a", ports=PortRange(1, 2)), Tier(name="b", ports=PortRange(1, 2))
    first.services.append(Service(port=1, name="x"))
    assert second.services == []
    assert Tier.model_construct(name="c").services == []
    assert not hasattr(Tier, "services")  # defaults are not class attributes


def test_copies_equality_and_repr() -> None:
    tier = Tier(name="t", ports=PortRange(1, 9), services=[Service(port=1, name="x")])
    shallow, deep = tier.model_copy(), tier.model_copy(deep=True)
    assert shallow == tier == deep and shallow is not tier
    assert shallow.services is tier.services and deep.services is not tier.services
    assert copy.deepcopy(tier) == tier and copy.deepcopy(tier).services[0] is not tier.services[0]
    assert tier.model_copy(update={"name": "u"}).name == "u"
    assert tier != Project(name="t", ports=PortRange(1, 9))
    assert repr(Service(port=1, name="x")) == (
        "Service(port=1, name='x', description='', protocol='tcp', bind=None)"
    )
    with pytest.raises(TypeError):
        hash(tier)


def test_validation_errors_are_told_apart_without_importing_pydantic() -> None:
    with pytest.raises(ValidationError) as caught:
        Service(port=0, name="x")
    assert is_validation_error(caught.value)
    assert not is_validation_error(ValueError("x"))


READS_WITHOUT_PYDANTIC = """
import sys
from portplan.cli import main
code = main(sys.argv[1:])
print(code, sorted(name for name in sys.modules if name.startswith("pydantic")))
"""


@pytest.mark.parametrize("command", [["check"], []])
def test_a_valid_plan_is_checked_and_opened_without_importing_pydantic(
    command: list[str], reference_plan_path: Path
) -> None:
    # Without a terminal the planner stops (exit 2) after reading and checking the plan.
    done = subprocess.run(
        [sys.executable, "-c", READS_WITHOUT_PYDANTIC, *command, str(reference_plan_path)],
        capture_output=True,
        text=True,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    assert done.stdout.splitlines()[-1].endswith(" []"), done.stdout + done.stderr


def test_dates_are_dates_not_datetimes() -> None:
    # TOML's local date-time is a datetime, which is a date to isinstance: pydantic refuses
    # it for a date, and so does the fast reader.
    moment = dt.datetime(2025, 1, 2, 3, 4)
    assert fast_verdict(Plan, {"updated": moment}) == REJECTED
    assert pydantic_verdict(Plan, {"updated": moment}) == REJECTED
