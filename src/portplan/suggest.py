"""Free ports that a new service could take without raising any finding.

Whether a port is held, reserved or has a hazard is asked of `portfacts`; this module adds
only the choice of where to look and in which order.
"""

from __future__ import annotations

from collections.abc import Iterator

from portplan.environment import DEFAULT_ENVIRONMENT, EnvironmentLike
from portplan.model import Plan, PortRange
from portplan.portfacts import PortFacts
from portplan.resolve import Scope


def clean_ports(
    plan: Plan, scope: Scope, ephemeral: EnvironmentLike = DEFAULT_ENVIRONMENT
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
    facts = PortFacts(plan, ephemeral)
    others = [other.ports for other in plan.projects if other is not project]
    candidates = sorted({port for home in homes for port in _clip(home, project.ports)})
    for port in candidates:
        # A new service is TCP unless its user says otherwise.
        if facts.is_clean_for_a_new_service(port, "tcp", project) and not any(
            port in other for other in others
        ):
            yield port


def _clip(home: PortRange, bounds: PortRange) -> range:
    return range(max(home.start, bounds.start, 1), min(home.end, bounds.end) + 1)
