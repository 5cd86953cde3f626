"""Every command's arguments parse exactly as `parse_intermixed_args` parses them.

`portplan.cli.parse_arguments` tries an ordinary parse first (intermixed parsing formats the
whole usage text first, a cost paid on every run); the intermixed parse is the oracle:
random command lines built from each command's own options and words must give the same
namespace, or the same exit and the same message.
"""

from __future__ import annotations

import argparse
import contextlib
import io
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portplan import cli

WORDS = ["data/ports.toml", "NEURECTOMY", "Core", "5000", "16000-16999", "-", "x y", "7"]


def fragments(parser: argparse.ArgumentParser) -> st.SearchStrategy[list[str]]:
    """A word, `--`, or one of the parser's options with a plausible value."""
    options: list[st.SearchStrategy[list[str]]] = [
        st.sampled_from(WORDS).map(lambda word: [word]),
        st.just(["--"]),
    ]
    for action in parser._actions:
        if not action.option_strings or isinstance(action, argparse._HelpAction):
            continue
        flags = st.sampled_from(action.option_strings)
        if action.nargs == 0:
            options.append(flags.map(lambda flag: [flag]))
            continue
        values = st.sampled_from([str(choice) for choice in action.choices or WORDS])
        options.append(st.tuples(flags, values).map(list))
    return st.one_of(options)


def outcome(parse: Any, argv: list[str]) -> tuple[str, Any, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            result: Any = vars(parse(argv))
        except SystemExit as error:
            result = ("exit", error.code)
    return ("done", result, out.getvalue(), err.getvalue())


def command_lines(name: str) -> st.SearchStrategy[list[str]]:
    parser, _ = cli.build_command_parser(name)
    return st.lists(fragments(parser), max_size=7).map(lambda parts: sum(parts, []))


@pytest.mark.parametrize("name", [name for name in cli.COMMANDS if name != "completion"])
@given(data=st.data())
def test_arguments_parse_as_intermixed_parsing_does(name: str, data: st.DataObject) -> None:
    argv = data.draw(command_lines(name))
    ours = outcome(lambda a: cli.parse_arguments(cli.build_command_parser(name)[0], a), argv)
    oracle = outcome(lambda a: cli.build_command_parser(name)[0].parse_intermixed_args(a), argv)
    assert ours == oracle


def test_an_option_between_positionals_is_still_read() -> None:
    parser, _ = cli.build_command_parser("next")
    args = cli.parse_arguments(parser, ["NEURECTOMY", "-n", "3", "data/ports.toml"])
    assert (args.scope, args.count, args.plan) == ("NEURECTOMY", 3, "data/ports.toml")


def test_a_failed_ordinary_parse_leaves_the_parser_reporting_errors() -> None:
    parser, _ = cli.build_command_parser("check")
    err = io.StringIO()
    with contextlib.redirect_stderr(err), pytest.raises(SystemExit) as caught:
        cli.parse_arguments(parser, ["--format", "nope"])
    assert caught.value.code == 2
    assert "invalid choice: 'nope'" in err.getvalue()
