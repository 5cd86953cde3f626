"""`portplan check`: every finding of a plan; exit 1 when any is an error (for CI)."""

from __future__ import annotations

import argparse
import sys

from portplan.analysis import analyze
from portplan.cli.common import (
    Painter,
    add_plan_argument,
    load_plan,
    plural,
    print_json,
    severity_blocks,
)
from portplan.findings import SEVERITIES, Finding, summarize
from portplan.gcpause import collector_paused
from portplan.hazards import ephemeral_ranges


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_plan_argument(parser)
    parser.add_argument("--format", choices=("text", "json"), default="text")


def run(args: argparse.Namespace) -> int:
    # One pause over the whole command: were the collector re-enabled between loading,
    # analysing and reporting, its next pass would walk the whole fresh plan (see gcpause).
    with collector_paused():
        return _check_and_report(args)


def _check_and_report(args: argparse.Namespace) -> int:
    path, plan = load_plan(args)
    findings = analyze(plan, ephemeral_ranges(live=True))
    summary = summarize(findings)
    if args.format == "json":
        document = {
            "plan": str(path),
            "findings": [finding.as_dict() for finding in findings],
            "summary": summary,
        }
        print_json(document)
    else:
        sys.stdout.write(render_text(str(path), findings, Painter()))
    return 1 if summary["error"] else 0


def render_text(label: str, findings: list[Finding], paint: Painter) -> str:
    summary = summarize(findings)
    counts = ", ".join(plural(summary[severity], severity) for severity in SEVERITIES)
    lines = [f"{paint(label, 'bold')}: {counts}"]
    lines += severity_blocks([(f.severity, f.kind, f.message) for f in findings], paint)
    if not findings:
        lines.append("✓ no conflicts, no hazards")
    return "\n".join(lines) + "\n"
