"""`portplan import DOC.md`: read a plan from a master-port-assignments Markdown document."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from portplan.markdown_import import read_markdown
from portplan.store import dumps, write_text_atomic

EPILOG = """\
The document needs a `## PORT RANGE ALLOCATIONS` table (Port Range | Project | Description),
one `## NAME (A-B)` section per project with `### TIER (A-B)` headings and service tables
(Port | Service | Description; `16000/udp` for UDP), and optionally a
`## RESERVED SYSTEM PORTS (NEVER USE)` table and `**Version:**`, `**Last Updated:**` and
`**Strategy:**` lines. Text that was UTF-8 read as Mac Roman or Windows-1252 is repaired where
the repair is exact; decoration emoji in headings are dropped; en dashes in ranges are read as
hyphens. Anything else that cannot be placed is an error naming its line (exit 2), and PLAN is
left untouched."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = EPILOG
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("document", help="the Markdown document to read")
    parser.add_argument(
        "-o",
        "--output",
        metavar="PLAN",
        help="write the plan here (atomically; the old file is kept as .bak) "
        "instead of printing it",
    )


def run(args: argparse.Namespace) -> int:
    result = read_markdown(Path(args.document))
    for note in result.notes:
        print(f"{note.render(args.document)} (note)", file=sys.stderr)
    text = dumps(result.plan)
    if args.output:
        write_text_atomic(Path(args.output), text, keep_backup=True)
        count = sum(1 for _ in result.plan.services())
        print(
            f"wrote {args.output}: {len(result.plan.projects)} projects, {count} services",
            file=sys.stderr,
        )
    else:
        sys.stdout.write(text)
    return 0
