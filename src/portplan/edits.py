"""Changes to a plan as small command objects that know their inverse.

The planner's undo/redo and the command line (`portplan rebase`) share them. An edit checks
everything it needs *before* touching the plan and raises `EditError` with a sentence for
the user, so a refused edit leaves the plan exactly as it was. Edits find their targets by
name (`ServiceRef`), never by holding model objects, so a later undo still finds them.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from portplan.model import (
    MAX_PORT,
    NodeRef,
    Plan,
    PortRange,
    Project,
    Service,
    ServiceRef,
    Tier,
    TierRef,
    nodes_at,
    subject,
)


class EditError(ValueError):
    """An edit that would make the plan invalid; nothing was changed."""


class Edit(Protocol):
    @property
    def label(self) -> str: ...

    def apply(self, plan: Plan) -> None: ...

    def revert(self, plan: Plan) -> None: ...


def find_project(plan: Plan, name: str) -> Project:
    if (project := plan.find_project(name)) is None:
        raise EditError(f"there is no project named {name!r}")
    return project


def find_tier(plan: Plan, project: str, name: str) -> Tier:
    if (tier := find_project(plan, project).find_tier(name)) is None:
        raise EditError(f"project {project!r} has no tier named {name!r}")
    return tier


def find_service(plan: Plan, ref: ServiceRef) -> Service:
    if (service := find_tier(plan, ref.project, ref.tier).find_service(ref.name)) is None:
        raise EditError(f"there is no service {ref}")
    return service


def _check_port(port: int) -> None:
    if not 1 <= port <= MAX_PORT:
        raise EditError(f"{port} is not a port (1-{MAX_PORT})")


def _check_range(ports: PortRange) -> None:
    # PortRange itself accepts any two numbers; the plan file does not.
    if ports.start > ports.end:
        raise EditError(f"range {ports.start}-{ports.end} is reversed (start > end)")
    if ports.start < 0 or ports.end > MAX_PORT:
        raise EditError(f"{ports.start}-{ports.end} is not a port range (0-{MAX_PORT})")


def _check_name(name: str, taken: Sequence[str], what: str) -> None:
    if not name.strip():
        raise EditError(f"a {what} name cannot be empty")
    if name in taken:
        raise EditError(f"there is already a {what} named {name!r} here")


def _check_paths(
    plan: Plan, paths: Iterable[str], leaving: Callable[[NodeRef], bool] = lambda _: False
) -> None:
    """Refuse names that would give two nodes one path (`Plan` refuses such a file too).

    `leaving` tells the nodes the edit itself renames or moves away from their paths.
    """
    for path in paths:
        if any(not leaving(ref) for ref in nodes_at(plan, path)):
            raise EditError(
                f"{path!r} would name two parts of the plan (a name with '/' makes one path"
                " look like another): choose another name"
            )


def _tier_paths(project: str, tier: Tier) -> Iterator[str]:
    yield subject(project, tier.name)
    for service in tier.services:
        yield subject(project, tier.name, service.name)


def _project_paths(name: str, project: Project) -> Iterator[str]:
    yield name
    for tier in project.tiers:
        yield from _tier_paths(name, tier)


def _under_project(name: str) -> Callable[[NodeRef], bool]:
    return lambda ref: ref.project == name


def _under_tier(project: str, tier: str) -> Callable[[NodeRef], bool]:
    def under(ref: NodeRef) -> bool:
        return isinstance(ref, TierRef | ServiceRef) and (ref.project, ref.tier) == (project, tier)

    return under


def _insert_by_port(services: list[Service], service: Service) -> int:
    """Keep a tier's services in port order, the order the planner and the file show."""
    position = bisect.bisect_right([s.port for s in services], service.port)
    services.insert(position, service)
    return position


@dataclass
class ReserveService:
    project: str
    tier: str
    service: Service
    _position: int = field(default=-1, init=False, repr=False)

    @property
    def label(self) -> str:
        return f"reserve {self.service.port} for {self.project}/{self.tier}/{self.service.name}"

    def apply(self, plan: Plan) -> None:
        tier = find_tier(plan, self.project, self.tier)
        _check_port(self.service.port)
        _check_name(self.service.name, [s.name for s in tier.services], "service")
        _check_paths(plan, [subject(self.project, self.tier, self.service.name)])
        self._position = _insert_by_port(tier.services, self.service.model_copy())

    def revert(self, plan: Plan) -> None:
        del find_tier(plan, self.project, self.tier).services[self._position]


@dataclass
class ReleaseService:
    ref: ServiceRef
    _removed: Service | None = field(default=None, init=False, repr=False)
    _position: int = field(default=-1, init=False, repr=False)

    @property
    def label(self) -> str:
        port = f" {self._removed.port}" if self._removed else ""
        return f"release{port} from {self.ref}"

    def apply(self, plan: Plan) -> None:
        services = find_tier(plan, self.ref.project, self.ref.tier).services
        service = find_service(plan, self.ref)
        self._position = services.index(service)
        self._removed = services.pop(self._position)

    def revert(self, plan: Plan) -> None:
        assert self._removed is not None, "revert before apply"
        find_tier(plan, self.ref.project, self.ref.tier).services.insert(
            self._position, self._removed
        )


@dataclass
class MoveService:
    """A new port and/or a new home tier for one service."""

    ref: ServiceRef
    port: int
    to_project: str | None = None
    to_tier: str | None = None
    _old_port: int = field(default=-1, init=False, repr=False)
    _old_position: int = field(default=-1, init=False, repr=False)

    @property
    def target(self) -> ServiceRef:
        return ServiceRef(
            self.to_project or self.ref.project, self.to_tier or self.ref.tier, self.ref.name
        )

    @property
    def label(self) -> str:
        moved_home = self.target != self.ref
        home = f" to {self.target.project}/{self.target.tier}" if moved_home else ""
        return f"move {self.ref} {self._old_port} → {self.port}{home}"

    def apply(self, plan: Plan) -> None:
        _check_port(self.port)
        source = find_tier(plan, self.ref.project, self.ref.tier).services
        service = find_service(plan, self.ref)
        destination = find_tier(plan, self.target.project, self.target.tier).services
        if destination is not source:
            _check_name(service.name, [s.name for s in destination], "service")
            _check_paths(plan, [self.target.path], lambda ref: ref == self.ref)
        self._old_port = service.port
        self._old_position = source.index(service)
        source.pop(self._old_position)
        service.port = self.port
        _insert_by_port(destination, service)

    def revert(self, plan: Plan) -> None:
        destination = find_tier(plan, self.target.project, self.target.tier).services
        service = find_service(plan, self.target)
        destination.remove(service)
        service.port = self._old_port
        find_tier(plan, self.ref.project, self.ref.tier).services.insert(
            self._old_position, service
        )


@dataclass
class EditService:
    ref: ServiceRef
    name: str
    description: str
    protocol: str | None = None
    _before: tuple[str, str, str] = field(default=("", "", "tcp"), init=False, repr=False)

    @property
    def label(self) -> str:
        if self.name != self.ref.name:
            return f"rename {self.ref} → {self.name}"
        return f"edit {self.ref}"

    def apply(self, plan: Plan) -> None:
        tier = find_tier(plan, self.ref.project, self.ref.tier)
        service = find_service(plan, self.ref)
        if self.name != service.name:
            _check_name(self.name, [s.name for s in tier.services], "service")
            new = ServiceRef(self.ref.project, self.ref.tier, self.name)
            _check_paths(plan, [new.path], lambda ref: ref == self.ref)
        if self.protocol not in (None, "tcp", "udp"):
            raise EditError(f"{self.protocol!r} is not a protocol (tcp or udp)")
        self._before = (service.name, service.description, service.protocol)
        service.name, service.description = self.name, self.description
        if self.protocol is not None:
            service.protocol = self.protocol  # type: ignore[assignment]

    def revert(self, plan: Plan) -> None:
        service = find_service(plan, ServiceRef(self.ref.project, self.ref.tier, self.name))
        service.name, service.description, service.protocol = self._before  # type: ignore[assignment]


@dataclass
class AddTier:
    project: str
    tier: Tier

    @property
    def label(self) -> str:
        return f"add tier {self.project}/{self.tier.name} ({self.tier.ports})"

    def apply(self, plan: Plan) -> None:
        project = find_project(plan, self.project)
        _check_name(self.tier.name, [t.name for t in project.tiers], "tier")
        _check_paths(plan, _tier_paths(self.project, self.tier))
        _check_range(self.tier.ports)
        project.tiers.append(self.tier.model_copy(deep=True))

    def revert(self, plan: Plan) -> None:
        project = find_project(plan, self.project)
        project.tiers = [t for t in project.tiers if t.name != self.tier.name]


@dataclass
class RemoveTier:
    project: str
    name: str
    _removed: Tier | None = field(default=None, init=False, repr=False)
    _position: int = field(default=-1, init=False, repr=False)

    @property
    def label(self) -> str:
        return f"remove tier {self.project}/{self.name}"

    def apply(self, plan: Plan) -> None:
        project = find_project(plan, self.project)
        tier = find_tier(plan, self.project, self.name)
        self._position = project.tiers.index(tier)
        self._removed = project.tiers.pop(self._position)

    def revert(self, plan: Plan) -> None:
        assert self._removed is not None, "revert before apply"
        find_project(plan, self.project).tiers.insert(self._position, self._removed)


@dataclass
class EditTier:
    project: str
    name: str
    new_name: str
    description: str
    ports: PortRange
    _before: tuple[str, str, PortRange] | None = field(default=None, init=False, repr=False)

    @property
    def label(self) -> str:
        return f"edit tier {self.project}/{self.name}"

    def apply(self, plan: Plan) -> None:
        project = find_project(plan, self.project)
        tier = find_tier(plan, self.project, self.name)
        if self.new_name != tier.name:
            _check_name(self.new_name, [t.name for t in project.tiers], "tier")
            renamed = tier.model_copy(update={"name": self.new_name})
            _check_paths(
                plan, _tier_paths(self.project, renamed), _under_tier(self.project, tier.name)
            )
        _check_range(self.ports)
        self._before = (tier.name, tier.description, tier.ports)
        tier.name, tier.description, tier.ports = self.new_name, self.description, self.ports

    def revert(self, plan: Plan) -> None:
        assert self._before is not None, "revert before apply"
        tier = find_tier(plan, self.project, self.new_name)
        tier.name, tier.description, tier.ports = self._before


@dataclass
class AddProject:
    project: Project

    @property
    def label(self) -> str:
        return f"add project {self.project.name} ({self.project.ports})"

    def apply(self, plan: Plan) -> None:
        _check_name(self.project.name, [p.name for p in plan.projects], "project")
        _check_paths(plan, _project_paths(self.project.name, self.project))
        _check_range(self.project.ports)
        plan.projects.append(self.project.model_copy(deep=True))

    def revert(self, plan: Plan) -> None:
        plan.projects = [p for p in plan.projects if p.name != self.project.name]


@dataclass
class RemoveProject:
    name: str
    _removed: Project | None = field(default=None, init=False, repr=False)
    _position: int = field(default=-1, init=False, repr=False)

    @property
    def label(self) -> str:
        return f"remove project {self.name}"

    def apply(self, plan: Plan) -> None:
        project = find_project(plan, self.name)
        self._position = plan.projects.index(project)
        self._removed = plan.projects.pop(self._position)

    def revert(self, plan: Plan) -> None:
        assert self._removed is not None, "revert before apply"
        plan.projects.insert(self._position, self._removed)


@dataclass
class EditProject:
    name: str
    new_name: str
    description: str
    ports: PortRange
    _before: tuple[str, str, PortRange] | None = field(default=None, init=False, repr=False)

    @property
    def label(self) -> str:
        return f"edit project {self.name}"

    def apply(self, plan: Plan) -> None:
        project = find_project(plan, self.name)
        if self.new_name != project.name:
            _check_name(self.new_name, [p.name for p in plan.projects], "project")
            _check_paths(plan, _project_paths(self.new_name, project), _under_project(project.name))
        _check_range(self.ports)
        self._before = (project.name, project.description, project.ports)
        project.name, project.description, project.ports = (
            self.new_name,
            self.description,
            self.ports,
        )

    def revert(self, plan: Plan) -> None:
        assert self._before is not None, "revert before apply"
        project = find_project(plan, self.new_name)
        project.name, project.description, project.ports = self._before


@dataclass
class Rebase:
    """Move a project (or one of its tiers) to a new start port; everything keeps its offset."""

    project: str
    new_start: int
    tier: str | None = None
    _offset: int = field(default=0, init=False, repr=False)

    @property
    def label(self) -> str:
        target = self.project if self.tier is None else f"{self.project}/{self.tier}"
        return f"rebase {target} to {self.new_start}"

    def _targets(self, plan: Plan) -> tuple[Project | None, list[Tier]]:
        project = find_project(plan, self.project)
        if self.tier is None:
            return project, list(project.tiers)
        return None, [find_tier(plan, self.project, self.tier)]

    def offset_for(self, plan: Plan) -> int:
        project, tiers = self._targets(plan)
        start = project.ports.start if project is not None else tiers[0].ports.start
        return self.new_start - start

    def apply(self, plan: Plan) -> None:
        offset = self.offset_for(plan)
        project, tiers = self._targets(plan)
        ends = [project.ports.end] if project is not None else []
        starts = [project.ports.start] if project is not None else []
        for tier in tiers:
            ends.append(tier.ports.end)
            starts.append(tier.ports.start)
            for service in tier.services:
                ends.append(service.port)
                starts.append(service.port)
        highest, lowest = max(ends, default=0), min(starts, default=1)
        if highest + offset > MAX_PORT or lowest + offset < 1:
            raise EditError(f"rebasing to {self.new_start} would push ports outside 1-{MAX_PORT}")
        self._offset = offset
        self._shift(project, tiers, offset)

    def revert(self, plan: Plan) -> None:
        project, tiers = self._targets(plan)
        self._shift(project, tiers, -self._offset)

    @staticmethod
    def _shift(project: Project | None, tiers: list[Tier], offset: int) -> None:
        if project is not None:
            project.ports = project.ports.shifted(offset)
        for tier in tiers:
            tier.ports = tier.ports.shifted(offset)
            for service in tier.services:
                service.port += offset


@dataclass
class History:
    """Undo and redo stacks over one plan; every edit is one step, the whole session long."""

    plan: Plan
    done: list[Edit] = field(default_factory=list)
    undone: list[Edit] = field(default_factory=list)

    def do(self, edit: Edit) -> None:
        edit.apply(self.plan)
        self.done.append(edit)
        self.undone.clear()

    def undo(self) -> Edit | None:
        if not self.done:
            return None
        edit = self.done.pop()
        edit.revert(self.plan)
        self.undone.append(edit)
        return edit

    def redo(self) -> Edit | None:
        if not self.undone:
            return None
        edit = self.undone.pop()
        edit.apply(self.plan)
        self.done.append(edit)
        return edit
