"""What the plan and the world say about one port: who holds it, what reserves it, and what
makes it a poor choice (with the sentence that says so and where the fact comes from).

This is the one place that decides "port N over protocol P has hazard X": the rules, `next`,
the scanner's drift verdicts, the port map and the dialogs' previews all ask here, so they
cannot drift apart. The facts themselves (the Fetch standard's bad ports, the OS ephemeral
ranges, the platforms' own listeners) stay as cited data in `hazards` and `occupants`; what the
machine reserves is read by `os_reservations` and handed in as an `Environment`. A hazard of a
platform (macOS, Windows, a Kubernetes node …) applies only to projects meant for it
(`platforms = [...]` on the plan or the project). The kinds of hazard are a registry in
`hazard_kinds` (a new kind is one entry there, and every view shows it); the table that finds
hazards by port lives in `hazard_table`.
"""

from __future__ import annotations

import functools
from collections import defaultdict

from portplan.environment import DEFAULT_ENVIRONMENT, Environment, EnvironmentLike, as_environment
from portplan.hazard_kinds import HAZARD_KINDS, KIND_BY_ALLOW, KIND_BY_NAME, HazardKind, headline
from portplan.hazard_table import (
    ANY_PROTOCOL,
    TCP,
    Hazard,
    HazardTable,
    ReservedLookup,
    describe_reserved,
)
from portplan.hazards import DEFAULT_PLATFORMS
from portplan.model import Plan, Project, Reserved, Service, ServiceRef, Tier
from portplan.records import record

# Re-exported: the views ask this module, not the mechanics under it.
__all__ = [
    "ANY_PROTOCOL",
    "HAZARD_KINDS",
    "KIND_BY_ALLOW",
    "KIND_BY_NAME",
    "TCP",
    "Hazard",
    "HazardKind",
    "HazardTable",
    "PortFact",
    "PortFacts",
    "ReservedLookup",
    "describe_reserved",
    "effective_platforms",
    "hazard_table",
    "headline",
]


def effective_platforms(plan: Plan, project: Project | None = None) -> frozenset[str]:
    """The platforms a project is meant for: its own list, else the plan's, else the default."""
    if project is not None and project.platforms:
        return frozenset(project.platforms)
    return frozenset(plan.platforms) if plan.platforms else DEFAULT_PLATFORMS


def hazard_table(
    environment: EnvironmentLike = DEFAULT_ENVIRONMENT,
    kinds: tuple[HazardKind, ...] = HAZARD_KINDS,
) -> HazardTable:
    """The hazards of `kinds` in this environment (the same few tables all session)."""
    return _hazard_table(as_environment(environment), kinds)


@functools.cache
def _hazard_table(environment: Environment, kinds: tuple[HazardKind, ...]) -> HazardTable:
    return HazardTable(h for kind in kinds for h in kind.hazards(environment))


@record
class Holder:
    """A service on a port, with its place in the plan."""

    project: Project
    tier: Tier
    service: Service

    @property
    def ref(self) -> ServiceRef:
        return ServiceRef(self.project.name, self.tier.name, self.service.name)

    @property
    def path(self) -> str:
        return str(self.ref)


@record
class PortFact:
    """One hazard of a port as `where` and the planner's details list it: over which
    protocols it holds (the same sentence over TCP and UDP is one fact)."""

    hazard: Hazard
    protocols: tuple[str, ...]

    @property
    def kind(self) -> HazardKind:
        return KIND_BY_NAME[self.hazard.kind]


class PortFacts:
    """The answers about any port of one plan in one environment, built once and asked often.

    The services-by-port index is built on the first question that needs it: the port map
    asks only about reserved entries and hazards, and must not walk 60,000 services to do so.
    """

    def __init__(self, plan: Plan, environment: EnvironmentLike = DEFAULT_ENVIRONMENT) -> None:
        self.plan = plan
        self.environment = as_environment(environment)
        self.table = hazard_table(self.environment)
        self._reserved = ReservedLookup(plan.reserved)
        self._holders: dict[int, list[Holder]] | None = None
        self._holding: dict[int, list[Project]] = {}
        self._bounds: list[tuple[int, int, Project]] | None = None

    def platforms(self, port: int, project: Project | None = None) -> frozenset[str]:
        """The platforms that count at `port`: the given project's, else those of every
        project whose range holds the port, else the plan's."""
        if project is not None:
            return effective_platforms(self.plan, project)
        holding = self.projects_holding(port)
        if not holding:
            return effective_platforms(self.plan)
        return frozenset().union(*(effective_platforms(self.plan, p) for p in holding))

    def hazards(
        self, port: int, protocol: str = "tcp", project: Project | None = None
    ) -> list[Hazard]:
        """Every hazard of `port` over `protocol` (a new service is TCP unless said) on the
        platforms of `project` (or of the projects holding the port)."""
        found = self.table.at(port, protocol)
        if not found or all(hazard.platforms is None for hazard in found):
            return found
        platforms = self.platforms(port, project)
        return [hazard for hazard in found if hazard.applies_to(platforms)]

    def facts(self, port: int) -> list[PortFact]:
        """Every hazard of `port` over either protocol, on the platforms that count there: the
        one list `where` prints and the planner's details show."""
        found: dict[tuple[str, str], tuple[Hazard, list[str]]] = {}
        for protocol in ("tcp", "udp"):
            for hazard in self.hazards(port, protocol):
                known = found.setdefault((hazard.kind, hazard.reason), (hazard, []))
                known[1].append(protocol)
        return [PortFact(hazard, tuple(protocols)) for hazard, protocols in found.values()]

    def refusing(
        self, port: int, protocol: str = "tcp", project: Project | None = None
    ) -> list[Hazard]:
        """The hazards that make `next` pass a port over (not the ones that say it is safe)."""
        return [h for h in self.hazards(port, protocol, project) if KIND_BY_NAME[h.kind].refuses]

    def reserved(self, port: int) -> list[Reserved]:
        return self._reserved.holding(port)

    def holders(self, port: int, protocol: str | None = None) -> list[Holder]:
        """The services on `port` (over `protocol`, or over either), in plan order."""
        if self._holders is None:
            self._holders = defaultdict(list)
            for project, tier, service in self.plan.services():
                self._holders[service.port].append(Holder(project, tier, service))
        held = self._holders.get(port, [])
        return [h for h in held if protocol is None or h.service.protocol == protocol]

    def projects_holding(self, port: int) -> list[Project]:
        """The projects whose range holds `port` (remembered: a scan asks once per use)."""
        if (known := self._holding.get(port)) is None:
            if self._bounds is None:  # `port in project.ports`, without a call per project
                self._bounds = [(p.ports.start, p.ports.end, p) for p in self.plan.projects]
            known = [project for start, end, project in self._bounds if start <= port <= end]
            self._holding[port] = known
        return known

    def tiers_holding(self, port: int) -> list[tuple[Project, Tier]]:
        return [
            (project, tier)
            for project in self.plan.projects
            for tier in project.tiers
            if port in tier.ports
        ]

    def is_clean_for_a_new_service(
        self, port: int, protocol: str = "tcp", project: Project | None = None
    ) -> bool:
        """True when a new service on `port` would be on no one's port, reserved entry or
        hazard (what `next` and the reserve dialog's suggestion hand out)."""
        return not (
            self.holders(port) or self.reserved(port) or self.refusing(port, protocol, project)
        )
