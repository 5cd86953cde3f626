"""Free ports that a new service could take without raising any finding, and why the others
of a scope were passed over.

Whether a port is held, reserved or has a hazard is asked of `portfacts`; this module adds
only the choice of where to look and in which order, and one verdict per port that both the
ports handed out and the explanation of the rest come from.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field

from portplan.environment import DEFAULT_ENVIRONMENT, EnvironmentLike
from portplan.model import Plan, PortRange
from portplan.portfacts import PortFacts
from portplan.resolve import Scope

# Why a port of the scope is not free, before any hazard is asked about.
TAKEN = "taken"
RESERVED = "reserved"
FOREIGN = "other-project"
_NOT_FREE = (TAKEN, RESERVED, FOREIGN)


@dataclass
class Refusals:
    """Every reason `next` passed over ports of a scope, with how many ports each kept back."""

    # TAKEN, RESERVED, FOREIGN, or a hazard kind (a port with two hazards counts for both)
    counts: Counter[str] = field(default_factory=Counter)
    # Ports of the project that no tier holds: `next` on a project offers only tiers' ports.
    in_no_tier: int = 0
    # The tier asked about lies (partly) outside its project's range: none of it is offered.
    tier_outside_project: bool = False

    @property
    def hazards(self) -> Counter[str]:
        """The hazard kinds among the reasons."""
        return Counter({k: n for k, n in self.counts.items() if k not in _NOT_FREE})


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
    verdicts = _Verdicts(plan, scope, PortFacts(plan, ephemeral), allow)
    for port in _candidates(scope):
        if not verdicts.reasons(port):
            yield port


def refusals(
    plan: Plan,
    scope: Scope,
    ephemeral: EnvironmentLike = DEFAULT_ENVIRONMENT,
    allow: Collection[str] = (),
) -> Refusals:
    """Why each port of the scope that `clean_ports` does not hand out was passed over."""
    verdicts = _Verdicts(plan, scope, PortFacts(plan, ephemeral), allow)
    found = Refusals()
    for port in _candidates(scope):
        found.counts.update(verdicts.reasons(port))
    project, tier = scope.project, scope.tier
    if tier is not None:
        found.tier_outside_project = not project.ports.contains_range(tier.ports)
    elif project.tiers:
        found.in_no_tier = len(_clip(project.ports, project.ports)) - len(_candidates(scope))
    return found


class _Verdicts:
    """The one verdict on a port of the scope: the reasons not to hand it out (none: clean)."""

    def __init__(self, plan: Plan, scope: Scope, facts: PortFacts, allow: Collection[str]):
        self.facts, self.project, self.allow = facts, scope.project, allow
        self.others = [other.ports for other in plan.projects if other is not scope.project]

    def reasons(self, port: int) -> list[str]:
        facts = self.facts
        if facts.holders(port):
            return [TAKEN]
        if facts.reserved(port):
            return [RESERVED]
        if any(port in other for other in self.others):
            return [FOREIGN]
        # A new service is TCP unless its user says otherwise.
        kinds = (h.kind for h in facts.refusing(port, "tcp", self.project))
        return list(dict.fromkeys(kind for kind in kinds if kind not in self.allow))


def _candidates(scope: Scope) -> list[int]:
    """The scope's ports `next` considers: its tier's, or every tier's of its project (the
    project's own range when it has no tiers), within the project's range."""
    project = scope.project
    if scope.tier is not None:
        homes = [scope.tier.ports] if project.ports.contains_range(scope.tier.ports) else []
    else:
        homes = [tier.ports for tier in project.tiers] or [project.ports]
    return sorted({port for home in homes for port in _clip(home, project.ports)})


def _clip(home: PortRange, bounds: PortRange) -> range:
    return range(max(home.start, bounds.start, 1), min(home.end, bounds.end) + 1)
