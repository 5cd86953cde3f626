"""`portplan check`: every finding of a plan; exit 1 when any unaccepted one fails (for CI)."""

from __future__ import annotations

import argparse
import sys

from portplan.acceptance import Judged, failing, judge
from portplan.analysis import analyze
from portplan.catalog import rule_for
from portplan.cli.common import (
    Painter,
    add_environment_arguments,
    add_plan_argument,
    environment_from,
    plural,
    severity_blocks,
)
from portplan.findings import SEVERITIES
from portplan.gcpause import collector_paused
from portplan.report.emit import add_format_argument
from portplan.store import read_text, resolve_plan_path
from portplan.terminal import one_line


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_plan_argument(parser)
    add_format_argument(parser)
    add_environment_arguments(parser)
    parser.add_argument(
        "--fail-on",
        choices=("error", "warning"),
        default="error",
        help="the least severe finding that fails the check (default: error)",
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="ignore the plan's `accept` entries: every finding counts",
    )


def run(args: argparse.Namespace) -> int:
    # One pause over the whole command: were the collector re-enabled between loading,
    # analysing and reporting, its next pass would walk the whole fresh plan (see gcpause).
    with collector_paused():
        return _check_and_report(args)


def _check_and_report(args: argparse.Namespace) -> int:
    environment = environment_from(args)
    path = resolve_plan_path(args.plan)
    text, plan = read_text(path)
    findings = analyze(plan, environment)
    judged = judge(plan, findings, strict=args.strict)
    if args.format == "text":
        paint = Painter()
        sys.stdout.write(paint.show(render_text(str(path), judged, paint, quiet=args.quiet)))
    else:
        # Only the machine formats place findings at their lines: the text report (what CI
        # logs and people read) does not import them.
        from portplan.report.emit import emit
        from portplan.report.items import Report
        from portplan.report.plan_places import PlanPlaces

        places = PlanPlaces(plan, text, str(path))
        report = Report("check", str(path), [places.judged_item(item) for item in judged])
        emit(report, args.format, quiet=args.quiet)
    return 1 if any(True for _ in failing(judged, args.fail_on)) else 0


def render_text(label: str, judged: list[Judged], paint: Painter, *, quiet: bool = False) -> str:
    open_ = [item.finding for item in judged if not item.accepted]
    accepted = [item for item in judged if item.accepted]
    lines: list[str] = []
    if not quiet:
        counts = [plural(sum(f.severity == s for f in open_), s) for s in SEVERITIES]
        if accepted:
            counts.append(f"{len(accepted)} accepted")
        lines.append(f"{paint(one_line(label), 'bold')}: {', '.join(counts)}")
    lines += severity_blocks([(f.severity, f.kind, f.message) for f in open_], paint)
    if accepted:
        lines += ["", paint(f"✓ {len(accepted)} accepted", "bold")]
        for item in accepted:
            rule = paint(f"[{rule_for(item.finding.kind).label}]", "dim")
            lines.append(f"  ✓ {one_line(item.finding.message)}  {rule}")
            lines.append(f"      accepted: {one_line(str(item.reason))}")
    if not open_ and not quiet:
        lines.append("✓ no conflicts, no hazards" if not accepted else "✓ nothing unaccepted")
    return "\n".join(lines) + ("\n" if lines else "")
