"""What each port of a project's range is, for drawing the range as a grid of cells.

Pure data: which service holds a port and how bad its findings are come from the plan and a
`FindingIndex`; whether a free port is a poor choice comes from `hazards`. Nothing here
decides a conflict: the rules did that, and the map only shows their verdict per port.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from portplan.finding_index import FindingIndex
from portplan.hazards import BROWSER_BAD_PORTS, EphemeralRange
from portplan.model import Plan, PortRange, Project, ServiceRef, Tier

CellState = Literal["free", "used", "error", "warning", "reserved", "hazard", "listening"]
CELL_STATES: tuple[CellState, ...] = (
    "free",
    "used",
    "error",
    "warning",
    "reserved",
    "hazard",
    "listening",
)


@dataclass(frozen=True, slots=True)
class PortMapModel:
    """One cell per port of `ports`; `home` is the highlighted tier's range, if any."""

    project: str
    ports: PortRange
    home: PortRange | None
    home_name: str | None
    states: Sequence[CellState]
    owners: dict[int, tuple[ServiceRef, ...]] = field(default_factory=dict)
    notes: dict[int, str] = field(default_factory=dict)
    # port → processes seen listening on it by the last probe (key p)
    listening: Mapping[int, str] = field(default_factory=dict)

    def state(self, port: int) -> CellState:
        return self.states[port - self.ports.start]


# (start, end, what to say) per span: a map of a range inside an ephemeral range asks about
# a thousand ports, so each span's sentence is written once, not once per port.
_Spans = list[tuple[int, int, str]]


def _ephemeral_spans(ephemeral: Sequence[EphemeralRange]) -> _Spans:
    return [
        (span.ports.start, span.ports.end, f"inside the {span.system} ephemeral range {span.ports}")
        for span in ephemeral
    ]


def _first_holding(port: int, spans: _Spans) -> str | None:
    for start, end, text in spans:
        if start <= port <= end:
            return text
    return None


def _hazard(port: int, spans: _Spans) -> str | None:
    if port in BROWSER_BAD_PORTS:
        return "browsers refuse this port"
    return _first_holding(port, spans)


def build_port_map(
    plan: Plan,
    project: Project,
    tier: Tier | None,
    index: FindingIndex,
    ephemeral: Sequence[EphemeralRange],
    projects_on: Callable[[int], Iterable[str]],
    listening: Mapping[int, str] | None = None,
) -> PortMapModel:
    """The cells of `project`'s range (stretched to cover `tier` if it strays outside it).

    `projects_on(port)` names the projects with a service on a port, so that only they are
    walked: a 1,000-port map of a 60,000-service plan looks at a few thousand services.
    """
    ports = project.ports
    if tier is not None and not ports.contains_range(tier.ports):
        ports = PortRange(min(ports.start, tier.ports.start), max(ports.end, tier.ports.end))
    holders: set[str] = set()
    for port in ports:
        holders.update(projects_on(port))
    owners: dict[int, list[ServiceRef]] = {}
    first, last = ports.start, ports.end
    for other in plan.projects:
        if other.name not in holders:
            continue
        for other_tier in other.tiers:
            for service in other_tier.services:
                if first <= service.port <= last:
                    owners.setdefault(service.port, []).append(
                        ServiceRef(other.name, other_tier.name, service.name)
                    )
    states: list[CellState] = []
    notes: dict[int, str] = {}
    reserved = [
        (entry.ports.start, entry.ports.end, entry.reason or str(entry.ports))
        for entry in plan.reserved
        if entry.ports.overlaps(ports)
    ]
    spans = _ephemeral_spans(ephemeral)
    for port in ports:
        refs = owners.get(port)
        if refs:
            worst = {index.worst(ref, direct=True) for ref in refs}
            states.append(
                "error" if "error" in worst else "warning" if "warning" in worst else "used"
            )
            continue
        holder = _first_holding(port, reserved) if reserved else None
        if listening and port in listening:
            # Something listens where the plan has nobody: that outranks reserved or hazard.
            states.append("listening")
            notes[port] = f"not in the plan, but listening: {listening[port]}"
        elif holder is not None:
            states.append("reserved")
            notes[port] = f"reserved: {holder}"
        elif (hazard := _hazard(port, spans)) is not None:
            states.append("hazard")
            notes[port] = hazard
        else:
            states.append("free")
    return PortMapModel(
        project=project.name,
        ports=ports,
        home=tier.ports if tier is not None else None,
        home_name=tier.name if tier is not None else None,
        states=states,
        owners={port: tuple(refs) for port, refs in owners.items()},
        notes=notes,
        listening=dict(listening or {}),
    )
