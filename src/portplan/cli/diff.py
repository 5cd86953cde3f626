"""`portplan diff OLD NEW`: the per-project migration checklist between two plans."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from portplan.analysis import analyze
from portplan.changes import PLAN_WIDE, Change, diff_plans, group_by_project
from portplan.cli.common import Painter
from portplan.environment import read_environment
from portplan.errors import UsageError
from portplan.findings import SYMBOLS, FindingDelta
from portplan.markdown.text import escape_inline
from portplan.model import Plan
from portplan.report.emit import add_format_argument, emit
from portplan.report.items import Report
from portplan.store import decode_utf8, load, loads, read_stdin
from portplan.terminal import one_line, visible

STDIN = "-"
PLAN_WIDE_TITLE = "Plan"

EPILOG = """\
Either plan may be `-` to read it from standard input, for example the previous commit:
  git show HEAD:data/ports.toml | portplan diff - data/ports.toml
Exit status: 0 when the plans are equal, 1 when they differ, 2 when a plan cannot be read.
Reordering services, tiers or projects is not a change."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.epilog = EPILOG
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("old", help="the plan before (a file, or - for standard input)")
    parser.add_argument("new", help="the plan after (a file, or - for standard input)")
    add_format_argument(parser, ("text", "json"), extra={"md": "md (a Markdown checklist)"})


def read_plan(argument: str) -> Plan:
    if argument != STDIN:
        return load(Path(argument))
    label = "<stdin>"
    return loads(decode_utf8(read_stdin(label), label), label)


def run(args: argparse.Namespace) -> int:
    if args.old == STDIN and args.new == STDIN:
        raise UsageError("only one of OLD and NEW can be - (standard input)")
    old, new = read_plan(args.old), read_plan(args.new)
    changes = diff_plans(old, new)
    ephemeral = read_environment()
    # The same comparison the planner's change panel and `portplan rebase` make.
    delta = FindingDelta.between(analyze(old, ephemeral), analyze(new, ephemeral))
    if args.format == "json":
        result = {
            "old": args.old,
            "new": args.new,
            "equal": not changes,
            "changes": [change.as_dict() for change in changes],
            "findings": {
                "added": [finding.as_dict() for finding in delta.added],
                "cleared": [finding.as_dict() for finding in delta.cleared],
                "kept": [finding.as_dict() for finding in delta.kept],
            },
        }
        emit(Report("diff", None, [], result), args.format, quiet=True)
    elif args.format == "md":
        # A checklist for people: a name's control characters show rather than act.
        sys.stdout.write(visible(render_markdown(changes, delta)))
    else:
        paint = Painter()
        sys.stdout.write(paint.show(render_text(changes, paint, delta)))
    return 1 if changes else 0


def finding_lines(delta: FindingDelta) -> list[str]:
    """What the edits do to the findings, after the changes (nothing when the plans are equal)."""
    lines = [f"findings: {delta.counts()}"]
    lines += [
        f"  + {SYMBOLS[finding.severity]} {one_line(finding.message)}" for finding in delta.added
    ]
    lines += [f"  − ✓ {one_line(finding.message)}" for finding in delta.cleared]
    return lines


def _group_title(project: str) -> str:
    return PLAN_WIDE_TITLE if project == PLAN_WIDE else project


def render_text(changes: list[Change], paint: Painter, delta: FindingDelta | None = None) -> str:
    if not changes:
        return "no changes: the plans are equal\n"
    lines: list[str] = []
    for project, group in group_by_project(changes).items():
        if lines:
            lines.append("")
        count = f"{len(group)} change" + ("" if len(group) == 1 else "s")
        lines.append(f"{paint(one_line(_group_title(project)), 'bold')} ({count})")
        lines += [
            f"  {paint(change.kind.ljust(9), 'dim')} {one_line(change.text)}" for change in group
        ]
    if delta is not None:
        lines += ["", *finding_lines(delta)]
    return "\n".join(lines) + "\n"


def render_markdown(changes: list[Change], delta: FindingDelta | None = None) -> str:
    lines = ["# Migration checklist", ""]
    if not changes:
        return "\n".join(lines + ["No changes: the plans are equal.", ""])
    for project, group in group_by_project(changes).items():
        lines += [f"## {escape_inline(_group_title(project))}", ""]
        lines += [f"- [ ] {escape_inline(change.text)}" for change in group]
        lines.append("")
    if delta is not None:
        lines += ["## Findings", "", f"{delta.counts()}.", ""]
        lines += [f"- added: {escape_inline(finding.message)}" for finding in delta.added]
        lines += [f"- cleared: {escape_inline(finding.message)}" for finding in delta.cleared]
        lines += [""] if delta.added or delta.cleared else []
    return "\n".join(lines)
