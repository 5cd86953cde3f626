"""`.env` files read as Compose reads them: the grammar of compose-go's `dotenv/` parser and
the interpolation of its `template/` package, checked on real files in a temporary folder.

The cases are those of compose-go's own test tables (`dotenv/godotenv_test.go`,
`dotenv/parser_test.go`, `template/template_test.go`), written here as data.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from portplan.scan.envtext import read_env_text
from portplan.scan.scanner import Target, read_folder
from tests.scan_helpers import write

COMPOSE = 'services:\n  web:\n    ports:\n      - "${WEB_PORT}:80"\n'


def published(folder: Path, env: str) -> tuple[list[tuple[int, ...]], list[str]]:
    """The host ports Compose would publish for `"${WEB_PORT}:80"`, and the notes."""
    write(folder / "compose.yaml", COMPOSE)
    write(folder / ".env", env)
    report = read_folder(Target(folder, "p", None))
    hosts = [use.ports for use in report.uses if use.role == "host" and use.source == "compose"]
    return hosts, [str(note) for note in report.notes]


# The table: what Compose publishes for each `.env`.
@pytest.mark.parametrize(
    ("env", "ports"),
    [
        ("BASE=8000\nWEB_PORT=$BASE\n", [(8000,)]),
        ("WEB_PORT=${BASE-8000}\n", [(8000,)]),
        ("BASE=\nWEB_PORT=${BASE:-8000}\n", [(8000,)]),
        ("B=1\nWEB_PORT=${B:+8000}\n", [(8000,)]),
        ("WEB_PORT: 8080\n", [(8080,)]),
        ("BASE=8000\nWEB_PORT=${BASE}\n", [(8000,)]),
        ('BASE=8000\nWEB_PORT="${BASE}"\n', [(8000,)]),
    ],
)
def test_env_table_gives_composes_port(tmp_path: Path, env: str, ports: list[tuple[int]]) -> None:
    hosts, notes = published(tmp_path, env)
    assert hosts == ports
    assert not any("warning" in note for note in notes)


def test_single_quotes_are_literal(tmp_path: Path) -> None:
    hosts, notes = published(tmp_path, "BASE=8000\nWEB_PORT='${BASE}'\n")
    # WEB_PORT is the text `${BASE}`; a value is not interpolated twice, so the entry reads
    # `${BASE}:80`, whose host part Compose refuses.
    assert hosts == []
    assert any("host port is not a number" in note for note in notes)
    assert not any("8000" in note for note in notes)


def test_required_variable_makes_compose_refuse_the_file(tmp_path: Path) -> None:
    hosts, notes = published(tmp_path, "WEB_PORT=${X:?required}\n")
    assert hosts == []
    assert "p/.env:1: Compose refuses this file: required variable X is missing a value" in notes


def test_the_shell_environment_never_counts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOME_SHELL_VAR", "8123")
    monkeypatch.setenv("WEB_PORT", "8124")
    hosts, notes = published(tmp_path, "WEB_PORT=${SOME_SHELL_VAR}\n")
    assert hosts == []
    assert any("SOME_SHELL_VAR is not set above this line" in note for note in notes)
    hosts, _ = published(tmp_path, "WEB_PORT\n")  # a bare key inherits the shell's: unset
    assert hosts == []


# compose-go dotenv/godotenv_test.go TestParsing and fixtures/quoted.env, as (line, key, value).
@pytest.mark.parametrize(
    ("line", "key", "value"),
    [
        ("FOO=bar", "FOO", "bar"),
        ("FOO =bar", "FOO", "bar"),
        ("FOO= bar", "FOO", "bar"),
        ('FOO="bar"', "FOO", "bar"),
        ("FOO='bar'", "FOO", "bar"),
        ('FOO="escaped\\"bar"', "FOO", 'escaped"bar'),
        ('FOO="\\"quoted\\""', "FOO", '"quoted"'),
        ("FOO=\"'d'\"", "FOO", "'d'"),
        ("OPTION_A: 1", "OPTION_A", "1"),
        ("OPTION_A: Foo=bar", "OPTION_A", "Foo=bar"),
        ("OPTION_A=1:B", "OPTION_A", "1:B"),
        ("export OPTION_A=2", "OPTION_A", "2"),
        ("export OPTION_B='\\n'", "OPTION_B", "\\n"),
        ("export exportFoo=2", "exportFoo", "2"),
        ("exportFOO=2", "exportFOO", "2"),
        ("export_FOO =2", "export_FOO", "2"),
        ("export.FOO= 2", "export.FOO", "2"),
        ("export\tOPTION_A=2", "OPTION_A", "2"),
        ("  export OPTION_A=2", "OPTION_A", "2"),
        ('export OPTION_A="export A"', "OPTION_A", "export A"),
        ('FOO="bar\\nbaz"', "FOO", "bar\nbaz"),
        ("FOO=a\\tb", "FOO", "a\\tb"),
        ('FOO="a\\tb"', "FOO", "a\tb"),
        ('KEY="Z\\aZ\\bZ\\fZ\\nZ\\rZ\\tZ\\vZ\\\\Z\\0123Z"', "KEY", "Z\aZ\bZ\fZ\nZ\rZ\tZ\vZ\\ZSZ"),
        ("FOO.BAR=foobar", "FOO.BAR", "foobar"),
        ("FOO=foobar=", "FOO", "foobar="),
        ("FOO=bar ", "FOO", "bar"),
        ("FOO=bar # this is foo", "FOO", "bar"),
        ("FOO=bar #", "FOO", "bar"),
        ("FOO=123#not-an-inline-comment", "FOO", "123#not-an-inline-comment"),
        ('FOO="bar#baz" # comment', "FOO", "bar#baz"),
        ("FOO='bar#baz' # comment", "FOO", "bar#baz"),
        ('FOO="ba#r"', "FOO", "ba#r"),
        (" KEY =value", "KEY", "value"),
        ("\tKEY=value", "KEY", "value"),
        ('KEY="\\0123"', "KEY", "S"),
        ('KEY="\\x07"', "KEY", "\\x07"),
        ('KEY="\\u12e4"', "KEY", "\\u12e4"),
        ("OPTION_K='Let\\'s go!'", "OPTION_K", "Let's go!"),
        ("OPTION_I = \"echo 'asd'\" # Inline comment", "OPTION_I", "echo 'asd'"),
        ("OPTION_J = 'first line\nsecond line'", "OPTION_J", "first line\nsecond line"),
        ("a[1]=c", "a[1]", "c"),
        ("árvíztűrő-TÜKÖR=ÁRVÍZTŰRŐ", "árvíztűrő-TÜKÖR", "ÁRVÍZTŰRŐ"),
        ("FOO=\\$BAR", "FOO", "\\"),  # unquoted: no escapes, `$BAR` unset reads as ""
        ('FOO="foo\\$BAR"', "FOO", "foo$BAR"),
        ('FOO="foo\\${BAR}"', "FOO", "foo${BAR}"),
        ("BAR='quote $FOO'", "BAR", "quote $FOO"),
        ("FOO=$$BAR", "FOO", "$BAR"),
    ],
)
def test_dotenv_grammar(line: str, key: str, value: str) -> None:
    assert read_env_text(line).values == {key: value}


@pytest.mark.parametrize(
    "text",
    ['KEY="', 'KEY="value', 'KEY="value\\"', "KEY=\"value'", "KEY='", "KEY='value", "KEY='value\""],
)
def test_unterminated_quotes_are_refused(text: str) -> None:
    env = read_env_text(text)
    assert env.problems == [(1, "unterminated quoted value")]


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        ("lol$wut", 1, "unexpected character '$' in a variable name"),
        ("A=1\n\nFOO BAR=1\n", 3, "a variable name cannot contain a space"),
        ("%!(EXTRA string)=foo", 1, "unexpected character '%' in a variable name"),
    ],
)
def test_bad_lines_are_refused_with_their_line(text: str, line: int, problem: str) -> None:
    assert read_env_text(text).problems == [(line, problem)]


def test_lines_and_comments() -> None:
    env = read_env_text("# c\n\n\t # indented\r\nA=1\nB='x\ny'\nC=3\n")
    assert env.values == {"A": "1", "B": "x\ny", "C": "3"}
    assert env.lines == {"A": 4, "B": 5, "C": 7}


def test_later_values_see_earlier_ones_only() -> None:
    # compose-go TestExpanding and fixtures/substitutions.env
    env = read_env_text(
        "OPTION_A=${OPTION_A:-1}\nOPTION_B=${OPTION_A}\nOPTION_C=$OPTION_B\n"
        "OPTION_D=${OPTION_A}_${OPTION_B}\nOPTION_E=${OPTION_NOT_DEFINED}\n"
        'FOO=test\nBAR="foo\\${FOO} ${FOO}"\n'
    )
    assert env.values == {
        "OPTION_A": "1",
        "OPTION_B": "1",
        "OPTION_C": "1",
        "OPTION_D": "1_1",
        "OPTION_E": "",
        "FOO": "test",
        "BAR": "foo${FOO} test",
    }
