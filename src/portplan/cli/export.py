"""`portplan export`: the plan as a Markdown document, JSON, .env lines or CSV."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from portplan.cli.common import add_plan_argument, load_plan
from portplan.errors import UsageError
from portplan.exporters import FORMATS, ExportError, export
from portplan.resolve import resolve_scope
from portplan.store import write_text_atomic

EPILOG = """\
md    a document shaped like the master port assignments; `portplan import` reads it back
      to the same plan (UDP services are written `16000/udp`, tier descriptions as a paragraph
      under the tier heading, project folders as a `**Paths:**` line)
json  the plan as JSON, with the keys of the TOML file
env   one PROJECT_SERVICE_PORT=16432 line per service (ASCII, upper case; a clash gets _2, _3)
csv   one row per service: project, tier, service, port, protocol, description"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = EPILOG
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    add_plan_argument(parser)
    parser.add_argument("--format", choices=FORMATS, required=True, help="output format")
    parser.add_argument(
        "-o", "--output", metavar="FILE", help="write here (atomically) instead of standard output"
    )
    parser.add_argument(
        "--project", metavar="NAME", help="only this project (a unique prefix is enough)"
    )


def run(args: argparse.Namespace) -> int:
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
    else:
        sys.stdout.write(text)
    return 0
