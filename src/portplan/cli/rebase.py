"""`portplan rebase PROJECT[/TIER] NEWSTART`: move a project or tier, keeping every offset.

Prints what would move and which findings the move would add or clear; changes the file only
with `--write`.
"""

from __future__ import annotations

import argparse
import sys

from portplan.analysis import analyze
from portplan.changes import Change, diff_plans
from portplan.cli.common import Painter, add_plan_argument, load_plan
from portplan.edits import EditError, Rebase
from portplan.errors import UsageError
from portplan.findings import SYMBOLS, Finding
from portplan.hazards import ephemeral_ranges
from portplan.model import MAX_PORT
from portplan.resolve import resolve_scope
from portplan.store import save


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


def parse_start(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise UsageError(f"NEWSTART {text!r} is not a port (a whole number 1-{MAX_PORT})") from None
    if not 1 <= port <= MAX_PORT:
        raise UsageError(f"NEWSTART {port} is not a port (1-{MAX_PORT})")
    return port


def _finding_key(finding: Finding) -> tuple[str, str, tuple[str, ...]]:
    # Ports are left out: a conflict that merely moved along with its services is unchanged.
    return finding.severity, finding.kind, finding.subjects


def finding_delta(
    before: list[Finding], after: list[Finding]
) -> tuple[list[Finding], list[Finding]]:
    """(added, cleared) findings, comparing by severity, rule and subjects."""
    before_keys = {_finding_key(finding) for finding in before}
    after_keys = {_finding_key(finding) for finding in after}
    added = [finding for finding in after if _finding_key(finding) not in before_keys]
    cleared = [finding for finding in before if _finding_key(finding) not in after_keys]
    return added, cleared


def render_moves(changes: list[Change]) -> list[str]:
    width = max((len(change.subject) for change in changes), default=0)
    return [f"  {change.subject.ljust(width)}  {change.old} → {change.new}" for change in changes]


def run(args: argparse.Namespace) -> int:
    new_start = parse_start(args.new_start)
    path, plan = load_plan(args)
    scope = resolve_scope(plan, args.target)
    edit = Rebase(scope.project.name, new_start, scope.tier.name if scope.tier else None)
    before = plan.model_copy(deep=True)
    offset = edit.offset_for(plan)
    try:
        edit.apply(plan)
    except EditError as error:
        raise UsageError(str(error)) from None
    ephemeral = ephemeral_ranges(live=True)
    added, cleared = finding_delta(analyze(before, ephemeral), analyze(plan, ephemeral))
    changes = diff_plans(before, plan)
    paint = Painter()
    print(paint(f"rebase {scope.path} to {new_start} (offset {offset:+d})", "bold"))
    if changes:
        print("\n".join(render_moves(changes)))
    else:
        print("  nothing moves: it already starts there")
    for title, group in (("findings added", added), ("findings cleared", cleared)):
        if group:
            print(paint(f"{title} ({len(group)})", "bold"))
            for finding in group:
                print(f"  {paint(SYMBOLS[finding.severity], finding.severity)} {finding.message}")
        else:
            print(paint(f"{title}: none", "dim"))
    if args.write:
        if changes:
            save(plan, path)
        print(f"wrote {path}" if changes else f"{path} unchanged")
    else:
        print(paint(f"not written: run again with --write to save {path}", "dim"), file=sys.stderr)
    return 0
