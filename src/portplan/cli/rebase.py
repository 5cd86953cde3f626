"""`portplan rebase PROJECT[/TIER] NEWSTART`: move a project or tier, keeping every offset.

Prints what would move and which findings the move would add, clear or keep (matched by
`FindingDelta`, as the planner's preview matches them); changes the file only
with `--write`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from portplan.analysis import analyze
from portplan.changes import Change, diff_plans
from portplan.cli.common import Painter, add_plan_argument, say
from portplan.edits import EditError, Rebase
from portplan.environment import read_environment
from portplan.errors import UsageError
from portplan.findings import SYMBOLS, Finding, FindingDelta
from portplan.model import MAX_PORT
from portplan.report.emit import add_format_argument, emit
from portplan.report.items import Report
from portplan.report.plan_places import load_with_places
from portplan.resolve import resolve_scope
from portplan.store import save
from portplan.terminal import one_line


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "target",
        metavar="PROJECT[/TIER]",
        help="the project or tier to move (a unique prefix is enough)",
    )
    parser.add_argument("new_start", metavar="NEWSTART", help="the new first port")
    add_plan_argument(parser)
    parser.add_argument(
        "--write",
        action="store_true",
        help="save the rebased plan (atomically; the old file is kept as .bak)",
    )
    parser.add_argument(
        "--allow-errors",
        action="store_true",
        help="write (and exit 0) even when the rebase adds error findings",
    )
    add_format_argument(parser)


def parse_start(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise UsageError(f"NEWSTART {text!r} is not a port (a whole number 1-{MAX_PORT})") from None
    if not 1 <= port <= MAX_PORT:
        raise UsageError(f"NEWSTART {port} is not a port (1-{MAX_PORT})")
    return port


def render_moves(changes: list[Change]) -> list[str]:
    subjects = [one_line(change.subject) for change in changes]
    width = max((len(subject) for subject in subjects), default=0)
    return [
        f"  {subject.ljust(width)}  {change.old} → {change.new}"
        for subject, change in zip(subjects, changes, strict=True)
    ]


def run(args: argparse.Namespace) -> int:
    new_start = parse_start(args.new_start)
    path, plan, places = load_with_places(args.plan)
    scope = resolve_scope(plan, args.target)
    edit = Rebase(scope.project.name, new_start, scope.tier.name if scope.tier else None)
    before = plan.model_copy(deep=True)
    offset = edit.offset_for(plan)
    try:
        edit.apply(plan)
    except EditError as error:
        raise UsageError(str(error)) from None
    ephemeral = read_environment()
    delta = FindingDelta.between(analyze(before, ephemeral), analyze(plan, ephemeral))
    added, cleared = list(delta.added), list(delta.cleared)
    changes = diff_plans(before, plan)
    adds_errors = any(finding.severity == "error" for finding in added)
    refused = args.write and adds_errors and not args.allow_errors
    written = bool(args.write and changes and not refused)
    if written:
        saved = save(plan, path, (places.text, before))
        if saved.note:
            say(f"portplan: note: {path} {saved.note}", file=sys.stderr)
    if args.format == "text":
        _print_text(scope.path, new_start, offset, changes, delta)
    else:
        # A rebase moves values, never lines, so the old text locates the added findings.
        result = {
            "target": scope.path,
            "new_start": new_start,
            "offset": offset,
            "moves": [change.as_dict() for change in changes],
            "cleared": [finding.as_dict() for finding in cleared],
            "kept": [finding.as_dict() for finding in delta.kept],
            "written": written,
        }
        report = Report("rebase", str(path), [places.item(finding) for finding in added], result)
        emit(report, args.format, quiet=args.quiet)
    return _conclude(args, path, changes, adds_errors=adds_errors, refused=refused)


def _conclude(
    args: argparse.Namespace, path: Path, changes: list[Change], *, adds_errors: bool, refused: bool
) -> int:
    """Say what happened to the file; exit 1 whenever the rebase adds errors and was not
    explicitly allowed to, so that a dry run in CI fails the same way the write is refused."""
    paint = Painter(sys.stderr)
    if refused:
        say(
            f"portplan: not written: the rebase adds errors to {path}; "
            "move it elsewhere or run again with --allow-errors",
            file=sys.stderr,
        )
        return 1
    if args.write:
        if not args.quiet:
            say(f"wrote {path}" if changes else f"{path} unchanged", file=_status(args))
        return 0
    if not args.quiet:
        say(paint(f"not written: run again with --write to save {path}", "dim"), file=sys.stderr)
    return 1 if adds_errors and not args.allow_errors else 0


def _status(args: argparse.Namespace) -> TextIO:
    # In text the report is for a person and "wrote" belongs to it; in a machine format
    # stdout holds only the report.
    return sys.stdout if args.format == "text" else sys.stderr


def _print_text(
    target: str,
    new_start: int,
    offset: int,
    changes: list[Change],
    delta: FindingDelta,
) -> None:
    paint = Painter()
    say(paint(f"rebase {one_line(target)} to {new_start} (offset {offset:+d})", "bold"))
    if changes:
        say("\n".join(render_moves(changes)))
    else:
        say("  nothing moves: it already starts there")
    for title, group in (("findings added", delta.added), ("findings cleared", delta.cleared)):
        if group:
            say(paint(f"{title} ({len(group)})", "bold"))
            _print_findings(paint, group)
        else:
            say(paint(f"{title}: none", "dim"))
    # Kept findings are the same problems as before; only those the rebase moved are listed.
    moved = f", {len(delta.carried)} moving along" if delta.carried else ""
    say(paint(f"findings kept: {len(delta.kept)}{moved}", "bold" if moved else "dim"))
    _print_findings(paint, delta.carried)


def _print_findings(paint: Painter, findings: Sequence[Finding]) -> None:
    for finding in findings:
        say(f"  {paint(SYMBOLS[finding.severity], finding.severity)} {one_line(finding.message)}")
