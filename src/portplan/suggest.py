"""Free ports that a new service could take without raising any finding.

Whether a port is held, reserved or has a hazard is asked of `portfacts`; this module adds
only the choice of where to look and in which order.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterator

from portplan.environment import DEFAULT_ENVIRONMENT, EnvironmentLike
from portplan.model import Plan, PortRange
from portplan.portfacts import PortFacts
from portplan.resolve import Scope


def clean_ports(
    plan: Plan,
    scope: Scope,
    ephemeral: EnvironmentLike = DEFAULT_ENVIRONMENT,
    allow: Collection[str] = (),
) -> Iterator[int]:
    """Ports of the scope, lowest first, that no service uses and no rule would flag.

    Stricter than the rules on one point: a port inside another project's range is skipped
    too, since handing it out would only make the two plans harder to untangle later.
    Hazards of the kinds in `allow` (kind names) do not make a port unclean.
    """
    facts = PortFacts(plan, ephemeral)
    for port in _free_ports(plan, scope, facts):
        if all(h.kind in allow for h in facts.refusing(port, "tcp", scope.project)):
            yield port


def refusals(
    plan: Plan,
    scope: Scope,
    ephemeral: EnvironmentLike = DEFAULT_ENVIRONMENT,
    allow: Collection[str] = (),
) -> Counter[str]:
    """For each hazard kind, how many of the scope's free ports it alone keeps `next` from
    handing out (a port with two hazards counts for both)."""
    facts = PortFacts(plan, ephemeral)
    counts: Counter[str] = Counter()
    for port in _free_ports(plan, scope, facts):
        counts.update({h.kind for h in facts.refusing(port, "tcp", scope.project)} - set(allow))
    return counts


def _free_ports(plan: Plan, scope: Scope, facts: PortFacts) -> Iterator[int]:
    """The scope's ports that nobody holds, nothing reserves and no other project owns."""
    project = scope.project
    if scope.tier is not None:
        homes = [scope.tier.ports] if project.ports.contains_range(scope.tier.ports) else []
    else:
        homes = [tier.ports for tier in project.tiers] or [project.ports]
    others = [other.ports for other in plan.projects if other is not project]
    candidates = sorted({port for home in homes for port in _clip(home, project.ports)})
    for port in candidates:
        # A new service is TCP unless its user says otherwise.
        if not (facts.holders(port) or facts.reserved(port)) and not any(
            port in other for other in others
        ):
            yield port


def _clip(home: PortRange, bounds: PortRange) -> range:
    return range(max(home.start, bounds.start, 1), min(home.end, bounds.end) + 1)
