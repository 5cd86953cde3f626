"""`portplan where PORT`: who owns a port, and every finding that touches it."""

from __future__ import annotations

import argparse

from portplan.analysis import analyze
from portplan.cli.common import (
    Painter,
    add_environment_arguments,
    add_plan_argument,
    environment_from,
    parse_port,
    say,
)
from portplan.environment import Environment
from portplan.findings import SYMBOLS
from portplan.model import Plan
from portplan.portfacts import PortFacts
from portplan.report.emit import add_format_argument, emit
from portplan.report.items import Report
from portplan.report.plan_places import load_with_places
from portplan.terminal import one_line


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("port", help="a port number")
    add_plan_argument(parser)
    add_format_argument(parser)
    add_environment_arguments(parser)


def owner_records(plan: Plan, port: int) -> list[dict[str, str]]:
    """Services on the port, tiers and projects whose range holds it, and reserved entries."""
    facts = PortFacts(plan)
    records: list[dict[str, str]] = []
    for holder in facts.holders(port):
        records.append(
            {
                "role": "service",
                "subject": holder.path,
                "protocol": holder.service.protocol,
                "description": holder.service.description,
            }
        )
    for project in plan.projects:
        for tier in project.tiers:
            if port in tier.ports:
                subject = f"{project.name}/{tier.name}"
                records.append({"role": "tier", "subject": subject, "ports": str(tier.ports)})
        if port in project.ports:
            ports = str(project.ports)
            records.append({"role": "project", "subject": project.name, "ports": ports})
    for entry in facts.reserved(port):
        records.append({"role": "reserved", "ports": str(entry.ports), "reason": entry.reason})
    return records


def owner_line(record: dict[str, str]) -> str:
    role = record["role"]
    if role == "service":
        text = f"service   {one_line(record['subject'])} ({record['protocol']})"
        return text + (f" — {one_line(record['description'])}" if record["description"] else "")
    if role == "reserved":
        return f"reserved  {record['ports']} ({one_line(record['reason'])})"
    return f"{role.ljust(9)} {one_line(record['subject'])} ({record['ports']})"


def fact_records(plan: Plan, port: int, environment: Environment) -> list[dict[str, str]]:
    """Every hazard of the port over either protocol, on the platforms that count there."""
    return [
        {
            "kind": fact.hazard.kind,
            "severity": fact.hazard.severity,
            "reason": fact.hazard.reason,
            "protocols": ", ".join(fact.protocols),
            "source": fact.hazard.source,
        }
        for fact in PortFacts(plan, environment).facts(port)
    ]


def state_of(found: list[dict[str, str]]) -> str:
    roles = {record["role"] for record in found}
    return "taken" if "service" in roles else "reserved" if "reserved" in roles else "free"


def run(args: argparse.Namespace) -> int:
    port = parse_port(args.port)
    environment = environment_from(args)
    path, plan, places = load_with_places(args.plan)
    found = owner_records(plan, port)
    service_paths = {record["subject"] for record in found if record["role"] == "service"}
    touching = [
        finding
        for finding in analyze(plan, environment)
        if port in finding.ports or service_paths.intersection(finding.subjects)
    ]
    facts = fact_records(plan, port, environment)
    state = state_of(found)
    if args.format != "text":
        items = [places.item(finding) for finding in touching]
        result = {"port": port, "state": state, "owners": found, "facts": facts}
        report = Report("where", str(path), items, result)
        emit(report, args.format, quiet=args.quiet)
        return 0 if found else 1
    paint = Painter()
    if not found:
        say(f"port {port}: free, nobody in the plan owns it")
        _say_facts(port, facts, paint)
        return 1
    say(paint(f"port {port}: {state}", "bold"))
    for record in found:
        say(f"  {owner_line(record)}")
    if touching:
        say(paint("findings", "bold"))
        for finding in touching:
            symbol = paint(SYMBOLS[finding.severity], finding.severity)
            say(f"  {symbol} {one_line(finding.message)}")
    _say_facts(port, facts, paint)
    return 0


def _say_facts(port: int, facts: list[dict[str, str]], paint: Painter) -> None:
    if not facts:
        return
    say(paint("facts", "bold"))
    for fact in facts:
        symbol = paint(SYMBOLS[fact["severity"]], fact["severity"])  # type: ignore[index]
        reason = one_line(fact["reason"])
        say(f"  {symbol} port {port} {reason} ({fact['protocols']})  [{fact['kind']}]")
