"""The plan reader (`portplan.tomlread`) reads TOML exactly as `tomllib` does.

It uses a faster parser where one is installed, so these tests hold it to the stdlib's
reading: on every TOML 1.0 case of the toml-test conformance suite (vendored in
`tests/data/toml-test`, MIT) it accepts and rejects the same texts as `tomllib`, gives equal
values of the same types, and raises `tomllib`'s own error, message and position included; and
so on documents written from random values and on the reference plan.
"""

from __future__ import annotations

import datetime as dt
import math
import tomllib
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import given
from hypothesis import strategies as st

from portplan import store, tomlread

CORPUS = Path(__file__).parent / "data" / "toml-test"
CASES = (CORPUS / "files-toml-1.0.0").read_text(encoding="utf-8").split()
TOML_CASES = [case for case in CASES if case.endswith(".toml")]
ROOT = Path(__file__).resolve().parents[1]


def canonical(value: Any) -> Any:
    """A value with its exact type kept: `1 == 1.0 == True` and `nan != nan` hide differences."""
    if isinstance(value, dict):
        return {key: canonical(item) for key, item in value.items()}
    if isinstance(value, list):
        return [canonical(item) for item in value]
    if isinstance(value, float):
        return ("float", "nan" if math.isnan(value) else value, math.copysign(1.0, value))
    if isinstance(value, dt.datetime | dt.time):
        offset = value.utcoffset()
        return (type(value).__name__, value.replace(tzinfo=None).isoformat(), offset)
    return (type(value).__name__, value)


def read_both(text: str) -> tuple[Any, Any]:
    outcomes = []
    for reader in (tomllib.loads, tomlread.loads):
        try:
            outcomes.append(canonical(reader(text)))
        except tomllib.TOMLDecodeError as error:
            outcomes.append(("rejected", str(error)))
    return outcomes[0], outcomes[1]


def test_the_corpus_is_all_there() -> None:
    assert len(TOML_CASES) == 709
    assert sum(case.startswith("valid/") for case in TOML_CASES) == 210
    assert all((CORPUS / case).is_file() for case in CASES)


@pytest.mark.parametrize("case", TOML_CASES)
def test_conformance_case_reads_as_tomllib_reads_it(case: str) -> None:
    raw = (CORPUS / case).read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        # Never reaches a TOML reader: plans are decoded first, and this is refused there.
        assert case.startswith("invalid/")
        with pytest.raises(store.PlanError, match="not UTF-8"):
            store.load(CORPUS / case)
        return
    stdlib, ours = read_both(text)
    assert ours == stdlib


def test_errors_keep_tomllibs_message_and_position() -> None:
    with pytest.raises(tomllib.TOMLDecodeError, match=r"\(at line 3, column 11\)$"):
        tomlread.loads('title = "x"\n\nport = 80 80\n')


def test_the_fast_parser_is_the_one_under_test() -> None:
    # Otherwise the differential tests would compare tomllib with itself.
    parsed: list[str] = []
    real = tomlread.toml_rs.loads

    def spy(text: str, **options: Any) -> dict[str, Any]:
        parsed.append(text)
        return real(text, **options)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tomlread.toml_rs, "loads", spy)
        assert tomlread.loads("a = 1") == {"a": 1}
    assert parsed == ["a = 1"]
    assert "tomllib" not in tomlread.toml_rs.loads.__module__


def test_offsets_and_byte_order_marks_read_as_tomllib_reads_them() -> None:
    for text in ("a = 2000-01-01T00:00:00-00:01", "\ufeffa = 1", "a = 1985-06-18 17:04:07+12:60"):
        assert read_both(text)[1] == read_both(text)[0]


def test_a_lone_surrogate_reads_as_tomllib_reads_it() -> None:
    # No decoded file holds one, but a caller's string may: the fast parser cannot encode it.
    assert tomlread.loads('a = "\ud800"') == {"a": "\ud800"}


def depth_of(table: dict[str, Any]) -> int:
    depth = 0
    while isinstance(table, dict) and "a" in table:
        table, depth = table["a"], depth + 1
    return depth


# tomllib's time and memory grow with the square of a dotted key's length (10,000 levels:
# 4.6 s and 400 MB); the fast parser's do not.
@pytest.mark.parametrize("depth", [500, 3_000])
@pytest.mark.parametrize("shape", ["a{} = 1", "[a{}]\n", "[[a{}]]\n"])
def test_deep_dotted_keys_and_headers_read_as_tomllib_reads_them(depth: int, shape: str) -> None:
    # No bracket nests here: the fast parser reads these without recursing.
    text = shape.format(".a" * depth)
    try:
        expected: Any = depth_of(tomllib.loads(text))
    except RecursionError:
        expected = RecursionError
    try:
        got: Any = depth_of(tomlread.loads(text))
    except RecursionError:
        got = RecursionError
    assert got == expected


@pytest.mark.parametrize("depth", [500, 2_000, 100_000])
@pytest.mark.parametrize(("opener", "closer"), [("[", "]"), ("{b=", "}"), ("[{b=", "}]")])
def test_deep_nesting_reads_as_tomllib_reads_it(depth: int, opener: str, closer: str) -> None:
    # The compiled parser would read thousands of levels where tomllib runs out of stack.
    text = "a = " + opener * depth + "1" * (opener != "[") + closer * depth
    try:
        tomllib.loads(text)
    except RecursionError:
        with pytest.raises(RecursionError):
            tomlread.loads(text)
    else:
        assert tomlread.loads(text) == tomllib.loads(text)


@pytest.mark.parametrize("depth", [1, 2, 31, 32, 33, 64, 65])
def test_the_depth_bound_is_never_below_the_real_depth(depth: int) -> None:
    nested = "[{b=" * (depth // 2) + "[" * (depth % 2) + "]" * (depth % 2) + "}]" * (depth // 2)
    text = f'x = "]]]"\n[t]\na = {nested}\n[[u]]\n'
    assert tomlread._shallow(text) is (depth + 3 <= tomlread.MAX_FAST_DEPTH)


def test_integers_beyond_64_bits_are_read_as_tomllib_reads_them() -> None:
    assert tomlread.loads("big = 99999999999999999999") == {"big": 99999999999999999999}


def test_the_reference_plan_reads_the_same() -> None:
    text = (ROOT / "data" / "ports.toml").read_text(encoding="utf-8")
    stdlib, ours = read_both(text)
    assert ours == stdlib
    assert store.loads(text) == store.Plan.model_validate(tomllib.loads(text))


def test_a_date_time_where_a_plan_has_a_date_is_worded_as_before() -> None:
    with pytest.raises(store.PlanError) as caught:
        store.loads('title = "x"\nupdated = 1979-05-27T07:32:00Z\n', "p.toml")
    assert "line 2" in str(caught.value) or "p.toml:2" in str(caught.value)
    assert "TzInfo" not in str(caught.value)


keys = st.text(min_size=1, max_size=8)
offsets = st.integers(-23 * 60 - 59, 23 * 60 + 59).map(
    lambda minutes: dt.timezone(dt.timedelta(minutes=minutes))
)
scalars = st.one_of(
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True),
    st.text(),
    st.dates(),
    st.times().map(lambda t: t.replace(microsecond=t.microsecond // 1000 * 1000)),
    st.datetimes(timezones=st.none() | offsets).map(
        lambda t: t.replace(microsecond=t.microsecond // 1000 * 1000)
    ),
)
documents = st.dictionaries(
    keys,
    st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
        max_leaves=20,
    ),
    max_size=6,
)


@given(documents)
def test_random_documents_read_as_tomllib_reads_them(document: dict[str, Any]) -> None:
    stdlib, ours = read_both(tomli_w.dumps(document))
    assert ours == stdlib


# Fragments of TOML and of what lies next to it: whatever they make, read or refused, the
# two readers must agree.
fragments = st.sampled_from(
    [
        "a",
        "b.c",
        '"q"',
        "'l'",
        " = ",
        "=",
        "\n",
        "\r\n",
        "\r",
        " ",
        "\t",
        "#",
        "[",
        "]",
        "[[",
        "]]",
        "{",
        "}",
        ",",
        ".",
        "1",
        "-0",
        "+1",
        "0x1F",
        "0o7",
        "0b1",
        "1_0",
        "1e3",
        "1.5",
        "inf",
        "-nan",
        "true",
        "false",
        '"""',
        "'''",
        "\\",
        "\\u00e9",
        "\\e",
        "1979-05-27",
        "T07:32:00",
        " 07:32:00",
        "07:32",
        "Z",
        "+25:00",
        "-00:30",
        ".999",
        "\x7f",
        "\x00",
        "\u00e9",
        "\ufeff",
        "\u2028",
        "\x85",
    ]
)


@given(st.lists(fragments, max_size=24).map("".join))
def test_random_near_toml_reads_as_tomllib_reads_it(text: str) -> None:
    stdlib, ours = read_both(text)
    assert ours == stdlib
