"""`portplan where PORT`: who owns a port, and every finding that touches it."""

from __future__ import annotations

import argparse

from portplan.analysis import analyze
from portplan.cli.common import Painter, add_plan_argument, load_plan, parse_port
from portplan.findings import SYMBOLS
from portplan.hazards import ephemeral_ranges
from portplan.model import Plan
from portplan.rules import ReservedLookup


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("port", help="a port number")
    add_plan_argument(parser)


def owners(plan: Plan, port: int) -> list[str]:
    """One line per owner: services on the port, tiers and projects whose range holds it,
    and reserved entries."""
    lines: list[str] = []
    for project, tier, service in plan.services():
        if service.port == port:
            text = f"service   {project.name}/{tier.name}/{service.name} ({service.protocol})"
            if service.description:
                text += f" — {service.description}"
            lines.append(text)
    for project in plan.projects:
        for tier in project.tiers:
            if port in tier.ports:
                lines.append(f"tier      {project.name}/{tier.name} ({tier.ports})")
        if port in project.ports:
            lines.append(f"project   {project.name} ({project.ports})")
    for entry in ReservedLookup(plan.reserved).holding(port):
        lines.append(f"reserved  {entry.ports} ({entry.reason})")
    return lines


def run(args: argparse.Namespace) -> int:
    port = parse_port(args.port)
    _, plan = load_plan(args)
    found = owners(plan, port)
    paint = Painter()
    if not found:
        print(f"port {port}: nobody in the plan owns it")
        return 1
    print(paint(f"port {port}", "bold"))
    for line in found:
        print(f"  {line}")
    service_paths = {
        f"{project.name}/{tier.name}/{service.name}"
        for project, tier, service in plan.services()
        if service.port == port
    }
    touching = [
        finding
        for finding in analyze(plan, ephemeral_ranges(live=True))
        if port in finding.ports or service_paths.intersection(finding.subjects)
    ]
    if touching:
        print(paint("findings", "bold"))
        for finding in touching:
            print(f"  {paint(SYMBOLS[finding.severity], finding.severity)} {finding.message}")
    return 0
