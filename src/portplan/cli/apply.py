"""`portplan apply [DIR ...]`: change the ports in a project's files to what the plan says.

Prints a unified diff of every edit (only port digits change) and the ports that need a
person's decision; writes with `--write`, all files or none. `--from OLD_PLAN` (or
`--from git:REV`, the plan file as it was in that commit) carries a rebase or a move out: a
port that belonged to a service in the old plan becomes that service's port in this one.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from portplan.apply import ApplyRefused, Preparation, prepare, write_all
from portplan.apply.report import report_lines, summary
from portplan.cli.common import Painter, add_folder_arguments, say, take_plan_from_folders
from portplan.environment import read_environment
from portplan.errors import UsageError
from portplan.model import Plan
from portplan.report.plan_places import load_with_places
from portplan.scan import resolve_targets
from portplan.store import decode_utf8, load, loads
from portplan.terminal import one_line

GIT_PREFIX = "git:"

EPILOG = """\
Examples:
  portplan rebase NEURECTOMY 17000 --write
  portplan apply --from git:HEAD            # what the rebase means for the files
  portplan apply --from git:HEAD --write    # change them (old copies kept as .bak)"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = EPILOG
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    add_folder_arguments(parser, "change")
    parser.add_argument(
        "--from",
        dest="old",
        metavar="OLD_PLAN",
        help="the plan before a rebase or move (a file, or git:REV for the plan file as it "
        "is in commit REV): each service's old port becomes its new one",
    )
    parser.add_argument(
        "--write",
        action="store_true",
        help="change the files (atomically, all or none; each old file is kept as .bak)",
    )


def run(args: argparse.Namespace) -> int:
    take_plan_from_folders(args)
    path, plan, _ = load_with_places(args.plan)
    old = read_old_plan(args.old, path) if args.old else None
    targets = resolve_targets(plan, path, args.folders, args.project)
    try:
        preparation = prepare(plan, targets, old, read_environment())
        if args.write and preparation.files:
            write_all(preparation.files)
    except ApplyRefused as refused:
        say(f"portplan: {refused}", file=sys.stderr)
        return 2
    paint = Painter()
    sys.stdout.write(paint.show(render_text(preparation, paint)))
    if not args.quiet:
        _say_outcome(preparation, written=args.write)
    # As `scan`: a file not read in full leaves the answer incomplete, so it is not a success.
    busy = preparation.files or preparation.pending or preparation.skipped or preparation.notes
    return 1 if busy else 0


def read_old_plan(given: str, plan_path: Path) -> Plan:
    """The plan of `--from`: a file, or `git:REV` read with `git show REV:./PLAN`."""
    if not given.startswith(GIT_PREFIX):
        return load(Path(given))
    revision = given[len(GIT_PREFIX) :]
    if not revision or revision.startswith("-"):
        raise UsageError(f"--from {given!r}: name a commit after git:, such as git:HEAD")
    folder = plan_path.parent if str(plan_path.parent) else Path(".")
    label = f"{given}:{plan_path.name}"
    try:
        shown = subprocess.run(
            ["git", "show", f"{revision}:./{plan_path.name}"],
            cwd=folder,
            capture_output=True,
            check=False,
        )
    except OSError as error:
        raise UsageError(f"--from {given}: git cannot be run ({error.strerror})") from None
    if shown.returncode != 0:
        why = shown.stderr.decode("utf-8", "replace").strip().splitlines()
        reason = why[0].removeprefix("fatal: ") if why else f"exit status {shown.returncode}"
        raise UsageError(f"--from {given}: git cannot show {plan_path.name} there ({reason})")
    return loads(decode_utf8(shown.stdout, label), label)


# The report's styles, as the painter names them.
STYLES = {"header": "bold", "title": "bold", "removed": "removed", "added": "added"}
STYLES |= {"hunk": "dim", "dim": "dim", "warning": "warning"}


def render_text(preparation: Preparation, paint: Painter) -> str:
    lines = [
        paint(text, STYLES[style]) if style in STYLES and text else text
        for style, text in report_lines(preparation)
    ]
    lines += ["", summary(preparation)]
    return "\n".join(lines) + "\n"


def _say_outcome(preparation: Preparation, *, written: bool) -> None:
    if not preparation.files:
        return
    if written:
        names = ", ".join(one_line(file.label) for file in preparation.files)
        say(f"wrote {names} (each old file kept as .bak)")
    else:
        paint = Painter(sys.stderr)
        say(paint("not written: run again with --write to change the files", "dim"), sys.stderr)
