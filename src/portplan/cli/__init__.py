"""The `portplan` command.

Only opening the planner imports Textual; every other subcommand stays on the domain layer so
that `portplan check` in CI starts fast. Subcommands live in their own modules and register
themselves through `COMMANDS`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from portplan import __version__
from portplan.errors import PlanError, UsageError

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
    "probe": ("portplan.cli.probe", "match the sockets listening on this machine to the plan"),
    "schema": ("portplan.cli.schema", "print the JSON Schema of the plan file, for editors"),
}


def _overview_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="portplan",
        description="Plan, check and edit port allocations. "
        "Run `portplan [PLAN]` to open the planner, or one of the commands below.",
    )
    parser.add_argument("-V", "--version", action="version", version=f"portplan {__version__}")
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


def _run_command(name: str, argv: Sequence[str]) -> int:
    import importlib

    module_name, help_text = COMMANDS[name]
    module = importlib.import_module(module_name)
    parser = argparse.ArgumentParser(
        prog=f"portplan {name}", description=help_text[:1].upper() + help_text[1:] + "."
    )
    module.add_arguments(parser)
    add_common_arguments(parser)
    # Intermixed, so that options may come anywhere: `next NEURECTOMY -n 3 data/ports.toml`.
    args = parser.parse_intermixed_args(argv)
    handler: Callable[[argparse.Namespace], int] = module.run
    return handler(args)


def _open_planner(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="portplan", description="Open the planner on PLAN.")
    parser.add_argument(
        "plan",
        nargs="?",
        help="plan file (default: $PORTPLAN_FILE, ./ports.toml, ./data/ports.toml)",
    )
    args = parser.parse_args(argv)
    from portplan.cli.open_app import run_app

    return run_app(args.plan)


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        if arguments and arguments[0] in COMMANDS:
            return _run_command(arguments[0], arguments[1:])
        if arguments[:1] in (["-V"], ["--version"]):
            print(f"portplan {__version__}")
            return 0
        if arguments[:1] in (["-h"], ["--help"]):
            _overview_parser().print_help()
            return 0
        return _open_planner(arguments)
    except PlanError as error:
        print(error, file=sys.stderr)
        return 2
    except UsageError as error:
        print(f"portplan: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `portplan check | head` closed the pipe early: not an error of ours.
        sys.stderr.close()
        return 0
