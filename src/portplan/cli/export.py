"""`portplan export`: the plan as a Markdown document, JSON, .env lines or CSV."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from portplan.cli.common import add_plan_argument, load_plan
from portplan.cli.wrap import fill
from portplan.errors import UsageError
from portplan.exporters import EXPORTERS, ExportError, export
from portplan.resolve import resolve_scope
from portplan.safe_write import check_output_target, write_text_atomic
from portplan.terminal import visible

TERMINAL_ESCAPED = ("env", "csv")


def _epilog() -> str:
    """One entry per registered format, its help wrapped and indented under the name."""
    return "\n".join(
        fill(exporter.help, width=94, first=f"{name:<6}", rest=" " * 6)
        for name, exporter in EXPORTERS.items()
    )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = _epilog()
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    add_plan_argument(parser)
    parser.add_argument("--format", choices=list(EXPORTERS), required=True, help="output format")
    parser.add_argument(
        "-o", "--output", metavar="FILE", help="write here (atomically) instead of standard output"
    )
    parser.add_argument(
        "--project", metavar="NAME", help="only this project (a unique prefix is enough)"
    )


def run(args: argparse.Namespace) -> int:
    if args.output:
        check_output_target(Path(args.output))
    _, plan = load_plan(args)
    project = None
    if args.project is not None:
        scope = resolve_scope(plan, args.project)
        if scope.tier is not None:
            raise UsageError(f"--project takes a project, not a tier ({scope.path})")
        project = scope.project.name
    try:
        text = export(plan, args.format, project)
    except ExportError as error:
        raise UsageError(str(error)) from None
    if args.output:
        write_text_atomic(Path(args.output), text)
    elif args.format in TERMINAL_ESCAPED and sys.stdout.isatty():
        # .env and CSV keep their own quoting in a file; on a terminal a value's control
        # characters must show, not act.
        sys.stdout.write(visible(text))
    else:
        sys.stdout.write(text)
    return 0
