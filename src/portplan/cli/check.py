"""`portplan check`: every finding of a plan; exit 1 when any is an error (for CI)."""

from __future__ import annotations

import argparse
import sys

from portplan.analysis import analyze
from portplan.cli.common import Painter, add_plan_argument, plural, severity_blocks
from portplan.findings import SEVERITIES, Finding, summarize
from portplan.gcpause import collector_paused
from portplan.hazards import ephemeral_ranges
from portplan.report.emit import add_format_argument, emit
from portplan.report.items import Report
from portplan.report.plan_places import load_with_places


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_plan_argument(parser)
    add_format_argument(parser)


def run(args: argparse.Namespace) -> int:
    # One pause over the whole command: were the collector re-enabled between loading,
    # analysing and reporting, its next pass would walk the whole fresh plan (see gcpause).
    with collector_paused():
        return _check_and_report(args)


def _check_and_report(args: argparse.Namespace) -> int:
    path, plan, places = load_with_places(args.plan)
    findings = analyze(plan, ephemeral_ranges(live=True))
    summary = summarize(findings)
    if args.format == "text":
        sys.stdout.write(render_text(str(path), findings, Painter()))
    else:
        report = Report("check", str(path), [places.item(finding) for finding in findings])
        emit(report, args.format, quiet=args.quiet)
    return 1 if summary["error"] else 0


def render_text(label: str, findings: list[Finding], paint: Painter) -> str:
    summary = summarize(findings)
    counts = ", ".join(plural(summary[severity], severity) for severity in SEVERITIES)
    lines = [f"{paint(label, 'bold')}: {counts}"]
    lines += severity_blocks([(f.severity, f.kind, f.message) for f in findings], paint)
    if not findings:
        lines.append("✓ no conflicts, no hazards")
    return "\n".join(lines) + "\n"
