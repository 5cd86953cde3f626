"""`portplan next PROJECT[/TIER]`: the next free ports that would raise no finding."""

from __future__ import annotations

import argparse
import itertools
import sys
from collections import Counter

from portplan.catalog import rule_for
from portplan.cli.common import (
    add_environment_arguments,
    add_plan_argument,
    environment_from,
    load_plan,
    positive_count,
    say,
)
from portplan.portfacts import KIND_BY_ALLOW, KIND_BY_NAME
from portplan.report.emit import add_format_argument, emit
from portplan.report.items import Report
from portplan.resolve import resolve_scope
from portplan.suggest import clean_ports, refusals


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scope", metavar="PROJECT[/TIER]", help="where the port is wanted")
    parser.add_argument(
        "-n", dest="count", type=positive_count, default=1, help="how many ports (default 1)"
    )
    add_plan_argument(parser)
    add_format_argument(parser, ("text", "json"))
    add_environment_arguments(parser)
    parser.add_argument(
        "--allow",
        action="append",
        default=[],
        metavar="HAZARD",
        choices=sorted(KIND_BY_ALLOW),
        help="hand out ports with this hazard too (repeatable): "
        + ", ".join(sorted(KIND_BY_ALLOW)),
    )


def explain(blocked: Counter[str]) -> list[str]:
    """One line per hazard kind that kept free ports back, with the way to accept it."""
    return [
        f"{count} free port(s) carry {kind} ({rule_for(kind).short.rstrip('.')}): "
        f"hand them out anyway with `--allow {KIND_BY_NAME[kind].allow}`"
        for kind, count in sorted(blocked.items(), key=lambda item: (-item[1], item[0]))
    ]


def run(args: argparse.Namespace) -> int:
    path, plan = load_plan(args)
    scope = resolve_scope(plan, args.scope)
    environment = environment_from(args)
    allow = {KIND_BY_ALLOW[name].kind for name in args.allow}
    ports = list(itertools.islice(clean_ports(plan, scope, environment, allow), args.count))
    blocked = refusals(plan, scope, environment, allow) if len(ports) < args.count else Counter()
    if args.format == "json":
        result = {
            "scope": scope.path,
            "wanted": args.count,
            "ports": ports,
            "blocked": [
                {"kind": kind, "ports": count, "allow": KIND_BY_NAME[kind].allow}
                for kind, count in sorted(blocked.items())
            ],
        }
        emit(Report("next", str(path), [], result), args.format, quiet=True)
    else:
        for port in ports:
            print(port)
    if len(ports) < args.count:
        found = f"only {len(ports)}" if ports else "no"
        say(
            f"portplan: {scope.path} has {found} free port(s) that raise no finding",
            file=sys.stderr,
        )
        for line in explain(blocked):
            say(f"  {line}", file=sys.stderr)
        if not blocked:
            say("  every other port is taken, reserved or another project's", file=sys.stderr)
        return 1
    return 0
