"""`portplan next PROJECT[/TIER]`: the next free ports that would raise no finding."""

from __future__ import annotations

import argparse
import itertools
import sys

from portplan.cli.common import (
    add_environment_arguments,
    add_plan_argument,
    environment_from,
    load_plan,
    positive_count,
    say,
)
from portplan.report.emit import add_format_argument, emit
from portplan.report.items import Report
from portplan.resolve import resolve_scope
from portplan.suggest import clean_ports


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scope", metavar="PROJECT[/TIER]", help="where the port is wanted")
    parser.add_argument(
        "-n", dest="count", type=positive_count, default=1, help="how many ports (default 1)"
    )
    add_plan_argument(parser)
    add_format_argument(parser, ("text", "json"))
    add_environment_arguments(parser)


def run(args: argparse.Namespace) -> int:
    path, plan = load_plan(args)
    scope = resolve_scope(plan, args.scope)
    ports = list(itertools.islice(clean_ports(plan, scope, environment_from(args)), args.count))
    if args.format == "json":
        result = {"scope": scope.path, "wanted": args.count, "ports": ports}
        emit(Report("next", str(path), [], result), args.format, quiet=True)
    else:
        for port in ports:
            print(port)
    if len(ports) < args.count:
        found = f"only {len(ports)}" if ports else "no"
        say(
            f"portplan: {scope.path} has {found} free port(s) that raise no finding "
            "(see `portplan check` for what blocks the rest)",
            file=sys.stderr,
        )
        return 1
    return 0
