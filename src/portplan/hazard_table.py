"""The mechanics under the port-facts model: a hazard, a table that finds the hazards of a
port quickly, and the lookup of the plan's reserved entries.

`portfacts` decides which hazards exist (its registry) and answers questions about ports;
this module only stores and finds them, fast enough for plans of 60,000 services.
"""

from __future__ import annotations

import bisect
import typing
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import TypeVar

from portplan.findings import Severity
from portplan.model import PortRange, Protocol, Reserved
from portplan.records import record


class _HasPort(typing.Protocol):
    @property
    def port(self) -> int: ...
    @property
    def protocol(self) -> str: ...


PortUser = TypeVar("PortUser", bound=_HasPort)

TCP: frozenset[Protocol] = frozenset({"tcp"})
ANY_PROTOCOL: frozenset[Protocol] = frozenset({"tcp", "udp"})


@record
class Hazard:
    """One reason the ports of `ports` are a poor choice for a listener over `protocols`."""

    kind: str  # the rule kind that reports it, e.g. "browser-blocked-port"
    severity: Severity
    ports: PortRange
    protocols: frozenset[Protocol]
    # Completes "port N …"; always starts with "is ", so that "ports A-B are …" reads too.
    reason: str
    source: str  # where the fact comes from, for a reader who wants to check it
    # The platforms the fact holds on (see hazards.PLATFORMS); None: wherever the plan runs.
    platforms: frozenset[str] | None = None

    def applies_to(self, platforms: frozenset[str]) -> bool:
        """Whether a project meant for `platforms` has this hazard."""
        return self.platforms is None or not self.platforms.isdisjoint(platforms)

    @property
    def plural_reason(self) -> str:
        """Completes "ports A-B …" or "3 services on A-B …"."""
        return "are" + self.reason[2:]

    def sentence(self, port: int) -> str:
        return f"port {port} {self.reason}"


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
