"""The plan flattened once per analysis, so that no rule walks the plan tree on its own.

Also the small helpers the rules share to name subjects and ranges the same way.
"""

from __future__ import annotations

from typing import NamedTuple

from portplan.environment import EnvironmentLike, as_environment
from portplan.model import Plan, PortRange, Project, Service, Tier, subject
from portplan.portfacts import (
    HAZARD_KINDS,
    Hazard,
    HazardKind,
    HazardTable,
    effective_platforms,
    hazard_table,
)


class Entry(NamedTuple):
    """One service with its place, flattened for sweeping (a tuple: cheap at 60,000)."""

    port: int
    protocol: str
    project: Project
    tier: Tier
    service: Service
    path: str


class PlanIndex:
    # A plain class rather than a dataclass: generating a dataclass's methods costs about 1%
    # of a `portplan check` of a small plan.
    __slots__ = ("_platforms", "_uniform", "entries", "ephemeral", "kinds", "plan")

    def __init__(
        self,
        plan: Plan,
        ephemeral: EnvironmentLike,
        entries: list[Entry] | None = None,
        kinds: tuple[HazardKind, ...] = HAZARD_KINDS,
    ) -> None:
        self.plan = plan
        self.ephemeral = ephemeral  # the environment the hazards are read in
        self.entries: list[Entry] = [] if entries is None else entries
        self.kinds = kinds  # the hazard registry the rules consult
        self._platforms: dict[str, frozenset[str]] = {}
        self._uniform: tuple[frozenset[str], ...] | None = None  # (the one set,), () if not

    @classmethod
    def build(cls, plan: Plan, ephemeral: EnvironmentLike) -> PlanIndex:
        index = cls(plan, ephemeral)
        append = index.entries.append
        # tuple.__new__ skips the NamedTuple's Python-level __new__: a third of the build
        # time at 60,000 services, for the same Entry.
        new = tuple.__new__
        for project in plan.projects:
            for tier in project.tiers:
                prefix = f"{project.name}/{tier.name}/"
                for service in tier.services:
                    append(
                        new(
                            Entry,
                            (
                                service.port,
                                service.protocol,
                                project,
                                tier,
                                service,
                                prefix + service.name,
                            ),
                        )
                    )
        return index

    @property
    def hazards(self) -> HazardTable:
        """The hazards of this index's environment (one cached table per environment)."""
        return hazard_table(as_environment(self.ephemeral), self.kinds)

    def platforms_of(self, project: Project) -> frozenset[str]:
        """The platforms whose facts apply to `project` (worked out once per project)."""
        found = self._platforms.get(project.name)
        if found is None:
            found = self._platforms[project.name] = effective_platforms(self.plan, project)
        return found

    def holding_hazard(self, hazard: Hazard, entries: list[Entry]) -> list[Entry]:
        """The entries whose project is meant for a platform where `hazard` holds: most plans
        give every project the same platforms, and then the answer is all or none."""
        if hazard.platforms is None:
            return entries
        if self._uniform is None:
            sets = {self.platforms_of(project) for project in self.plan.projects}
            self._uniform = (next(iter(sets)),) if len(sets) == 1 else ()
        if self._uniform:
            return entries if hazard.applies_to(self._uniform[0]) else []
        return [entry for entry in entries if hazard.applies_to(self.platforms_of(entry.project))]


def project_path(project: Project) -> str:
    return subject(project.name)


def tier_path(project: Project, tier: Tier) -> str:
    return subject(project.name, tier.name)


def overlap(a: PortRange, b: PortRange) -> PortRange:
    return PortRange(max(a.start, b.start), min(a.end, b.end))


def range_ports(ports: PortRange) -> tuple[int, ...]:
    return (ports.start,) if ports.start == ports.end else (ports.start, ports.end)
