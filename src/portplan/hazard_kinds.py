"""The registry of hazard kinds: each kind's rule wording, how `next --allow` names it, how
the port map draws it, and the hazards it finds in an environment.

A new kind of hazard is one `HazardKind` entry in `HAZARD_KINDS` (and its id in `catalog`):
the rules table gets a rule for it, `next`, `where`, scan, the port map (its symbol and legend
entry) and the planner's details all show it, with no other change. `portfacts` re-exports
the registry and answers questions about ports with it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence

from portplan.environment import Environment
from portplan.findings import SEVERITY_RANK, Severity
from portplan.hazard_table import ANY_PROTOCOL, TCP, Hazard
from portplan.hazards import (
    AIRPLAY_PORTS,
    AIRPLAY_SOURCE,
    BROWSER_BAD_PORTS,
    BROWSER_BAD_PORTS_SOURCE,
    NODEPORT_RANGE,
    NODEPORT_SOURCE,
    PRIVILEGED_BELOW,
    PRIVILEGED_SOURCE,
)
from portplan.model import PortRange
from portplan.occupants import KNOWN_OCCUPANTS
from portplan.os_reservations import LINUX_RESERVED_SOURCE, NETSH_SOURCE, intersect, subtract
from portplan.records import record

BROWSERS = frozenset({"browsers"})
LINUX = frozenset({"linux"})


@record
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
    # How the port map draws a free port with this hazard, and its legend entry: one cell
    # wide and unlike every other cell's symbol, so the map reads without colour.
    symbol: str
    label: str
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
        symbol="⊘",
        label="browser-blocked",
    ),
    HazardKind(
        "ephemeral-port",
        "warning",
        "ports inside an OS ephemeral range",
        True,
        _ephemeral,
        "ephemeral",
        symbol="░",
        label="ephemeral",
    ),
    HazardKind(
        "privileged-port",
        "warning",
        "a privileged port (< 1024)",
        False,
        _privileged,
        "privileged",
        symbol="#",
        label="privileged",
    ),
    HazardKind(
        "kernel-reserved-port",
        "info",
        "ports in the Linux ephemeral range that the kernel reserves (safe)",
        True,
        _kernel_reserved,
        "kernel-reserved",
        symbol="≡",
        label="kernel-reserved",
        refuses=False,
    ),
    HazardKind(
        "nodeport-range",
        "warning",
        "ports inside Kubernetes' NodePort range (plans for cluster nodes)",
        True,
        _nodeport,
        "nodeport",
        symbol="▒",
        label="NodePort",
    ),
    HazardKind(
        "macos-airplay-port",
        "warning",
        "a port macOS's AirPlay Receiver holds (plans for macOS)",
        False,
        _airplay,
        "airplay",
        symbol="⌘",
        label="AirPlay",
    ),
    HazardKind(
        "windows-excluded-port",
        "warning",
        "a port Windows excludes from binding (netsh excludedportrange)",
        False,
        _windows_excluded,
        "windows-excluded",
        symbol="⊞",
        label="Windows-excluded",
    ),
    HazardKind(
        "known-occupant",
        "info",
        "the default port of a widely used server or developer tool",
        False,
        _known_occupants,
        "known-occupant",
        symbol="○",
        label="tool default",
    ),
)
KIND_BY_NAME: dict[str, HazardKind] = {kind.kind: kind for kind in HAZARD_KINDS}
KIND_BY_ALLOW: dict[str, HazardKind] = {kind.allow: kind for kind in HAZARD_KINDS}


def headline(hazards: Sequence[Hazard]) -> Hazard:
    """The hazard a port is drawn with: the most severe of `hazards` (in the registry's order),
    so a warning is never hidden behind a tool's default port."""
    return min(hazards, key=lambda hazard: SEVERITY_RANK[hazard.severity])
