"""The `portplan` command.

Only opening the planner imports Textual; every other subcommand stays on the domain layer so
that `portplan check` in CI starts fast. Subcommands live in their own modules and register
themselves through `COMMANDS`.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

from portplan import __version__
from portplan.errors import PlanError, UsageError
from portplan.terminal import json_text, visible

# name → (module, help); each module has `add_arguments(parser)` and `run(args) -> int`.
COMMANDS: dict[str, tuple[str, str]] = {
    "check": ("portplan.cli.check", "check a plan for conflicts and hazards (exit 1 on errors)"),
    "where": ("portplan.cli.where", "who owns a port, and every finding that touches it"),
    "next": ("portplan.cli.next_free", "the next free ports of a project or tier"),
    "diff": (
        "portplan.cli.diff",
        "what changed between two plans, as a migration checklist (exit 1 when they differ)",
    ),
    "rebase": (
        "portplan.cli.rebase",
        "move a project or tier to a new start port, keeping offsets (writes only with --write)",
    ),
    "import": (
        "portplan.cli.import_plan",
        "read a plan from a Markdown port-assignments document",
    ),
    "export": ("portplan.cli.export", "write the plan as Markdown, JSON, .env lines or CSV"),
    "scan": ("portplan.cli.scan", "check Compose, .env and Kubernetes files against the plan"),
    "apply": (
        "portplan.cli.apply",
        "change the ports in Compose, .env and Kubernetes files to the plan's (a diff; "
        "writes only with --write)",
    ),
    "probe": ("portplan.cli.probe", "match the sockets listening on this machine to the plan"),
    "schema": ("portplan.cli.schema", "print the JSON Schema of the plan file, for editors"),
    "completion": (
        "portplan.cli.completion",
        "print a shell completion script (bash, zsh or fish)",
    ),
}

# Every command's exit status, shown in its --help and copied in the README.
EXIT_STATUS: dict[str, str] = {
    "check": "0 nothing fails; 1 an unaccepted finding at or above --fail-on (errors by "
    "default); 2 the plan cannot be read or bad arguments",
    "where": "0 someone in the plan owns the port; 1 nobody does; 2 bad plan or arguments",
    "next": "0 N free ports found; 1 fewer are free; 2 bad plan or arguments",
    "diff": "0 the plans are equal; 1 they differ; 2 a plan cannot be read",
    "rebase": "0 done (or a dry run that adds no error); 1 the rebase adds errors (the write "
    "is refused without --allow-errors); 2 bad plan or arguments",
    "import": "0 imported; 2 the document cannot be read in full or bad arguments",
    "export": "0 written; 2 bad plan or arguments",
    "scan": "0 the files agree with the plan; 1 drift (an error or warning, or a file not read "
    "in full); 2 bad plan or arguments",
    "apply": "0 nothing to change; 1 changes shown or written, or ports that need a "
    "decision; 2 bad plan or arguments, or nothing written because a file would not read "
    "back as intended, changed on disk, or could not be written",
    "probe": "0 nothing unknown listens in a project's range; 1 something does; 2 bad plan",
    "schema": "0",
    "completion": "0; 2 an unknown shell",
}


def _overview_parser(*, with_commands: bool = True) -> argparse.ArgumentParser:
    parser = _Parser(
        prog="portplan",
        description="Plan, check and edit port allocations. "
        "Run `portplan [PLAN]` to open the planner, or one of the commands below "
        "(`portplan help COMMAND` for its options).",
    )
    parser.add_argument("-V", "--version", action="version", version=f"portplan {__version__}")
    if with_commands:
        sub = parser.add_subparsers(dest="command", metavar="COMMAND")
        for name, (_, help_text) in COMMANDS.items():
            sub.add_parser(name, help=help_text)
    return parser


def add_common_arguments(parser: argparse.ArgumentParser) -> None:
    """Options every command takes, so that scripts can pass them without knowing which."""
    parser.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="print only the report: no summary or status lines",
    )


def build_command_parser(
    name: str, parser: argparse.ArgumentParser | None = None
) -> tuple[argparse.ArgumentParser, Any]:
    """The full parser of one command (also used to generate shell completion)."""
    import importlib

    module_name, help_text = COMMANDS[name]
    module = importlib.import_module(module_name)
    if parser is None:
        parser = _Parser(prog=f"portplan {name}")
    parser.description = help_text[:1].upper() + help_text[1:] + "."
    module.add_arguments(parser)
    add_common_arguments(parser)
    if "Exit status" not in (parser.epilog or ""):
        status = f"Exit status: {EXIT_STATUS[name]}."
        parser.epilog = f"{parser.epilog}\n{status}" if parser.epilog else status
        parser.formatter_class = argparse.RawDescriptionHelpFormatter
    return parser, module


def full_parser() -> argparse.ArgumentParser:
    """`portplan` with every command and option, for completion scripts."""
    parser = _overview_parser(with_commands=False)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (_, help_text) in COMMANDS.items():
        build_command_parser(name, sub.add_parser(name, help=help_text))
    return parser


def _run_command(name: str, argv: Sequence[str]) -> int:
    parser, module = build_command_parser(name)
    args = parse_arguments(parser, argv)
    _merge_plan_option(args)
    handler: Callable[[argparse.Namespace], int] = module.run
    try:
        return handler(args)
    except PlanError as error:
        # `export --format json` writes the plan itself: an error is no export.
        if getattr(args, "format", None) != "json" or name == "export":
            raise
        # The machine reads every problem on stdout; the person still gets the lines.
        document = {"error": error.as_dict()}
        sys.stdout.write(json_text(document))
        raise


def parse_arguments(parser: argparse.ArgumentParser, argv: Sequence[str]) -> argparse.Namespace:
    """Parse as `parse_intermixed_args`, so that options may come anywhere:
    `next NEURECTOMY -n 3 data/ports.toml`.

    Intermixed parsing first formats the whole usage text, for its error messages: 1% of a
    `portplan check`. Most command lines have no option between positionals, and for those an
    ordinary parse that leaves nothing over gives the same namespace; any other line (a
    word left over, an error, or a `--`, which the two parse differently) is parsed
    intermixed from the start. `tests/test_cli_arguments.py` holds the two to the same
    results on random command lines.
    """
    if "--" in argv:
        return parser.parse_intermixed_args(argv)

    def fail(message: str) -> NoReturn:
        raise _ParseFailed(message)

    parser.error = fail  # type: ignore[method-assign]
    try:
        args, extras = parser.parse_known_args(argv)
    except _ParseFailed:
        args, extras = None, []
    finally:
        del parser.error  # the class's own again, which prints and exits
    if args is None or extras:
        return parser.parse_intermixed_args(argv)
    return args


class _ParseFailed(Exception):
    """An ordinary parse failed; the intermixed parse decides and words the error."""


def _merge_plan_option(args: argparse.Namespace) -> None:
    """`--plan FILE` and a positional PLAN mean the same; giving two different ones is an
    error rather than a silent choice."""
    if not hasattr(args, "plan_option"):
        return  # a command without a plan (diff, import, schema …)
    given, option = getattr(args, "plan", None), args.plan_option
    if option is None:
        args.plan = given
        return
    if given is not None and given != option:
        raise UsageError(f"two plans given: {given!r} and --plan {option!r}; give one")
    args.plan = option


def _open_planner(argv: Sequence[str]) -> int:
    parser = _Parser(prog="portplan", description="Open the planner on PLAN.")
    parser.add_argument(
        "plan",
        nargs="?",
        help="plan file (default: $PORTPLAN_FILE, ./ports.toml, ./data/ports.toml)",
    )
    args = parser.parse_args(argv)
    if args.plan is not None and _is_word(args.plan) and not Path(args.plan).exists():
        raise UsageError(unknown_command(args.plan))
    from portplan.cli.open_app import run_app

    return run_app(args.plan)


def _is_word(text: str) -> bool:
    """Whether `text` reads as a command rather than a file: no folder, no suffix."""
    return not any(mark in text for mark in "./\\")


def unknown_command(word: str) -> str:
    import difflib

    close = difflib.get_close_matches(word, [*COMMANDS, "help"], n=1)
    if close:
        return f"unknown command {word!r} (did you mean {close[0]}?)"
    return (
        f"unknown command {word!r} (`portplan --help` lists the commands; "
        "a new plan's file name ends in .toml)"
    )


def skip_pydantic_plugin_discovery() -> None:
    """portplan uses no pydantic plugins, yet pydantic looks for them when it builds the first
    model: it reads the metadata of every installed distribution for entry points (about
    1% of the planner's first screen and of a check, more in a crowded environment). Its
    documented switch `PYDANTIC_DISABLE_PLUGINS` skips that; pydantic reads it whenever it
    builds a model, so it stays set for the whole process. A value the user set (to keep
    some plugins off, or none) is theirs and is left alone."""
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")


def _help(topic: Sequence[str]) -> int:
    """`portplan help [COMMAND]`: the overview, or one command's --help."""
    if not topic:
        _overview_parser().print_help()
    elif topic[0] in COMMANDS:
        build_command_parser(topic[0])[0].print_help()
    else:
        raise UsageError(unknown_command(topic[0]))
    return 0


def _run(arguments: list[str]) -> int:
    if arguments and arguments[0] in COMMANDS:
        return _run_command(arguments[0], arguments[1:])
    if arguments[:1] in (["-V"], ["--version"]):
        print(f"portplan {__version__}")
        return 0
    if arguments[:1] in (["-h"], ["--help"]):
        _overview_parser().print_help()
        return 0
    if arguments[:1] == ["help"]:
        return _help(arguments[1:])
    return _open_planner(arguments)


class _Parser(argparse.ArgumentParser):
    """argparse's parser, except that help or a usage message that cannot be written is an
    error (argparse drops it silently, and the command then says nothing and exits 0)."""

    def _print_message(self, message: str, file: SupportsWrite[str] | None = None) -> None:
        if message:
            (file or sys.stderr).write(message)


def main(argv: Sequence[str] | None = None) -> int:
    skip_pydantic_plugin_discovery()
    arguments = list(sys.argv[1:] if argv is None else argv)
    if sys.stdout is None:  # started with standard output closed (`>&-`)
        from portplan.cli.output_errors import ClosedOutput

        sys.stdout = ClosedOutput()
    try:
        code = _answer(arguments)
    except SystemExit:
        # argparse's help and usage errors leave this way, after writing.
        if _flushed(0) != 0:
            return 2
        raise
    return _flushed(code)


def _flushed(code: int) -> int:
    """`code`, once what is buffered for standard output is written: now, not at exit, where
    a full disk would go unreported but in a traceback."""
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        sys.stderr.close()
        return 0
    except OSError as error:
        return _output_error(error)
    return code


def _output_error(error: OSError) -> int:
    # A full disk or a closed standard output: what a person asked for was not written.
    from portplan.cli.output_errors import give_up_output, output_failed

    if not output_failed():
        raise error
    print(give_up_output(error), file=sys.stderr)
    return 2


def _answer(arguments: list[str]) -> int:
    try:
        return _run(arguments)
    except PlanError as error:
        print(visible(str(error)), file=sys.stderr)
        return 2
    except UsageError as error:
        print(visible(f"portplan: {error}"), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `portplan check | head` closed the pipe early: not an error of ours.
        sys.stderr.close()
        return 0
    except OSError as error:
        return _output_error(error)
