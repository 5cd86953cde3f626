"""The rules table. Each rule is a small object: a stable `kind`, a severity, and `check`.

Rules are near-linear: a dict keyed by port for collisions, sort-and-sweep for ranges,
bisect for reserved lookups. None of them compares all pairs. Whether a port is reserved or
has a hazard is asked of `portfacts`; the hazard rules are one `HazardRule` per entry of its
registry.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import ClassVar, Protocol, TypeVar

from portplan.bindings import address_key, is_all_interfaces
from portplan.findings import Finding, Severity
from portplan.model import PortRange, Project, Reserved
from portplan.plan_index import Entry, PlanIndex, overlap, project_path, range_ports, tier_path
from portplan.portfacts import HAZARD_KINDS, Hazard, HazardKind, ReservedLookup, describe_reserved


class Rule(Protocol):
    @property
    def kind(self) -> str: ...
    @property
    def severity(self) -> Severity: ...
    @property
    def summary(self) -> str: ...

    def check(self, index: PlanIndex) -> Iterable[Finding]: ...


T = TypeVar("T")


def overlapping_pairs(items: Sequence[tuple[PortRange, T]]) -> Iterator[tuple[T, T, PortRange]]:
    """Every pair of overlapping ranges, by sort and sweep: O(n log n + pairs reported)."""
    active: list[tuple[PortRange, T]] = []
    for ports, item in sorted(items, key=lambda pair: (pair[0].start, pair[0].end)):
        active = [(other, owner) for other, owner in active if other.end >= ports.start]
        for other, owner in active:
            yield owner, item, overlap(other, ports)
        active.append((ports, item))


# The rules below are plain classes, not dataclasses: they hold no state, and generating
# dataclass methods for twelve of them costs ~3 ms of every `portplan check` start.
class DuplicatePort:
    kind: ClassVar[str] = "duplicate-port"
    severity: ClassVar[Severity] = "error"
    summary: ClassVar[str] = "two services on the same port and protocol"

    def check(self, index: PlanIndex) -> Iterator[Finding]:
        # Nearly every port has one owner: keep the first owner in a dict per protocol and
        # build a list only on a clash, rather than a key tuple and a list per service.
        first_owner: dict[str, dict[int, Entry]] = defaultdict(dict)
        clashes: dict[tuple[int, str], list[Entry]] = {}
        for entry in index.entries:
            port, protocol = entry.port, entry.protocol
            owners = first_owner[protocol]
            owner = owners.get(port)
            if owner is None:
                owners[port] = entry
            elif (port, protocol) in clashes:
                clashes[port, protocol].append(entry)
            else:
                clashes[port, protocol] = [owner, entry]
        for (port, protocol), entries in clashes.items():
            for group in colliding_groups(entries):
                paths = [entry.path for entry in group]
                yield Finding(
                    self.severity,
                    self.kind,
                    f"port {port}/{protocol} is taken by {len(paths)} services: {', '.join(paths)}",
                    (port,),
                    tuple(paths),
                )


def colliding_groups(entries: list[Entry]) -> list[list[Entry]]:
    """The services of one port and protocol that cannot all hold it, as groups of two or more.

    A service bound on every interface collides with all the others, so they are one group;
    otherwise services collide only with those bound on the same address (`bindings`).
    """
    if any(is_all_interfaces(entry.service.bind) for entry in entries):
        return [entries]
    by_address: dict[str, list[Entry]] = defaultdict(list)
    for entry in entries:
        by_address[address_key(entry.service.bind)].append(entry)
    return [group for group in by_address.values() if len(group) > 1]


class ServiceOutsideProject:
    kind: ClassVar[str] = "service-outside-project"
    severity: ClassVar[Severity] = "error"
    summary: ClassVar[str] = "a service outside its project's range"

    def check(self, index: PlanIndex) -> Iterator[Finding]:
        for entry in index.entries:
            ports = entry.project.ports
            if not ports.start <= entry.port <= ports.end:
                yield Finding(
                    self.severity,
                    self.kind,
                    f"{entry.path}: port {entry.port} is outside its project "
                    f"{entry.project.name} ({ports})",
                    (entry.port,),
                    (entry.path,),
                )


class ServiceOutsideTier:
    """Outside the tier but inside the project; outside the project is the stronger finding."""

    kind: ClassVar[str] = "service-outside-tier"
    severity: ClassVar[Severity] = "error"
    summary: ClassVar[str] = "a service outside its tier's range"

    def check(self, index: PlanIndex) -> Iterator[Finding]:
        for entry in index.entries:
            tier, project = entry.tier.ports, entry.project.ports
            if (
                not tier.start <= entry.port <= tier.end
                and project.start <= entry.port <= project.end
            ):
                yield Finding(
                    self.severity,
                    self.kind,
                    f"{entry.path}: port {entry.port} is outside its tier "
                    f"{entry.tier.name} ({tier})",
                    (entry.port,),
                    (entry.path,),
                )


class TierOutsideProject:
    kind: ClassVar[str] = "tier-outside-project"
    severity: ClassVar[Severity] = "error"
    summary: ClassVar[str] = "a tier range not inside its project's range"

    def check(self, index: PlanIndex) -> Iterator[Finding]:
        for project in index.plan.projects:
            for tier in project.tiers:
                if not project.ports.contains_range(tier.ports):
                    yield Finding(
                        self.severity,
                        self.kind,
                        f"{tier_path(project, tier)}: tier range {tier.ports} is not inside "
                        f"project {project.name}'s range {project.ports}",
                        range_ports(tier.ports),
                        (tier_path(project, tier),),
                    )


class ProjectOverlap:
    kind: ClassVar[str] = "project-overlap"
    severity: ClassVar[Severity] = "error"
    summary: ClassVar[str] = "two project ranges overlapping"

    def check(self, index: PlanIndex) -> Iterator[Finding]:
        items = [(project.ports, project) for project in index.plan.projects]
        for first, second, shared in overlapping_pairs(items):
            yield Finding(
                self.severity,
                self.kind,
                f"projects {first.name} ({first.ports}) and {second.name} ({second.ports}) "
                f"overlap on {shared}",
                range_ports(shared),
                (project_path(first), project_path(second)),
            )


class TierOverlap:
    kind: ClassVar[str] = "tier-overlap"
    severity: ClassVar[Severity] = "warning"
    summary: ClassVar[str] = "two tier ranges of one project overlapping"

    def check(self, index: PlanIndex) -> Iterator[Finding]:
        for project in index.plan.projects:
            items = [(tier.ports, tier) for tier in project.tiers]
            for first, second, shared in overlapping_pairs(items):
                yield Finding(
                    self.severity,
                    self.kind,
                    f"{project.name}: tiers {first.name!r} ({first.ports}) and "
                    f"{second.name!r} ({second.ports}) overlap on {shared}",
                    range_ports(shared),
                    (tier_path(project, first), tier_path(project, second)),
                )


class ServiceOnReserved:
    kind: ClassVar[str] = "service-on-reserved"
    severity: ClassVar[Severity] = "error"
    summary: ClassVar[str] = "a service on a reserved port or range"

    def check(self, index: PlanIndex) -> Iterator[Finding]:
        if not index.plan.reserved:
            return
        lookup = ReservedLookup(index.plan.reserved)
        for entry in index.entries:
            if holders := lookup.holding(entry.port):
                reasons = "; ".join(describe_reserved(holder) for holder in holders)
                yield Finding(
                    self.severity,
                    self.kind,
                    f"{entry.path}: port {entry.port} is reserved: {reasons}",
                    (entry.port,),
                    (entry.path, "reserved"),
                )


class ProjectOnReserved:
    kind: ClassVar[str] = "project-on-reserved"
    severity: ClassVar[Severity] = "warning"
    summary: ClassVar[str] = "a project range overlapping a reserved range"

    def check(self, index: PlanIndex) -> Iterator[Finding]:
        items: list[tuple[PortRange, Project | Reserved]] = [
            (project.ports, project) for project in index.plan.projects
        ]
        items += [(entry.ports, entry) for entry in index.plan.reserved]
        for first, second, shared in overlapping_pairs(items):
            project, reserved = (first, second) if isinstance(first, Project) else (second, first)
            if not (isinstance(project, Project) and isinstance(reserved, Reserved)):
                continue  # two projects, or two reserved entries: other rules' business
            yield Finding(
                self.severity,
                self.kind,
                f"project {project.name}'s range {project.ports} overlaps reserved "
                f"{describe_reserved(reserved)} on {shared}",
                range_ports(shared),
                (project_path(project), "reserved"),
            )


class HazardRule:
    """The rule for one kind of hazard of `portfacts`' registry: which services have it."""

    def __init__(self, hazard: HazardKind) -> None:
        self.kind = hazard.kind
        self.severity = hazard.severity
        self.summary = hazard.summary
        self.grouped = hazard.grouped

    def check(self, index: PlanIndex) -> Iterator[Finding]:
        table = index.hazards.of_kind(self.kind)
        if not table.hazards:
            return
        if self.grouped:
            found = (
                (hazard, index.holding_hazard(hazard, held))
                for hazard, held in table.users_of_each(index.entries)
            )
            yield from self._grouped((hazard, held) for hazard, held in found if held)
            return
        for entry, hazard in table.among(index.entries):
            if not index.holding_hazard(hazard, [entry]):
                continue  # a fact of a platform this project is not meant for
            yield Finding(
                self.severity,
                self.kind,
                f"{entry.path}: {hazard.sentence(entry.port)}",
                (entry.port,),
                (entry.path,),
            )

    def _grouped(self, found: Iterable[tuple[Hazard, list[Entry]]]) -> Iterator[Finding]:
        """One finding per project and hazard, listing its services, not one per port."""
        for hazard, held in found:
            groups: dict[str, list[Entry]] = defaultdict(list)
            for entry in held:
                groups[entry.project.name].append(entry)
            yield from self._per_project(hazard, groups)

    def _per_project(self, hazard: Hazard, groups: dict[str, list[Entry]]) -> Iterator[Finding]:
        for project, entries in groups.items():
            ports = sorted({entry.port for entry in entries})
            count = len(entries)
            noun, reason = (
                ("service", hazard.reason) if count == 1 else ("services", hazard.plural_reason)
            )
            span = str(ports[0]) if len(ports) == 1 else f"{ports[0]}-{ports[-1]}"
            yield Finding(
                self.severity,
                self.kind,
                f"{project}: {count} {noun} on {span} {reason}",
                tuple(ports),
                tuple(entry.path for entry in entries),
            )


class EmptyTier:
    kind: ClassVar[str] = "empty-tier"
    severity: ClassVar[Severity] = "info"
    summary: ClassVar[str] = "a tier without services"

    def check(self, index: PlanIndex) -> Iterator[Finding]:
        for project in index.plan.projects:
            for tier in project.tiers:
                if not tier.services:
                    yield Finding(
                        self.severity,
                        self.kind,
                        f"{tier_path(project, tier)}: tier has no services yet",
                        (),
                        (tier_path(project, tier),),
                    )


RULES: tuple[Rule, ...] = (
    DuplicatePort(),
    ServiceOutsideProject(),
    ServiceOutsideTier(),
    TierOutsideProject(),
    ProjectOverlap(),
    TierOverlap(),
    ServiceOnReserved(),
    ProjectOnReserved(),
    *(HazardRule(hazard) for hazard in HAZARD_KINDS),
    EmptyTier(),
)
