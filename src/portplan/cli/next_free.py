"""`portplan next PROJECT[/TIER]`: the next free ports that would raise no finding."""

from __future__ import annotations

import argparse
import itertools
import sys

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
from portplan.resolve import Scope, resolve_scope
from portplan.suggest import FOREIGN, RESERVED, TAKEN, Refusals, clean_ports, refusals
from portplan.terminal import one_line


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


# How each reason that is not a hazard reads, after "N port(s) ".
PASSED_OVER = {
    TAKEN: "taken by the plan's services",
    RESERVED: "in the plan's reserved entries",
    FOREIGN: "inside another project's range",
}


def explain(found: Refusals, scope: Scope) -> list[str]:
    """One line per reason that kept ports of the scope back: held, reserved, another
    project's, each hazard kind (with the way to accept it), and the scope's own shape."""
    lines = [
        f"{found.counts[reason]} port(s) {wording}"
        for reason, wording in PASSED_OVER.items()
        if found.counts[reason]
    ]
    blocked = found.hazards
    lines += [
        f"{count} free port(s) carry {kind} ({rule_for(kind).short.rstrip('.')}): "
        f"hand them out anyway with `--allow {KIND_BY_NAME[kind].allow}`"
        for kind, count in sorted(blocked.items(), key=lambda item: (-item[1], item[0]))
    ]
    project, tier = scope.project, scope.tier
    if found.in_no_tier:
        lines.append(
            f"{found.in_no_tier} port(s) of {one_line(project.name)} ({project.ports}) are in none "
            "of its tiers: next offers tiers' ports only (widen a tier, or add one)"
        )
    if tier is not None and found.tier_outside_project:
        lines.append(
            f"the tier's range {tier.ports} is not inside {one_line(project.name)}'s range "
            f"{project.ports}: next offers none of it until it is"
        )
    return lines


def run(args: argparse.Namespace) -> int:
    path, plan = load_plan(args)
    scope = resolve_scope(plan, args.scope)
    environment = environment_from(args)
    allow = {KIND_BY_ALLOW[name].kind for name in args.allow}
    ports = list(itertools.islice(clean_ports(plan, scope, environment, allow), args.count))
    found = refusals(plan, scope, environment, allow) if len(ports) < args.count else Refusals()
    if args.format == "json":
        result = {
            "scope": scope.path,
            "wanted": args.count,
            "ports": ports,
            "blocked": [
                {"kind": kind, "ports": count, "allow": KIND_BY_NAME[kind].allow}
                for kind, count in sorted(found.hazards.items())
            ],
            "passed_over": {reason: found.counts[reason] for reason in PASSED_OVER},
            "in_no_tier": found.in_no_tier,
            "tier_outside_project": found.tier_outside_project,
        }
        emit(Report("next", str(path), [], result), args.format, quiet=True)
    else:
        for port in ports:
            print(port)
    if len(ports) < args.count:
        some = f"only {len(ports)}" if ports else "no"
        say(
            f"portplan: {scope.path} has {some} free port(s) that raise no finding",
            file=sys.stderr,
        )
        for line in explain(found, scope):
            say(f"  {line}", file=sys.stderr)
        return 1
    return 0
