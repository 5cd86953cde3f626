from __future__ import annotations

import pytest

from portplan.scan.interpolate import InterpolationError, interpolate

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
