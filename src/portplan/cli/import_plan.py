"""`portplan import DOC`: read a plan from a document in one of the registered import formats
(`portplan.importers`; today the master-port-assignments Markdown document)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from portplan.cli.common import say
from portplan.cli.wrap import fill
from portplan.errors import UsageError
from portplan.importers import DEFAULT_IMPORTER, IMPORTERS, importer_for
from portplan.safe_write import check_output_target, write_text_atomic
from portplan.store import dumps


def _epilog() -> str:
    """One paragraph per registered format: its name, the names that pick it, its help."""
    paragraphs = [
        f"{name} ({', '.join(importer.suffixes)}): {importer.help}"
        for name, importer in IMPORTERS.items()
    ]
    paragraphs.append(
        f"Without --format the document's name picks the format, else {DEFAULT_IMPORTER}. "
        "Anything that cannot be placed is an error naming its line (exit 2), and PLAN is "
        "left untouched."
    )
    return "\n\n".join(fill(paragraph, width=92) for paragraph in paragraphs)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = _epilog()
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("document", help="the document to read")
    parser.add_argument(
        "--format",
        choices=list(IMPORTERS),
        help=f"the document's format (default: by its name, else {DEFAULT_IMPORTER})",
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="PLAN",
        help="write the plan here (atomically; the old file is kept as .bak) "
        "instead of printing it",
    )


def run(args: argparse.Namespace) -> int:
    if args.output:
        check_output_target(Path(args.output))
    document = Path(args.document)
    result = importer_for(document, args.format).read(document)
    if not result.plan.projects:
        raise UsageError(f"{args.document} holds no project; nothing written")
    for note in result.notes:
        say(f"{note.render(args.document)} (note)", file=sys.stderr)
    text = dumps(result.plan)
    if args.output:
        write_text_atomic(Path(args.output), text, keep_backup=True)
        count = result.plan.service_count()
        say(
            f"wrote {args.output}: {len(result.plan.projects)} projects, {count} services",
            file=sys.stderr,
        )
    else:
        sys.stdout.write(text)
    return 0
