"""`portplan diff OLD NEW`: the per-project migration checklist between two plans."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from portplan.changes import PLAN_WIDE, Change, diff_plans, group_by_project
from portplan.cli.common import Painter
from portplan.errors import PlanError, Problem, UsageError
from portplan.markdown.text import escape_inline
from portplan.model import Plan
from portplan.report.emit import add_format_argument, emit
from portplan.report.items import Report
from portplan.store import load, loads

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
    raw = sys.stdin.buffer.read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise PlanError(label, [Problem("is not UTF-8 text", line=line)]) from None
    return loads(text, label)


def run(args: argparse.Namespace) -> int:
    if args.old == STDIN and args.new == STDIN:
        raise UsageError("only one of OLD and NEW can be - (standard input)")
    old, new = read_plan(args.old), read_plan(args.new)
    changes = diff_plans(old, new)
    if args.format == "json":
        result = {
            "old": args.old,
            "new": args.new,
            "equal": not changes,
            "changes": [change.as_dict() for change in changes],
        }
        emit(Report("diff", None, [], result), args.format, quiet=True)
    elif args.format == "md":
        sys.stdout.write(render_markdown(changes))
    else:
        sys.stdout.write(render_text(changes, Painter()))
    return 1 if changes else 0


def _group_title(project: str) -> str:
    return PLAN_WIDE_TITLE if project == PLAN_WIDE else project


def render_text(changes: list[Change], paint: Painter) -> str:
    if not changes:
        return "no changes: the plans are equal\n"
    lines: list[str] = []
    for project, group in group_by_project(changes).items():
        if lines:
            lines.append("")
        count = f"{len(group)} change" + ("" if len(group) == 1 else "s")
        lines.append(f"{paint(_group_title(project), 'bold')} ({count})")
        lines += [f"  {paint(change.kind.ljust(9), 'dim')} {change.text}" for change in group]
    return "\n".join(lines) + "\n"


def render_markdown(changes: list[Change]) -> str:
    lines = ["# Migration checklist", ""]
    if not changes:
        return "\n".join(lines + ["No changes: the plans are equal.", ""])
    for project, group in group_by_project(changes).items():
        lines += [f"## {escape_inline(_group_title(project))}", ""]
        lines += [f"- [ ] {escape_inline(change.text)}" for change in group]
        lines.append("")
    return "\n".join(lines)
