"""`portplan scan [DIR ...]`: ports in Compose, `.env` and Kubernetes files against the plan.

Exit 0 when clean, 1 when drift is found (an error or warning finding, or a file that could
not be read in full, since then the check is incomplete), 2 for bad arguments. Info findings (a
planned service missing from its project's files) and skipped files (over 1 MiB,
symbolic links out of the folder, templates) do not change the code.
"""

from __future__ import annotations

import argparse
import os
import sys

from portplan.cli.common import (
    Painter,
    add_folder_arguments,
    plural,
    severity_blocks,
    take_plan_from_folders,
)
from portplan.environment import read_environment
from portplan.findings import SEVERITIES
from portplan.report.emit import add_format_argument, emit
from portplan.report.plan_places import load_with_places
from portplan.report.scan_items import scan_report
from portplan.scan import ScanReport, resolve_targets, scan
from portplan.terminal import one_line


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_folder_arguments(parser, "scan")
    add_format_argument(parser)


def run(args: argparse.Namespace) -> int:
    take_plan_from_folders(args)
    path, plan, places = load_with_places(args.plan)
    targets = resolve_targets(plan, path, args.folders, args.project)
    report = scan(plan, targets, read_environment(), workers=_cores())
    if args.format == "text":
        paint = Painter()
        sys.stdout.write(paint.show(render_text(report, paint)))
    else:
        emit(scan_report(report, places), args.format, quiet=args.quiet)
    return 1 if report.drift_found else 0


def _cores() -> int:
    """The cores this process may run on (a container or `taskset` may allow fewer)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def render_text(report: ScanReport, paint: Painter) -> str:
    lines: list[str] = []
    # Built once for the whole report (once per folder, it was a fifth of a large scan).
    flagged = {
        (finding.place, port)
        for finding in report.findings
        if finding.place is not None
        for port in finding.ports
    }
    for folder in report.folders:
        tied = f" → {folder.target.project}" if folder.target.project else " (no project)"
        host = [use for use in folder.uses if use.role == "host"]
        lines.append(
            paint(one_line(f"{folder.target.label}{tied}"), "bold")
            + f": {plural(len(folder.files), 'file')}, {plural(len(host), 'host port')}"
        )
        for use in host:
            ports = use.port_text()
            mark = "✗" if any((use.place, port) in flagged for port in use.ports) else "✓"
            place, context = one_line(str(use.place)), one_line(use.context)
            lines.append(f"  {mark} {place}  {ports}/{use.protocol}  {context}")
        for note in folder.notes:
            style = "warning" if note.level == "warning" else "dim"
            symbol = "⚠" if note.level == "warning" else "·"
            lines.append(f"  {paint(symbol, style)} {one_line(str(note))}")
    summary = report.summary()
    lines += severity_blocks([(d.severity, d.kind, d.text()) for d in report.findings], paint)
    lines.append("")
    counts = ", ".join(plural(summary[severity], severity) for severity in SEVERITIES)
    problems = summary["file_problems"]
    tail = f"; {plural(problems, 'file problem')}" if problems else ""
    verdict = "drift found" if report.drift_found else "✓ files agree with the plan"
    lines.append(f"{verdict}: {counts}{tail}")
    return "\n".join(lines) + "\n"
