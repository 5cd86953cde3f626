"""Free ports that a new service could take without raising any finding."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from portplan.hazards import BROWSER_BAD_PORTS, DEFAULT_EPHEMERAL, PRIVILEGED_BELOW, EphemeralRange
from portplan.model import Plan, PortRange
from portplan.resolve import Scope
from portplan.rules import ReservedLookup


def clean_ports(
    plan: Plan, scope: Scope, ephemeral: Sequence[EphemeralRange] = DEFAULT_EPHEMERAL
) -> Iterator[int]:
    """Ports of the scope, lowest first, that no service uses and no rule would flag.

    Stricter than the rules on one point: a port inside another project's range is skipped
    too, since handing it out would only make the two plans harder to untangle later.
    """
    project = scope.project
    if scope.tier is not None:
        homes = [scope.tier.ports] if project.ports.contains_range(scope.tier.ports) else []
    else:
        homes = [tier.ports for tier in project.tiers] or [project.ports]
    used = {service.port for _, _, service in plan.services()}
    reserved = ReservedLookup(plan.reserved)
    others = [other.ports for other in plan.projects if other is not project]
    candidates = sorted({port for home in homes for port in _clip(home, project.ports)})
    for port in candidates:
        if (
            port in used
            or port < PRIVILEGED_BELOW
            or port in BROWSER_BAD_PORTS
            or reserved.holding(port)
            or any(port in hazard.ports for hazard in ephemeral)
            or any(port in other for other in others)
        ):
            continue
        yield port


def _clip(home: PortRange, bounds: PortRange) -> range:
    return range(max(home.start, bounds.start, 1), min(home.end, bounds.end) + 1)
