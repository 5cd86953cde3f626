"""Changes to a plan as small command objects that know their inverse.

The planner's undo/redo and the command line (`portplan rebase`) share them. An edit checks
everything it needs *before* touching the plan and raises `EditError` with a sentence for
the user, so a refused edit leaves the plan exactly as it was. Edits find their targets by
name (`ServiceRef`), never by holding model objects, so a later undo still finds them.
"""

from __future__ import annotations

from typing import Protocol

from portplan.edit_checks import EditError as EditError
from portplan.edit_checks import (
    check_name,
    check_paths,
    check_port,
    insert_by_port,
)
from portplan.edit_checks import find_project as find_project
from portplan.edit_checks import find_service as find_service
from portplan.edit_checks import find_tier as find_tier
from portplan.model import Plan, Service, ServiceRef, subject
from portplan.structure_edits import AddProject as AddProject
from portplan.structure_edits import AddTier as AddTier
from portplan.structure_edits import EditFolders as EditFolders
from portplan.structure_edits import EditProject as EditProject
from portplan.structure_edits import EditTier as EditTier
from portplan.structure_edits import Rebase as Rebase
from portplan.structure_edits import RemoveProject as RemoveProject
from portplan.structure_edits import RemoveTier as RemoveTier


class Edit(Protocol):
    @property
    def label(self) -> str: ...

    def apply(self, plan: Plan) -> None: ...

    def revert(self, plan: Plan) -> None: ...


class ReserveService:
    def __init__(self, project: str, tier: str, service: Service) -> None:
        self.project = project
        self.tier = tier
        self.service = service
        self._position: int = -1

    @property
    def label(self) -> str:
        return f"reserve {self.service.port} for {self.project}/{self.tier}/{self.service.name}"

    def apply(self, plan: Plan) -> None:
        tier = find_tier(plan, self.project, self.tier)
        check_port(self.service.port)
        check_name(self.service.name, [s.name for s in tier.services], "service")
        check_paths(plan, [subject(self.project, self.tier, self.service.name)])
        self._position = insert_by_port(tier.services, self.service.model_copy())

    def revert(self, plan: Plan) -> None:
        del find_tier(plan, self.project, self.tier).services[self._position]


class ReleaseService:
    def __init__(self, ref: ServiceRef) -> None:
        self.ref = ref
        self._removed: Service | None = None
        self._position: int = -1

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


class MoveService:
    """A new port and/or a new home tier for one service."""

    def __init__(
        self,
        ref: ServiceRef,
        port: int,
        to_project: str | None = None,
        to_tier: str | None = None,
    ) -> None:
        self.ref = ref
        self.port = port
        self.to_project = to_project
        self.to_tier = to_tier
        self._old_port = -1
        self._old_position = -1

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
        check_port(self.port)
        source = find_tier(plan, self.ref.project, self.ref.tier).services
        service = find_service(plan, self.ref)
        destination = find_tier(plan, self.target.project, self.target.tier).services
        if destination is not source:
            check_name(service.name, [s.name for s in destination], "service")
            check_paths(plan, [self.target.path], lambda ref: ref == self.ref)
        self._old_port = service.port
        self._old_position = source.index(service)
        source.pop(self._old_position)
        service.port = self.port
        insert_by_port(destination, service)

    def revert(self, plan: Plan) -> None:
        destination = find_tier(plan, self.target.project, self.target.tier).services
        service = find_service(plan, self.target)
        destination.remove(service)
        service.port = self._old_port
        find_tier(plan, self.ref.project, self.ref.tier).services.insert(
            self._old_position, service
        )


class EditService:
    def __init__(
        self, ref: ServiceRef, name: str, description: str, protocol: str | None = None
    ) -> None:
        self.ref = ref
        self.name = name
        self.description = description
        self.protocol = protocol
        self._before: tuple[str, str, str] = ("", "", "tcp")

    @property
    def label(self) -> str:
        if self.name != self.ref.name:
            return f"rename {self.ref} → {self.name}"
        return f"edit {self.ref}"

    def apply(self, plan: Plan) -> None:
        tier = find_tier(plan, self.ref.project, self.ref.tier)
        service = find_service(plan, self.ref)
        if self.name != service.name:
            check_name(self.name, [s.name for s in tier.services], "service")
            new = ServiceRef(self.ref.project, self.ref.tier, self.name)
            check_paths(plan, [new.path], lambda ref: ref == self.ref)
        if self.protocol not in (None, "tcp", "udp"):
            raise EditError(f"{self.protocol!r} is not a protocol (tcp or udp)")
        self._before = (service.name, service.description, service.protocol)
        service.name, service.description = self.name, self.description
        if self.protocol is not None:
            service.protocol = self.protocol  # type: ignore[assignment]

    def revert(self, plan: Plan) -> None:
        service = find_service(plan, ServiceRef(self.ref.project, self.ref.tier, self.name))
        service.name, service.description, service.protocol = self._before  # type: ignore[assignment]


class History:
    """Undo and redo stacks over one plan; every edit is one step, the whole session long."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.done: list[Edit] = []
        self.undone: list[Edit] = []

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
