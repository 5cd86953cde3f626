"""What each port of a project's range is, for drawing the range as a grid of cells.

Pure data: which service holds a port and how bad its findings are come from the plan and a
`FindingIndex`; whether a free port is reserved or a poor choice comes from `portfacts`.
Nothing here decides a conflict or a hazard: the rules and the facts model did that, and the
map only shows their verdict per port.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from portplan.environment import EnvironmentLike
from portplan.finding_index import FindingIndex
from portplan.model import Plan, PortRange, Project, ServiceRef, Tier
from portplan.portfacts import HAZARD_KINDS, PortFacts, headline

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


# A free cell is judged for the service it would receive: the reserve dialog's default.
NEW_SERVICE_PROTOCOL = "tcp"


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
    # port → the kind of hazard a "hazard" cell is drawn with (its most severe one)
    hazard_kinds: dict[int, str] = field(default_factory=dict)
    # The kinds drawn somewhere on the map, in the registry's order: the legend's entries.
    kinds_shown: tuple[str, ...] = ()
    # port → processes seen listening on it by the last probe (key p)
    listening: Mapping[int, str] = field(default_factory=dict)

    def state(self, port: int) -> CellState:
        return self.states[port - self.ports.start]


def build_port_map(
    plan: Plan,
    project: Project,
    tier: Tier | None,
    index: FindingIndex,
    ephemeral: EnvironmentLike,
    projects_on: Callable[[int], Iterable[str]] | None,
    listening: Mapping[int, str] | None = None,
) -> PortMapModel:
    """The cells of `project`'s range (stretched to cover `tier` if it strays outside it).

    `projects_on(port)` names the projects with a service on a port, so that only they are
    walked: a 1,000-port map of a 60,000-service plan looks at a few thousand services.
    Without it (before the session has counted its port owners) every project is walked.
    """
    ports = project.ports
    if tier is not None and not ports.contains_range(tier.ports):
        ports = PortRange(min(ports.start, tier.ports.start), max(ports.end, tier.ports.end))
    holders: set[str] = set()
    if projects_on is None:
        holders.update(other.name for other in plan.projects)
    else:
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
    hazard_kinds: dict[int, str] = {}
    facts = PortFacts(plan, ephemeral)
    for port in ports:
        refs = owners.get(port)
        if refs:
            worst = {index.worst(ref, direct=True) for ref in refs}
            states.append(
                "error" if "error" in worst else "warning" if "warning" in worst else "used"
            )
            continue
        if listening and port in listening:
            # Something listens where the plan has nobody: that outranks reserved or hazard.
            states.append("listening")
            notes[port] = f"not in the plan, but listening: {listening[port]}"
        elif reserved := facts.reserved(port):
            states.append("reserved")
            notes[port] = f"reserved: {reserved[0].reason or reserved[0].ports}"
        elif hazards := facts.hazards(port, NEW_SERVICE_PROTOCOL, project):
            drawn = headline(hazards)
            states.append("hazard")
            notes[port] = drawn.reason
            hazard_kinds[port] = drawn.kind
        else:
            states.append("free")
    drawn_kinds = set(hazard_kinds.values())
    return PortMapModel(
        project=project.name,
        ports=ports,
        home=tier.ports if tier is not None else None,
        home_name=tier.name if tier is not None else None,
        states=states,
        owners={port: tuple(refs) for port, refs in owners.items()},
        notes=notes,
        hazard_kinds=hazard_kinds,
        kinds_shown=tuple(kind.kind for kind in HAZARD_KINDS if kind.kind in drawn_kinds),
        listening=dict(listening or {}),
    )
