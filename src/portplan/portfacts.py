"""What the plan and the world say about one port: who holds it, what reserves it, and what
makes it a poor choice (with the sentence that says so and where the fact comes from).

This is the one place that decides "port N over protocol P has hazard X": the rules, `next`,
the scanner's drift verdicts, the port map and the dialogs' previews all ask here, so they
cannot drift apart. The facts themselves (the Fetch standard's bad ports, the OS ephemeral
ranges, the platforms' own listeners) stay as cited data in `hazards` and `occupants`; what the
machine reserves is read by `os_reservations` and handed in as an `Environment`. A hazard of a
platform (macOS, Windows, a Kubernetes node …) applies only to projects meant for it
(`platforms = [...]` on the plan or the project). A new kind of hazard is one `HazardKind`
entry in `HAZARD_KINDS` (and its id in `catalog`): the rules table gets a rule for it, and
every view shows it, with no other change. The table that finds hazards by port lives in
`hazard_table`.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from portplan.environment import DEFAULT_ENVIRONMENT, Environment, EnvironmentLike, as_environment
from portplan.findings import Severity
from portplan.hazard_table import (
    ANY_PROTOCOL,
    TCP,
    Hazard,
    HazardTable,
    ReservedLookup,
    describe_reserved,
)
from portplan.hazards import (
    AIRPLAY_PORTS,
    AIRPLAY_SOURCE,
    BROWSER_BAD_PORTS,
    BROWSER_BAD_PORTS_SOURCE,
    DEFAULT_PLATFORMS,
    NODEPORT_RANGE,
    NODEPORT_SOURCE,
    PRIVILEGED_BELOW,
    PRIVILEGED_SOURCE,
)
from portplan.model import Plan, PortRange, Project, Reserved, Service, ServiceRef, Tier
from portplan.occupants import KNOWN_OCCUPANTS
from portplan.os_reservations import LINUX_RESERVED_SOURCE, NETSH_SOURCE, intersect, subtract

# Re-exported: the views ask this module, not the mechanics under it.
__all__ = [
    "ANY_PROTOCOL",
    "HAZARD_KINDS",
    "TCP",
    "Hazard",
    "HazardKind",
    "HazardTable",
    "PortFacts",
    "ReservedLookup",
    "describe_reserved",
    "effective_platforms",
    "hazard_table",
]

BROWSERS = frozenset({"browsers"})
LINUX = frozenset({"linux"})


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
    # The name `next --allow` takes to hand out ports with this hazard anyway.
    allow: str
    # False for a kind that says a port is fine (reserved in the kernel): `next` may use it.
    refuses: bool = True


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
            BROWSERS,
        )


# The way out besides moving, per system: an OS reservation `portplan export` writes.
_RESERVE_HINT = {
    "Linux": "reserve them in the kernel (`portplan export --format sysctl`) or move them",
    "Windows/macOS": "on Windows exclude them (`portplan export --format netsh`) or move them",
}


def _ephemeral(environment: Environment) -> Iterator[Hazard]:
    # The kernel hands out the same range to outgoing TCP and UDP sockets alike. Linux skips
    # the ports of ip_local_reserved_ports: those parts are kernel-reserved-port, not here.
    for span in environment.ephemeral:
        parts = (
            subtract(span.ports, environment.kernel_reserved)
            if span.system == "Linux"
            else [span.ports]
        )
        hint = _RESERVE_HINT.get(span.system, "move them")
        for ports in parts:
            yield Hazard(
                "ephemeral-port",
                "warning",
                ports,
                ANY_PROTOCOL,
                f"is inside the {span.system} ephemeral range {span.ports} ({span.source}): "
                f"outgoing connections can take a port there first; {hint}",
                span.source,
                span.platforms,
            )


def _kernel_reserved(environment: Environment) -> Iterator[Hazard]:
    for span in environment.ephemeral:
        if span.system != "Linux":
            continue
        for ports in intersect(span.ports, environment.kernel_reserved):
            yield Hazard(
                "kernel-reserved-port",
                "info",
                ports,
                ANY_PROTOCOL,
                f"is inside the Linux ephemeral range {span.ports} but reserved in the kernel "
                f"({LINUX_RESERVED_SOURCE}): safe",
                LINUX_RESERVED_SOURCE,
                span.platforms or LINUX,
            )


def _nodeport(_: Environment) -> Iterator[Hazard]:
    yield Hazard(
        "nodeport-range",
        "warning",
        NODEPORT_RANGE,
        ANY_PROTOCOL,
        f"is inside Kubernetes' NodePort range {NODEPORT_RANGE} ({NODEPORT_SOURCE}): "
        "a NodePort Service can take it on every node",
        NODEPORT_SOURCE,
        frozenset({"kubernetes-node"}),
    )


def _airplay(_: Environment) -> Iterator[Hazard]:
    for port in AIRPLAY_PORTS:
        yield Hazard(
            "macos-airplay-port",
            "warning",
            PortRange(port, port),
            TCP,
            "is held by macOS's AirPlay Receiver (Control Center) unless it is turned off "
            "in System Settings → General → AirDrop & Handoff",
            AIRPLAY_SOURCE,
            frozenset({"macos"}),
        )


def _windows_excluded(environment: Environment) -> Iterator[Hazard]:
    for excluded in environment.windows_excluded:
        who = "an administered exclusion" if excluded.administered else "Hyper-V/WinNAT"
        yield Hazard(
            "windows-excluded-port",
            "warning",
            excluded.ports,
            TCP,
            f"is excluded on Windows ({excluded.ports}, {who}; {NETSH_SOURCE}): binding it "
            "fails with 'access forbidden by its access permissions'",
            NETSH_SOURCE,
            frozenset({"windows"}),
        )


def _known_occupants(_: Environment) -> Iterator[Hazard]:
    tools: dict[int, list[str]] = defaultdict(list)
    sources: dict[int, list[str]] = defaultdict(list)
    for occupant in KNOWN_OCCUPANTS:
        tools[occupant.port].append(occupant.tool)
        sources[occupant.port].append(occupant.source)
    for port in sorted(tools):
        names = tools[port]
        if len(names) == 1:
            reason = f"is {names[0]}'s default: a local {names[0]} will hold it"
        else:
            listed = ", ".join(names[:-1]) + f" and {names[-1]}"
            reason = f"is the default of {listed}: a local one of them will hold it"
        yield Hazard(
            "known-occupant", "info", PortRange(port, port), TCP, reason, "; ".join(sources[port])
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
        "browser-blocked",
    ),
    HazardKind(
        "ephemeral-port",
        "warning",
        "ports inside an OS ephemeral range",
        True,
        _ephemeral,
        "ephemeral",
    ),
    HazardKind(
        "privileged-port",
        "warning",
        "a privileged port (< 1024)",
        False,
        _privileged,
        "privileged",
    ),
    HazardKind(
        "kernel-reserved-port",
        "info",
        "ports in the Linux ephemeral range that the kernel reserves (safe)",
        True,
        _kernel_reserved,
        "kernel-reserved",
        refuses=False,
    ),
    HazardKind(
        "nodeport-range",
        "warning",
        "ports inside Kubernetes' NodePort range (plans for cluster nodes)",
        True,
        _nodeport,
        "nodeport",
    ),
    HazardKind(
        "macos-airplay-port",
        "warning",
        "a port macOS's AirPlay Receiver holds (plans for macOS)",
        False,
        _airplay,
        "airplay",
    ),
    HazardKind(
        "windows-excluded-port",
        "warning",
        "a port Windows excludes from binding (netsh excludedportrange)",
        False,
        _windows_excluded,
        "windows-excluded",
    ),
    HazardKind(
        "known-occupant",
        "info",
        "the default port of a widely used server or developer tool",
        False,
        _known_occupants,
        "known-occupant",
    ),
)
KIND_BY_NAME: dict[str, HazardKind] = {kind.kind: kind for kind in HAZARD_KINDS}
KIND_BY_ALLOW: dict[str, HazardKind] = {kind.allow: kind for kind in HAZARD_KINDS}


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

    def __init__(self, plan: Plan, environment: EnvironmentLike = DEFAULT_ENVIRONMENT) -> None:
        self.plan = plan
        self.environment = as_environment(environment)
        self.table = hazard_table(self.environment)
        self._reserved = ReservedLookup(plan.reserved)
        self._holders: dict[int, list[Holder]] | None = None

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
        """The projects whose range holds `port`."""
        return [project for project in self.plan.projects if port in project.ports]

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
