"""`portplan probe [PLAN]`: the sockets listening on this machine, matched to the plan.

Exit 0 normally, also when planned ports are in use (that is what a running stack looks
like) or a process name looks unexpected (info: names differ too often to fail on them);
exit 1 when something the plan does not know listens inside a project's range, since the
planned service that later asks for that port would fail to start; exit 2 for a bad plan.
"""

from __future__ import annotations

import argparse
import sys

from portplan.bindings import bind_text
from portplan.cli.common import (
    Painter,
    add_plan_argument,
    finding_line,
)
from portplan.probe import ProbeReport, probe
from portplan.report.emit import add_format_argument, emit
from portplan.report.plan_places import load_with_places
from portplan.report.scan_items import probe_report
from portplan.terminal import one_line


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_plan_argument(parser)
    add_format_argument(parser)


def run(args: argparse.Namespace) -> int:
    _, plan, places = load_with_places(args.plan)
    report = probe(plan)
    if args.format == "text":
        paint = Painter()
        sys.stdout.write(paint.show(render_text(report, paint)))
    else:
        emit(probe_report(report, places), args.format, quiet=args.quiet)
    return 1 if report.unplanned_in_ranges else 0


def render_text(report: ProbeReport, paint: Painter) -> str:
    tcp = sum(1 for listener in report.listeners if listener.protocol == "tcp")
    udp = len(report.listeners) - tcp
    noun = "socket" if len(report.listeners) == 1 else "sockets"
    lines = [paint(f"{len(report.listeners)} listening {noun} ({tcp} TCP, {udp} UDP)", "bold")]
    lines.append("")
    if report.in_use:
        lines.append(paint(f"planned ports in use: {len(report.in_use)}", "bold"))
        for entry in report.in_use:
            addresses = ", ".join(sorted({listener.address for listener in entry.listeners}))
            planned = f"{bind_text(entry.bind)}:{entry.port}" if entry.bind else str(entry.port)
            lines.append(
                f"  ● {planned}/{entry.protocol}  {one_line(str(entry.service))}  ← "
                f"{one_line(', '.join(entry.processes()))} on {addresses}"
            )
    else:
        lines.append("no planned port is in use")
    if report.findings:
        lines.append("")
        lines.extend(
            finding_line(finding.severity, finding.kind, finding.message, paint)
            for finding in report.findings
        )
    if report.blind_spots:
        lines.append("")
        lines.append(paint("could not see:", "bold"))
        for sentence in report.blind_spots:
            lines.append(f"  · {one_line(sentence)}")
    return "\n".join(lines) + "\n"
