"""Which port each host port written in a project's files should become.

With the plan as it was before (`--from`), a port that belonged to one service then becomes
that service's port now: the migration after a rebase or a move. Without it, only a port the
scan flags (unplanned, or another project's) is changed, and only when exactly one service
of the folder's project answers to what the file says around it (`portplan.apply.names`).
Everything else that the scan flags is left for a person: a `Pending` item, never a guess.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from portplan.apply.names import matching_services
from portplan.bindings import binds_collide
from portplan.model import Plan, Project, Service, subject
from portplan.scan import Drift, PortUse, ScanReport

# The scan's verdicts that say a host port is not where the plan puts it.
DRIFT_KINDS = frozenset({"unplanned-port", "cross-project"})


@dataclass(frozen=True, slots=True)
class Move:
    """A use whose ports become `ports` (same length, same order), and why."""

    use: PortUse
    ports: tuple[int, ...]
    why: str


@dataclass(frozen=True, slots=True)
class Pending:
    """A use that needs a person's decision, and the sentence saying why."""

    use: PortUse
    reason: str


@dataclass(frozen=True, slots=True)
class Decisions:
    moves: list[Move]
    pending: list[Pending]


class _OldPorts:
    """Who held each port in the old plan, and where each of them is in the new plan."""

    def __init__(self, old: Plan, new: Plan) -> None:
        self.holders: dict[int, list[tuple[str, Service]]] = defaultdict(list)
        for project, tier, service in old.services():
            self.holders[service.port].append(
                (subject(project.name, tier.name, service.name), service)
            )
        self.now: dict[str, Service] = {
            subject(project.name, tier.name, service.name): service
            for project, tier, service in new.services()
        }

    def target(self, port: int, use: PortUse) -> tuple[int, str | None, str | None]:
        """(new port, who held it, why it cannot be decided)."""
        holders = [
            path
            for path, service in self.holders.get(port, [])
            if service.protocol == use.protocol and binds_collide(service.bind, use.bind)
        ]
        if not holders:
            return port, None, None
        if len(holders) > 1:
            return port, None, f"port {port} belonged to {', '.join(holders)} in the old plan"
        path = holders[0]
        if path not in self.now:
            return port, path, f"{path} held port {port} in the old plan and is not in this one"
        return self.now[path].port, path, None


def decide(report: ScanReport, plan: Plan, old: Plan | None) -> Decisions:
    """Moves for the host ports that should change; the rest the scan flags, pending."""
    moves: list[Move] = []
    pending: list[Pending] = []
    old_ports = _OldPorts(old, plan) if old is not None else None
    flagged = _flagged(report)
    for folder in report.folders:
        project = _project(plan, folder.target.project)
        for use in folder.uses:
            if use.role != "host":
                continue
            if old_ports is not None:
                decision = _by_old_plan(use, old_ports)
            else:
                decision = _by_name(use, project, folder.uses, flagged.get((use.place, use.ports)))
            if isinstance(decision, Move):
                moves.append(decision)
                continue
            if decision is None and (why := flagged.get((use.place, use.ports))):
                decision = Pending(use, why)
            if decision is not None:
                pending.append(decision)
    return Decisions(moves, pending)


def _flagged(report: ScanReport) -> dict[tuple[object, tuple[int, ...]], str]:
    """The scan's drift message for each (place, ports) it flags."""
    by_place: dict[object, list[Drift]] = defaultdict(list)
    for finding in report.findings:
        if finding.kind in DRIFT_KINDS and finding.place is not None:
            by_place[finding.place].append(finding)
    found: dict[tuple[object, tuple[int, ...]], str] = {}
    for folder in report.folders:
        for use in folder.uses:
            for finding in by_place.get(use.place, []) if use.role == "host" else []:
                if set(finding.ports) & set(use.ports):
                    found.setdefault((use.place, use.ports), finding.message)
    return found


def _by_old_plan(use: PortUse, old_ports: _OldPorts) -> Move | Pending | None:
    new_ports: list[int] = []
    movers: list[str] = []
    for port in use.ports:
        if port == 0:
            new_ports.append(port)
            continue
        target, holder, problem = old_ports.target(port, use)
        if problem is not None:
            return Pending(use, problem)
        new_ports.append(target)
        if holder is not None and target != port:
            movers.append(f"{holder} {port} → {target}")
    if not movers:
        return None
    shifts = {new - old for old, new in zip(use.ports, new_ports, strict=True)}
    if len(shifts) > 1:
        return Pending(use, "the range would not move as one range: " + "; ".join(movers))
    return Move(use, tuple(new_ports), "; ".join(movers))


def _by_name(
    use: PortUse, project: Project | None, uses: list[PortUse], flagged: str | None
) -> Move | Pending | None:
    if flagged is None or project is None:
        return None
    if len(use.ports) != 1:
        return Pending(use, f"{flagged}; a range is moved only with --from OLD_PLAN")
    written = {port for other in uses if other.role == "host" for port in other.ports}
    candidates = [
        (path, service)
        for path, service in matching_services(project, use)
        if service.protocol == use.protocol and service.port not in written
    ]
    if len(candidates) == 1:
        path, service = candidates[0]
        return Move(use, (service.port,), f"the plan gives {path} port {service.port}")
    if not candidates:
        return Pending(use, f"{flagged}; no service of {project.name} answers to its name")
    names = ", ".join(path for path, _ in candidates)
    return Pending(use, f"{flagged}; it could be {names}")


def _project(plan: Plan, name: str | None) -> Project | None:
    return plan.find_project(name) if name is not None else None
