"""What the plan and the world say about one port: who holds it, what reserves it, and what
makes it a poor choice (with the sentence that says so and where the fact comes from).

This is the one place that decides "port N over protocol P has hazard X": the rules, `next`,
the scanner's drift verdicts, the port map and the dialogs' previews all ask here, so they
cannot drift apart. The facts themselves (the Fetch standard's bad ports, the OS ephemeral
ranges) stay as cited data in `hazards`. A new kind of hazard is one `HazardKind` entry in
`HAZARD_KINDS`: the rules table gets a rule for it, and every view shows it, with no other
change.
"""

from __future__ import annotations

import bisect
import functools
import typing
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TypeVar

from portplan.findings import Severity
from portplan.hazards import (
    BROWSER_BAD_PORTS,
    BROWSER_BAD_PORTS_SOURCE,
    DEFAULT_EPHEMERAL,
    PRIVILEGED_BELOW,
    PRIVILEGED_SOURCE,
    EphemeralRange,
)
from portplan.model import Plan, PortRange, Project, Protocol, Reserved, Service, ServiceRef, Tier


class _HasPort(typing.Protocol):
    @property
    def port(self) -> int: ...
    @property
    def protocol(self) -> str: ...


PortUser = TypeVar("PortUser", bound=_HasPort)

TCP: frozenset[Protocol] = frozenset({"tcp"})
ANY_PROTOCOL: frozenset[Protocol] = frozenset({"tcp", "udp"})


@dataclass(frozen=True, slots=True)
class Hazard:
    """One reason the ports of `ports` are a poor choice for a listener over `protocols`."""

    kind: str  # the rule kind that reports it, e.g. "browser-blocked-port"
    severity: Severity
    ports: PortRange
    protocols: frozenset[Protocol]
    # Completes "port N …"; always starts with "is ", so that "ports A-B are …" reads too.
    reason: str
    source: str  # where the fact comes from, for a reader who wants to check it

    @property
    def plural_reason(self) -> str:
        """Completes "ports A-B …" or "3 services on A-B …"."""
        return "are" + self.reason[2:]

    def sentence(self, port: int) -> str:
        return f"port {port} {self.reason}"


# What a hazard kind may depend on besides the port: the OS ephemeral ranges in force (read
# live by the CLI, pinned by the tests). A kind that needs more grows this, not every caller.
Environment = Sequence[EphemeralRange]


@dataclass(frozen=True, slots=True)
class HazardKind:
    """One entry of the registry: a kind of hazard, its rule's wording, and its hazards."""

    kind: str
    severity: Severity
    summary: str  # the rule table's line
    # True: one finding per project and hazard, listing its services (an OS range holds
    # hundreds of a project's services); False: one finding per service.
    grouped: bool
    hazards: Callable[[Environment], Iterable[Hazard]]


def _browser_blocked(_: Environment) -> Iterator[Hazard]:
    # Fetch blocks bad ports for http(s) and ws(s) URLs, which are TCP: a UDP service on one
    # of them is fine.
    for port in sorted(BROWSER_BAD_PORTS):
        yield Hazard(
            "browser-blocked-port",
            "warning",
            PortRange(port, port),
            TCP,
            "is refused by browsers (a Fetch standard bad port: they show ERR_UNSAFE_PORT)",
            BROWSER_BAD_PORTS_SOURCE,
        )


def _ephemeral(ephemeral: Environment) -> Iterator[Hazard]:
    # The kernel hands out the same range to outgoing TCP and UDP sockets alike.
    for span in ephemeral:
        yield Hazard(
            "ephemeral-port",
            "warning",
            span.ports,
            ANY_PROTOCOL,
            f"is inside the {span.system} ephemeral range {span.ports} ({span.source}): "
            "outgoing connections can take a port there first",
            span.source,
        )


def _privileged(_: Environment) -> Iterator[Hazard]:
    yield Hazard(
        "privileged-port",
        "warning",
        PortRange(1, PRIVILEGED_BELOW - 1),
        ANY_PROTOCOL,
        f"is privileged (< {PRIVILEGED_BELOW}): binding needs root or CAP_NET_BIND_SERVICE",
        PRIVILEGED_SOURCE,
    )


HAZARD_KINDS: tuple[HazardKind, ...] = (
    HazardKind(
        "browser-blocked-port",
        "warning",
        "a port that browsers refuse to connect to (TCP only)",
        False,
        _browser_blocked,
    ),
    HazardKind("ephemeral-port", "warning", "ports inside an OS ephemeral range", True, _ephemeral),
    HazardKind("privileged-port", "warning", "a privileged port (< 1024)", False, _privileged),
)


class HazardTable:
    """Every hazard of some kinds in one environment, found by port: a dict for single ports,
    a short list for ranges."""

    def __init__(self, hazards: Iterable[Hazard]) -> None:
        self.hazards = tuple(hazards)
        self._single: dict[int, list[Hazard]] = defaultdict(list)
        self._spans: list[Hazard] = []
        for hazard in self.hazards:
            if hazard.ports.start == hazard.ports.end:
                self._single[hazard.ports.start].append(hazard)
            else:
                self._spans.append(hazard)
        # Every range lies inside [low, high]: most ports of a plan are ruled out by two
        # comparisons (empty: low > high).
        self._low = min((h.ports.start for h in self._spans), default=1)
        self._high = max((h.ports.end for h in self._spans), default=0)
        self._rank = {id(hazard): rank for rank, hazard in enumerate(self.hazards)}
        self._kinds: dict[str, HazardTable] = {}

    def at(self, port: int, protocol: str) -> list[Hazard]:
        """The hazards of `port` over `protocol`, in the registry's order."""
        single = self._single.get(port)
        found = [h for h in single if protocol in h.protocols] if single else []
        if not self._low <= port <= self._high:
            return found
        spans = [
            h
            for h in self._spans
            if h.ports.start <= port <= h.ports.end and protocol in h.protocols
        ]
        if found and spans:
            return sorted(found + spans, key=lambda h: self._rank[id(h)])
        return found or spans

    def among(self, users: Iterable[PortUser]) -> Iterator[tuple[PortUser, Hazard]]:
        """Each (user, hazard) for the users whose port and protocol have hazards: one pass,
        for the rules over 60,000 services, where a call per service would double their time."""
        single, low, high = self._single, self._low, self._high
        for user in users:
            port = user.port
            if port in single or low <= port <= high:
                for hazard in self.at(port, user.protocol):
                    yield user, hazard

    def users_of_each(self, users: Sequence[PortUser]) -> Iterator[tuple[Hazard, list[PortUser]]]:
        """Each hazard with the users on it, one pass per hazard: the fast way for a kind of a
        few wide ranges that hold half the services of a plan."""
        for hazard in self.hazards:
            low, high, protocols = hazard.ports.start, hazard.ports.end, hazard.protocols
            if protocols == ANY_PROTOCOL:
                held = [user for user in users if low <= user.port <= high]
            else:
                held = [u for u in users if low <= u.port <= high and u.protocol in protocols]
            if held:
                yield hazard, held

    def of_kind(self, kind: str) -> HazardTable:
        """The same table narrowed to one kind (built once, for that kind's rule)."""
        if kind not in self._kinds:
            self._kinds[kind] = HazardTable(h for h in self.hazards if h.kind == kind)
        return self._kinds[kind]


@functools.cache
def hazard_table(
    ephemeral: tuple[EphemeralRange, ...] = DEFAULT_EPHEMERAL,
    kinds: tuple[HazardKind, ...] = HAZARD_KINDS,
) -> HazardTable:
    """The hazards of `kinds` for these ephemeral ranges (the same few tables all session)."""
    return HazardTable(h for kind in kinds for h in kind.hazards(ephemeral))


class ReservedLookup:
    """Which reserved entries hold a port, in O(log n) per port."""

    def __init__(self, reserved: Sequence[Reserved]) -> None:
        self._entries = sorted(reserved, key=lambda entry: (entry.ports.start, entry.ports.end))
        self._starts = [entry.ports.start for entry in self._entries]
        # Running maximum of ends lets a lookup stop scanning left as soon as nothing can reach.
        self._reach: list[int] = []
        reach = -1
        for entry in self._entries:
            reach = max(reach, entry.ports.end)
            self._reach.append(reach)

    def holding(self, port: int) -> list[Reserved]:
        position = bisect.bisect_right(self._starts, port) - 1
        if position < 0 or self._reach[position] < port:
            return []  # the common case on a big plan: nothing reaches this port
        found: list[Reserved] = []
        while position >= 0 and self._reach[position] >= port:
            entry = self._entries[position]
            if port <= entry.ports.end:
                found.append(entry)
            position -= 1
        found.reverse()
        return found


def describe_reserved(entry: Reserved) -> str:
    return f"{entry.ports} ({entry.reason})" if entry.reason else str(entry.ports)


@dataclass(frozen=True, slots=True)
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


class PortFacts:
    """The answers about any port of one plan in one environment, built once and asked often.

    The services-by-port index is built on the first question that needs it: the port map
    asks only about reserved entries and hazards, and must not walk 60,000 services to do so.
    """

    def __init__(self, plan: Plan, ephemeral: Environment = DEFAULT_EPHEMERAL) -> None:
        self.plan = plan
        self.table = hazard_table(tuple(ephemeral))
        self._reserved = ReservedLookup(plan.reserved)
        self._holders: dict[int, list[Holder]] | None = None

    def hazards(self, port: int, protocol: str = "tcp") -> list[Hazard]:
        """Every hazard of `port` over `protocol` (a new service is TCP unless said)."""
        return self.table.at(port, protocol)

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
        """The projects whose range holds `port`."""
        return [project for project in self.plan.projects if port in project.ports]

    def tiers_holding(self, port: int) -> list[tuple[Project, Tier]]:
        return [
            (project, tier)
            for project in self.plan.projects
            for tier in project.tiers
            if port in tier.ports
        ]

    def is_clean_for_a_new_service(self, port: int, protocol: str = "tcp") -> bool:
        """True when a new service on `port` would be on no one's port, reserved entry or
        hazard (what `next` and the reserve dialog's suggestion hand out)."""
        return not (self.holders(port) or self.reserved(port) or self.hazards(port, protocol))
