from __future__ import annotations

import pytest

from portplan.scan.interpolate import MAX_NESTING, MAX_VALUE, InterpolationError, interpolate

VALUES: dict[str, str | None] = {"PORT": "16000", "EMPTY": "", "HOST": "127.0.0.1"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("${PORT}:3000", "16000:3000"),
        ("$PORT:3000", "16000:3000"),
        ("${HOST}:${PORT}:80", "127.0.0.1:16000:80"),
        ("${MISSING:-16001}:3000", "16001:3000"),
        ("${EMPTY:-16002}:3000", "16002:3000"),  # ":-" also replaces an empty value
        ("${EMPTY-16003}:3000", ":3000"),  # "-" only replaces an unset one
        ("${MISSING-16004}:3000", "16004:3000"),
        ("${MISSING:-${PORT}}:1", "16000:1"),  # a default may itself hold a variable
        ("${PORT:+set}", "set"),
        ("${MISSING:+set}", ""),
        ("$$PORT", "$PORT"),  # "$$" is a literal dollar, and the name after it stays text
        ("cost $$5", "cost $5"),
        ("end $", "end $"),
    ],
)
def test_interpolation_follows_compose_rules(text: str, expected: str) -> None:
    assert interpolate(text, VALUES)[0] == expected


def test_unset_variable_becomes_empty_and_is_named() -> None:
    assert interpolate("${NOPE}:80", VALUES) == (":80", ["NOPE"])


def test_required_variable_that_is_unset_is_an_error() -> None:
    with pytest.raises(InterpolationError, match="NOPE"):
        interpolate("${NOPE:?give the port}", VALUES)
    assert interpolate("${PORT:?x}", VALUES)[0] == "16000"


def test_unclosed_brace_is_an_error() -> None:
    with pytest.raises(InterpolationError, match="never closed"):
        interpolate("${PORT:3000", VALUES)


def test_defaults_nested_deeper_than_the_limit_are_an_error_not_a_crash() -> None:
    deep = "${X:-" * 1000 + "1" + "}" * 1000
    with pytest.raises(InterpolationError, match="^variables nested too deeply$"):
        interpolate(deep, VALUES)


def test_defaults_nested_to_the_limit_are_read() -> None:
    nested = "${X:-" * MAX_NESTING + "16000" + "}" * MAX_NESTING
    assert interpolate(nested, VALUES)[0] == "16000"
    with pytest.raises(InterpolationError, match="nested too deeply"):
        interpolate("${X:-" + nested + "}", VALUES)


def test_a_value_that_grows_past_the_cap_is_an_error() -> None:
    values: dict[str, str | None] = {"A": "x" * (MAX_VALUE // 2)}
    assert len(interpolate("${A}${A}", values)[0]) == MAX_VALUE
    with pytest.raises(InterpolationError, match="over 64 KiB once its variables are filled"):
        interpolate("${A}${A}x", values)
    written = "y" * (MAX_VALUE + 1)  # written that long, it grows nothing: kept
    assert interpolate(written, values)[0] == written
