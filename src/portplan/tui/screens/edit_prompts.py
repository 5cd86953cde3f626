"""From a highlighted node to an edit: each prompt opens its dialog (with a live preview of
the findings the edit would add or clear) and returns the edit the user asked for, or None.

The prompts change nothing: the screen applies what they return, through the one path every
edit takes (`PlannerScreen.apply`). They run inside the screen's workers, since they wait for
dialogs.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import NamedTuple, TypeVar

from rich.text import Text
from textual.app import App
from textual.screen import Screen

from portplan.edits import (
    AddProject,
    AddTier,
    Edit,
    EditFolders,
    EditProject,
    EditService,
    EditTier,
    MoveService,
    Rebase,
    ReleaseService,
    RemoveProject,
    RemoveTier,
    ReserveService,
)
from portplan.model import NodeRef, Project, ProjectRef, Service, ServiceRef, Tier, TierRef
from portplan.resolve import Scope
from portplan.session import Session
from portplan.tui.labels import Palette, literal
from portplan.tui.modals.confirm import ConfirmDialog
from portplan.tui.modals.dialogs import (
    EditServiceDialog,
    FoldersDialog,
    MoveDialog,
    MoveRequest,
    RangedItem,
    RangedItemDialog,
    RebaseDialog,
    ReserveDialog,
    ReserveRequest,
)
from portplan.tui.preview import RenderedPreview, render_preview

T = TypeVar("T")


class Proposal(NamedTuple):
    """An edit the user confirmed, and the node to highlight once it is applied."""

    edit: Edit
    select: NodeRef | None


class EditPrompts:
    """The editing dialogs over one session; `palette` colours their previews."""

    def __init__(self, app: App[None], session: Session, palette: Callable[[], Palette]) -> None:
        self._app = app
        self.session = session
        self._palette = palette

    async def _ask(self, dialog: Screen[T]) -> T:
        return await self._app.push_screen_wait(dialog)

    def preview(
        self, edit: Edit, port: int | None = None, moving: str | None = None
    ) -> RenderedPreview:
        return render_preview(self.session.preview(edit, port, moving=moving), self._palette())

    def _say(self, message: str) -> None:
        self._app.notify(message)

    # --- services -----------------------------------------------------------------------

    async def reserve_here(self, ref: NodeRef | None) -> Proposal | None:
        """A new service in the highlighted tier, or in the project's tier holding the first
        clean port, with that port suggested."""
        if ref is None:
            self._say("Highlight a tier or project first (or press A to add a project).")
            return None
        project = self.session.plan.project(ref.project)
        tier = _tier(project, ref.tier) if isinstance(ref, (TierRef, ServiceRef)) else None
        suggested = self.session.suggest_port(Scope(project, tier))
        if tier is None:
            candidates = [
                t for t in project.tiers if suggested is not None and suggested in t.ports
            ]
            tier = candidates[0] if candidates else (project.tiers[0] if project.tiers else None)
        if tier is None:
            self._say(f"{project.name} has no tiers yet: press a to add one.")
            return None
        return await self.reserve(TierRef(project.name, tier.name), suggested)

    async def reserve_at(self, home: TierRef | None, port: int) -> Proposal | None:
        """A free cell of the port map chosen: `port` in `home`, the tier that holds it."""
        if home is None:
            self._say("This project has no tiers yet: press a to add one.")
            return None
        return await self.reserve(home, port)

    async def reserve(self, home: TierRef, port: int | None) -> Proposal | None:
        """A new service in `home`, `port` filled in."""
        tier = _tier(self.session.plan.project(home.project), home.tier)

        def preview(request: ReserveRequest) -> RenderedPreview:
            edit = ReserveService(home.project, home.tier, _service_of(request))
            return self.preview(edit, request.port)

        request = await self._ask(
            ReserveDialog(str(home), port, [s.name for s in tier.services], preview)
        )
        if request is None:
            return None
        service = _service_of(request)
        return Proposal(
            ReserveService(home.project, home.tier, service),
            ServiceRef(home.project, home.tier, service.name),
        )

    async def move(self, ref: NodeRef | None) -> Proposal | None:
        """A new port, or a new home tier, for the service `ref`."""
        if not isinstance(ref, ServiceRef):
            self._say("Highlight a service to move it.")
            return None
        plan = self.session.plan
        service = _service(_tier(plan.project(ref.project), ref.tier), ref.name)
        homes = [TierRef(p.name, t.name) for p in plan.projects for t in p.tiers]

        def edit_for(request: MoveRequest) -> MoveService:
            return MoveService(ref, request.port, request.home.project, request.home.tier)

        def preview(request: MoveRequest) -> RenderedPreview:
            return self.preview(edit_for(request), request.port, moving=str(ref))

        project = plan.project(ref.project)

        def tier_of(port: int) -> TierRef | None:
            tier = next((t for t in project.tiers if port in t.ports), None)
            return None if tier is None else TierRef(project.name, tier.name)

        request = await self._ask(
            MoveDialog(
                str(ref), service.port, TierRef(ref.project, ref.tier), homes, preview, tier_of
            )
        )
        if request is None:
            return None
        edit = edit_for(request)
        return Proposal(edit, edit.target)

    async def release(self, ref: NodeRef | None) -> Proposal | None:
        if not isinstance(ref, ServiceRef):
            self._say("Highlight a service to release its port.")
            return None
        service = _service(_tier(self.session.plan.project(ref.project), ref.tier), ref.name)
        message = Text.assemble(
            "Release port ",
            (str(service.port), "bold"),
            " held by ",
            (literal(str(ref)), "bold"),
            "?",
        )
        if await self._ask(ConfirmDialog("Release port", message, "Release")):
            return Proposal(ReleaseService(ref), TierRef(ref.project, ref.tier))
        return None

    async def edit(self, ref: NodeRef | None) -> Proposal | None:
        """The highlighted service's name and description, or a tier's or project's name,
        description and range."""
        if isinstance(ref, ServiceRef):
            return await self.edit_service(ref)
        if isinstance(ref, TierRef):
            return await self.edit_tier(ref)
        if isinstance(ref, ProjectRef):
            return await self.edit_project(ref)
        return None

    async def edit_service(self, ref: ServiceRef) -> Proposal | None:
        tier = _tier(self.session.plan.project(ref.project), ref.tier)
        service = _service(tier, ref.name)
        names = [s.name for s in tier.services]
        text = await self._ask(
            EditServiceDialog(service.name, service.description, service.protocol, names)
        )
        if text is None:
            return None
        return Proposal(
            EditService(ref, text.name, text.description, text.protocol),
            ServiceRef(ref.project, ref.tier, text.name),
        )

    # --- tiers and projects -------------------------------------------------------------

    async def edit_tier(self, ref: TierRef) -> Proposal | None:
        project = self.session.plan.project(ref.project)
        tier = _tier(project, ref.tier)

        def tier_edit(item: RangedItem) -> EditTier:
            return EditTier(project.name, tier.name, item.name, item.description, item.ports)

        item = await self._ask(
            RangedItemDialog(
                f"Edit tier {tier.name}",
                "Save changes",
                RangedItem(tier.name, tier.description, tier.ports),
                [t.name for t in project.tiers],
                lambda item: self.preview(tier_edit(item)),
            )
        )
        if item is None:
            return None
        return Proposal(tier_edit(item), TierRef(project.name, item.name))

    async def edit_project(self, ref: ProjectRef) -> Proposal | None:
        project = self.session.plan.project(ref.project)

        def project_edit(item: RangedItem) -> EditProject:
            return EditProject(project.name, item.name, item.description, item.ports)

        item = await self._ask(
            RangedItemDialog(
                f"Edit project {project.name}",
                "Save changes",
                RangedItem(project.name, project.description, project.ports),
                [p.name for p in self.session.plan.projects],
                lambda item: self.preview(project_edit(item)),
            )
        )
        if item is None:
            return None
        return Proposal(project_edit(item), ProjectRef(item.name))

    async def edit_folders(self, ref: NodeRef | None) -> Proposal | None:
        """The folders (`paths`) of the highlighted node's project."""
        if ref is None:
            self._say("Highlight a project first.")
            return None
        project = self.session.plan.project(ref.project)
        folders = await self._ask(FoldersDialog(project.name, project.paths))
        if folders is None or folders == project.paths:
            return None
        return Proposal(EditFolders(project.name, folders), ProjectRef(project.name))

    async def add(self, ref: NodeRef | None) -> Proposal | None:
        """A new tier in the project of `ref`; a new project when nothing is highlighted."""
        if ref is None:
            return await self.add_project()
        project = self.session.plan.project(ref.project)

        def tier_add(item: RangedItem) -> AddTier:
            return AddTier(
                project.name, Tier(name=item.name, ports=item.ports, description=item.description)
            )

        item = await self._ask(
            RangedItemDialog(
                f"Add a tier to {project.name}",
                "Add tier",
                None,
                [t.name for t in project.tiers],
                lambda item: self.preview(tier_add(item)),
            )
        )
        if item is None:
            return None
        return Proposal(tier_add(item), TierRef(project.name, item.name))

    async def add_project(self) -> Proposal | None:
        def project_add(item: RangedItem) -> AddProject:
            return AddProject(
                Project(name=item.name, ports=item.ports, description=item.description)
            )

        item = await self._ask(
            RangedItemDialog(
                "Add a project",
                "Add project",
                None,
                [p.name for p in self.session.plan.projects],
                lambda item: self.preview(project_add(item)),
            )
        )
        if item is None:
            return None
        return Proposal(project_add(item), ProjectRef(item.name))

    async def remove(self, ref: NodeRef | None) -> Proposal | None:
        """A tier or a project, with its services (asks first)."""
        if isinstance(ref, ServiceRef):
            self._say("To release a service's port, press d.")
            return None
        if ref is None:
            return None
        project = self.session.plan.project(ref.project)
        edit: Edit
        if isinstance(ref, TierRef):
            count = len(_tier(project, ref.tier).services)
            edit = RemoveTier(ref.project, ref.tier)
            what = f"tier {ref} and its {count} services"
        else:
            count = sum(len(t.services) for t in project.tiers)
            edit = RemoveProject(ref.project)
            what = f"project {ref} and its {count} services"
        message = Text.assemble("Remove ", (literal(what), "bold"), "? (undo brings it back)")
        if await self._ask(ConfirmDialog("Remove", message, "Remove")):
            return Proposal(edit, ProjectRef(ref.project) if isinstance(ref, TierRef) else None)
        return None

    async def rebase(self, ref: NodeRef | None) -> Proposal | None:
        """Shift a project or a tier, with its services, to a new first port."""
        if ref is None or isinstance(ref, ServiceRef):
            self._say("Highlight a project or a tier to rebase it.")
            return None
        project = self.session.plan.project(ref.project)
        tier = ref.tier if isinstance(ref, TierRef) else None
        start = _tier(project, tier).ports.start if tier is not None else project.ports.start

        def preview(new_start: int) -> RenderedPreview:
            return self.preview(Rebase(ref.project, new_start, tier))

        new_start = await self._ask(RebaseDialog(str(ref), start, preview))
        if new_start is None or new_start == start:
            return None
        return Proposal(Rebase(ref.project, new_start, tier), ref)


# A prompt given the highlighted node (see PlannerScreen._propose).
Prompt = Callable[[EditPrompts, NodeRef | None], Awaitable[Proposal | None]]


def _service_of(request: ReserveRequest) -> Service:
    return Service(
        port=request.port,
        name=request.name,
        description=request.description,
        protocol=request.protocol,  # type: ignore[arg-type]
    )


def _tier(project: Project, name: str) -> Tier:
    return next(tier for tier in project.tiers if tier.name == name)


def _service(tier: Tier, name: str) -> Service:
    return next(service for service in tier.services if service.name == name)
