"""The planner screen: tree, details and findings; it turns keys into edits on the session.

Widgets only show things and post messages; this screen applies edits through the domain's
`Session` (which re-analyses) and then refreshes every view from the result.
"""

from __future__ import annotations

import gc
from collections.abc import Collection
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Footer, Header, Static, Tree

from portplan.changes import diff_plans
from portplan.edits import (
    AddProject,
    AddTier,
    Edit,
    EditError,
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
from portplan.filestamp import ChangedOnDisk
from portplan.finding_index import FindingIndex
from portplan.findings import summarize
from portplan.model import (
    NodeRef,
    Project,
    ProjectRef,
    Service,
    ServiceRef,
    Tier,
    TierRef,
)
from portplan.resolve import Scope
from portplan.search import find_nodes
from portplan.session import Session
from portplan.tui.keymap import PLANNER_KEYS, bindings
from portplan.tui.labels import literal
from portplan.tui.modals.changes import ChangesScreen
from portplan.tui.modals.confirm import ConfirmDialog, QuitDialog
from portplan.tui.modals.dialogs import (
    EditServiceDialog,
    MoveDialog,
    MoveRequest,
    RangedItem,
    RangedItemDialog,
    RebaseDialog,
    ReserveDialog,
    ReserveRequest,
)
from portplan.tui.modals.find import FindDialog
from portplan.tui.modals.help import HelpScreen
from portplan.tui.preview import render_preview
from portplan.tui.screens.planner_map import PortMapActions
from portplan.tui.screens.planner_safety import SafeEditing
from portplan.tui.widgets.details import Details
from portplan.tui.widgets.findings_list import FindingsList
from portplan.tui.widgets.plan_tree import PlanTree
from portplan.tui.widgets.port_map import PortMap

if TYPE_CHECKING:  # the probe and the scan are imported by their workers, when first used
    from portplan.probe import ProbeReport
    from portplan.scan.scanner import ScanReport

# Small plans open fully expanded; large ones open at project level and load on demand.
EXPAND_ALL_UP_TO = 400
# From this size the plan is kept out of the cyclic collector's passes (see below).
FREEZE_FROM = 5_000


def keep_out_of_collections(services: int) -> None:
    """A large plan lives as long as the session and holds no reference cycles, yet every full
    pass of the cyclic collector walks all of it: over 100 ms at 61,440 services, landing in
    the middle of an edit. Frozen, the objects alive now are skipped by every later pass
    (they are still freed as usual when no longer referenced)."""
    if services >= FREEZE_FROM:
        gc.freeze()


class PlannerScreen(PortMapActions, SafeEditing):
    BINDINGS: ClassVar[list[BindingType]] = bindings(PLANNER_KEYS)

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.index = FindingIndex(session.plan, session.all_findings)
        self.finding_cursor = -1
        # The node the details and the map show (see _highlighted).
        self._details_ref: NodeRef | None = None

    # --- layout -----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="main"):
            with Vertical(id="left"):
                yield PlanTree(id="tree")
                with VerticalScroll(id="details-pane"):
                    yield Details(id="details")
            yield PortMap(id="map")
        yield FindingsList(id="findings")
        yield Static("", id="status")
        yield Footer()

    def on_mount(self) -> None:
        services = sum(1 for _ in self.session.plan.services())
        self.plan_tree.show_plan(
            self.session.plan, self.index, expand_all=services <= EXPAND_ALL_UP_TO
        )
        self.query_one("#details-pane").border_title = "Details"
        self.plan_tree.border_title = "Plan"
        self.query_one(FindingsList).show(self.session.all_findings)
        self._update_title()
        if not self.session.exists:
            self.set_status(
                f"New plan: {self.session.path.name} is created on the first save "
                "(ctrl+s). Press A to add a project."
            )
        else:
            self.set_status(self._summary_line())
        self.plan_tree.focus()
        if self.plan_tree.root.children:
            self.plan_tree.move_cursor(self.plan_tree.root.children[0])
        self.offer_recovery()
        keep_out_of_collections(services)

    def _summary_line(self) -> str:
        counts = summarize(self.session.findings)
        services = sum(len(t.services) for p in self.session.plan.projects for t in p.tiers)
        return (
            f"{len(self.session.plan.projects)} projects, {services} services · "
            f"✗ {counts['error']} errors · ⚠ {counts['warning']} warnings · "
            f"ℹ {counts['info']} info"
        )

    def _update_title(self) -> None:
        marker = " ● modified" if self.session.modified else ""
        self.app.sub_title = f"{self.session.path.name}{marker}"

    def set_status(self, text: str) -> None:
        # One line high whatever it says: no need to lay the screen out again.
        self.query_one("#status", Static).update(Text(text), layout=False)

    # --- refreshing after a change ----------------------------------------------------

    def refresh_views(self, select: NodeRef | None = None) -> None:
        self.index = self.index.update(self.session.plan, self.session.all_findings)
        tree = self.plan_tree
        # After an edit to services, only the projects it or its findings touched redraw.
        touched, self.session.touched = self.session.touched, None
        only = None if touched is None else touched | self.index.changed_projects
        tree.sync(self.session.plan, self.index, only)
        if select is not None:
            tree.select_ref(select)
        self.query_one(FindingsList).show(self.session.all_findings)
        self._show_details(tree.current_ref, edited=True, only=only)
        self._update_title()
        self.schedule_recovery()

    def _show_details(
        self, ref: NodeRef | None, *, edited: bool = False, only: Collection[str] | None = None
    ) -> None:
        self._details_ref = ref
        if ref is not None and not self.index.contains(ref):
            ref = None
        self.query_one(Details).show(self.session.plan, ref, self.index, self.session.listeners)
        self.show_map(ref, edited=edited, only=only)

    @on(Tree.NodeHighlighted)
    def _highlighted(self, event: Tree.NodeHighlighted[NodeRef]) -> None:
        # After an edit the cursor's node is often new, so the tree reports a highlight of
        # what refresh_views has just drawn: drawing it again would cost a second frame.
        if event.node.data != self._details_ref:
            self._show_details(event.node.data)

    @on(FindingsList.FindingChosen)
    def _finding_chosen(self, event: FindingsList.FindingChosen) -> None:
        ref = self.index.ref_of(event.finding)
        if ref is not None:
            self.finding_cursor = self.session.all_findings.index(event.finding)
            self.plan_tree.select_ref(ref)
            self.plan_tree.focus()

    def hold_collector_until_drawn(self) -> None:
        """No cyclic-collector pass between an edit and its frame. On a large plan a pass
        costs 15-25 ms; one falling inside an edit made it miss its frame budget, so the pass
        is put off until the edited screen has been drawn."""
        if gc.isenabled():
            gc.disable()
            self.call_after_refresh(gc.enable)

    def apply(self, edit: Edit, select: NodeRef | None) -> bool:
        self.hold_collector_until_drawn()
        try:
            self.session.apply(edit)
        except EditError as error:
            self.notify(str(error), title="Not changed", severity="error")
            return False
        self.set_status(f"{edit.label} · {self._summary_line()}")
        self.refresh_views(select)
        return True

    # --- context ----------------------------------------------------------------------

    def _current(self) -> NodeRef | None:
        ref = self.plan_tree.current_ref
        return ref if ref is not None and self.index.contains(ref) else None

    def _project(self, ref: NodeRef) -> Project:
        return self.session.plan.project(ref.project)

    def _tier(self, ref: TierRef | ServiceRef) -> Tier:
        return next(t for t in self._project(ref).tiers if t.name == ref.tier)

    def _service(self, ref: ServiceRef) -> Service:
        return next(s for s in self._tier(ref).services if s.name == ref.name)

    def _palette_preview(
        self, edit: Edit, port: int | None = None, moving: str | None = None
    ) -> Text:
        preview = self.session.preview(edit, port, moving=moving)
        return render_preview(preview, self.plan_tree.palette())

    # --- reserve ----------------------------------------------------------------------

    @work
    async def action_reserve(self) -> None:
        ref = self._current()
        if ref is None:
            self.notify("Highlight a tier or project first (or press A to add a project).")
            return
        project = self._project(ref)
        tier = self._tier(ref) if isinstance(ref, (TierRef, ServiceRef)) else None
        suggested = self.session.suggest_port(Scope(project, tier))
        if tier is None:
            candidates = [
                t for t in project.tiers if suggested is not None and suggested in t.ports
            ]
            tier = candidates[0] if candidates else (project.tiers[0] if project.tiers else None)
        if tier is None:
            self.notify(f"{project.name} has no tiers yet: press a to add one.")
            return
        await self.reserve_in(TierRef(project.name, tier.name), suggested)

    async def reserve_in(self, home: TierRef, port: int | None) -> bool:
        """The reserve dialog for `home`, `port` filled in; True when a port was reserved."""
        tier = self._tier(home)

        def preview(request: ReserveRequest) -> Text:
            edit = ReserveService(home.project, home.tier, _service_of(request))
            return self._palette_preview(edit, request.port)

        request = await self.app.push_screen_wait(
            ReserveDialog(str(home), port, [s.name for s in tier.services], preview)
        )
        if request is None:
            return False
        service = _service_of(request)
        return self.apply(
            ReserveService(home.project, home.tier, service),
            ServiceRef(home.project, home.tier, service.name),
        )

    # --- move -------------------------------------------------------------------------

    @work
    async def action_move(self) -> None:
        if self.port_map.has_focus:
            self.move_to_map_cursor()
            return
        ref = self._current()
        if not isinstance(ref, ServiceRef):
            self.notify("Highlight a service to move it.")
            return
        service = self._service(ref)
        homes = [TierRef(p.name, t.name) for p in self.session.plan.projects for t in p.tiers]
        home = TierRef(ref.project, ref.tier)

        def edit_for(request: MoveRequest) -> MoveService:
            return MoveService(ref, request.port, request.home.project, request.home.tier)

        def preview(request: MoveRequest) -> Text:
            return self._palette_preview(edit_for(request), request.port, moving=str(ref))

        request = await self.app.push_screen_wait(
            MoveDialog(str(ref), service.port, home, homes, preview)
        )
        if request is not None:
            edit = edit_for(request)
            self.apply(edit, edit.target)

    # --- release ----------------------------------------------------------------------

    @work
    async def action_release(self) -> None:
        ref = self._current()
        if not isinstance(ref, ServiceRef):
            self.notify("Highlight a service to release its port.")
            return
        service = self._service(ref)
        message = Text.assemble(
            "Release port ",
            (str(service.port), "bold"),
            " held by ",
            (literal(str(ref)), "bold"),
            "?",
        )
        if await self.app.push_screen_wait(ConfirmDialog("Release port", message, "Release")):
            self.apply(ReleaseService(ref), TierRef(ref.project, ref.tier))

    # --- edit / add / remove ----------------------------------------------------------

    @work
    async def action_edit(self) -> None:
        ref = self._current()
        if ref is None:
            return
        if isinstance(ref, ServiceRef):
            service = self._service(ref)
            names = [s.name for s in self._tier(ref).services]
            text = await self.app.push_screen_wait(
                EditServiceDialog(service.name, service.description, names)
            )
            if text is not None:
                self.apply(
                    EditService(ref, text.name, text.description),
                    ServiceRef(ref.project, ref.tier, text.name),
                )
            return
        project = self._project(ref)
        if isinstance(ref, TierRef):
            tier = self._tier(ref)
            current = RangedItem(tier.name, tier.description, tier.ports)

            def tier_edit(item: RangedItem) -> EditTier:
                return EditTier(project.name, tier.name, item.name, item.description, item.ports)

            item = await self.app.push_screen_wait(
                RangedItemDialog(
                    f"Edit tier {tier.name}",
                    "Save changes",
                    current,
                    [t.name for t in project.tiers],
                    lambda item: self._palette_preview(tier_edit(item)),
                )
            )
            if item is not None:
                self.apply(tier_edit(item), TierRef(project.name, item.name))
            return
        current = RangedItem(project.name, project.description, project.ports)

        def project_edit(item: RangedItem) -> EditProject:
            return EditProject(project.name, item.name, item.description, item.ports)

        item = await self.app.push_screen_wait(
            RangedItemDialog(
                f"Edit project {project.name}",
                "Save changes",
                current,
                [p.name for p in self.session.plan.projects],
                lambda item: self._palette_preview(project_edit(item)),
            )
        )
        if item is not None:
            self.apply(project_edit(item), ProjectRef(item.name))

    @work
    async def action_add(self) -> None:
        ref = self._current()
        if ref is None:
            await self.action_add_project()
            return
        project = self._project(ref)

        def tier_add(item: RangedItem) -> AddTier:
            return AddTier(
                project.name, Tier(name=item.name, ports=item.ports, description=item.description)
            )

        item = await self.app.push_screen_wait(
            RangedItemDialog(
                f"Add a tier to {project.name}",
                "Add tier",
                None,
                [t.name for t in project.tiers],
                lambda item: self._palette_preview(tier_add(item)),
            )
        )
        if item is not None:
            self.apply(tier_add(item), TierRef(project.name, item.name))

    async def action_add_project(self) -> None:
        def project_add(item: RangedItem) -> AddProject:
            return AddProject(
                Project(name=item.name, ports=item.ports, description=item.description)
            )

        item = await self.app.push_screen_wait(
            RangedItemDialog(
                "Add a project",
                "Add project",
                None,
                [p.name for p in self.session.plan.projects],
                lambda item: self._palette_preview(project_add(item)),
            )
        )
        if item is not None:
            self.apply(project_add(item), ProjectRef(item.name))

    @work
    async def action_new_project(self) -> None:
        await self.action_add_project()

    @work
    async def action_remove(self) -> None:
        ref = self._current()
        if isinstance(ref, ServiceRef):
            self.notify("To release a service's port, press d.")
            return
        if ref is None:
            return
        if isinstance(ref, TierRef):
            count = len(self._tier(ref).services)
            edit: Edit = RemoveTier(ref.project, ref.tier)
            what = f"tier {ref} and its {count} services"
        else:
            count = sum(len(t.services) for t in self._project(ref).tiers)
            edit = RemoveProject(ref.project)
            what = f"project {ref} and its {count} services"
        message = Text.assemble("Remove ", (literal(what), "bold"), "? (undo brings it back)")
        if await self.app.push_screen_wait(ConfirmDialog("Remove", message, "Remove")):
            self.apply(edit, ProjectRef(ref.project) if isinstance(ref, TierRef) else None)

    # --- rebase and the change list ----------------------------------------------------

    @work
    async def action_rebase(self) -> None:
        ref = self._current()
        if ref is None or isinstance(ref, ServiceRef):
            self.notify("Highlight a project or a tier to rebase it.")
            return
        tier = ref.tier if isinstance(ref, TierRef) else None
        start = (
            self._tier(ref).ports.start
            if isinstance(ref, TierRef)
            else self._project(ref).ports.start
        )

        def preview(new_start: int) -> Text:
            return self._palette_preview(Rebase(ref.project, new_start, tier))

        new_start = await self.app.push_screen_wait(RebaseDialog(str(ref), start, preview))
        if new_start is not None and new_start != start:
            self.apply(Rebase(ref.project, new_start, tier), ref)

    def action_changes(self) -> None:
        self.app.push_screen(ChangesScreen(diff_plans(self.session.baseline, self.session.plan)))

    # --- the real world: sockets and project folders -----------------------------------

    def action_probe(self) -> None:
        self.set_status("Probing this machine's listening sockets…")
        self._probe_worker()

    @work(thread=True, exclusive=True, group="probe")
    def _probe_worker(self) -> None:
        from portplan.probe import probe

        report = probe(self.session.plan)
        self.app.call_from_thread(self._probe_done, report)

    def _probe_done(self, report: ProbeReport) -> None:
        listeners: dict[int, list[str]] = {}
        for listener in report.listeners:
            listeners.setdefault(listener.port, []).append(listener.owner())
        self.session.listeners = listeners
        self.session.probe_findings = list(report.findings)
        self.plan_tree.in_use = {
            port: ", ".join(sorted(set(owners))) for port, owners in listeners.items()
        }
        blind = f" · {report.blind_spots[0]}" if report.blind_spots else ""
        self.set_status(
            f"Probe: {len(report.in_use)} planned ports in use, "
            f"{len(report.findings)} findings{blind}"
        )
        self.refresh_views(self.plan_tree.current_ref)

    def action_scan(self) -> None:
        if not any(project.paths for project in self.session.plan.projects):
            self.notify(
                "No project has `paths` in the plan, so there is nothing to scan. "
                'Add paths = ["../folder"] to a project.',
                title="Scan",
            )
            return
        self.set_status("Scanning project folders…")
        self._scan_worker()

    @work(thread=True, exclusive=True, group="scan")
    def _scan_worker(self) -> None:
        from portplan.scan.scanner import scan_projects

        report = scan_projects(self.session.plan, self.session.path, self.session.ephemeral)
        self.app.call_from_thread(self._scan_done, report)

    def _scan_done(self, report: ScanReport) -> None:
        self.session.scan_findings = [drift.as_finding() for drift in report.findings]
        files = sum(len(folder.files) for folder in report.folders)
        self.set_status(
            f"Scan: {files} files in {len(report.folders)} folders, {len(report.findings)} findings"
        )
        self.refresh_views(self.plan_tree.current_ref)

    # --- history ----------------------------------------------------------------------

    def action_undo(self) -> None:
        self.hold_collector_until_drawn()
        edit = self.session.undo()
        if edit is None:
            self.set_status("Nothing to undo")
            return
        self.set_status(f"Undid: {edit.label} · {self._summary_line()}")
        self.refresh_views(self.plan_tree.current_ref)

    def action_redo(self) -> None:
        self.hold_collector_until_drawn()
        edit = self.session.redo()
        if edit is None:
            self.set_status("Nothing to redo")
            return
        self.set_status(f"Redid: {edit.label} · {self._summary_line()}")
        self.refresh_views(self.plan_tree.current_ref)

    # --- finding things ---------------------------------------------------------------

    @work
    async def action_find(self) -> None:
        ref = await self.app.push_screen_wait(
            FindDialog(lambda query: find_nodes(self.session.plan, query))
        )
        if ref is not None:
            self.plan_tree.select_ref(ref)
            self.plan_tree.focus()

    def _go_to_finding(self, step: int) -> None:
        findings = self.session.all_findings
        if not findings:
            self.set_status("✓ No findings")
            return
        self.finding_cursor = (self.finding_cursor + step) % len(findings)
        finding = findings[self.finding_cursor]
        self.query_one(FindingsList).highlighted = self.finding_cursor
        ref = self.index.ref_of(finding)
        if ref is not None:
            self.plan_tree.select_ref(ref)
        self.set_status(f"Finding {self.finding_cursor + 1} of {len(findings)}: {finding.message}")

    def action_focus_findings(self) -> None:
        self.query_one(FindingsList).focus()

    def action_next_finding(self) -> None:
        self._go_to_finding(1)

    def action_previous_finding(self) -> None:
        self._go_to_finding(-1)

    # --- saving and quitting ----------------------------------------------------------

    def action_save(self) -> bool:
        try:
            self.session.save()
        except ChangedOnDisk:
            self.resolve_external_change()
            return False
        except OSError as error:
            self.notify(
                f"Could not save {self.session.path.name}: {error.strerror or error}",
                title="Not saved",
                severity="error",
            )
            return False
        self.drop_recovery()
        self._update_title()
        self.set_status(f"Saved {self.session.path.name} · {self._summary_line()}")
        return True

    @work
    async def action_quit(self) -> None:
        if not self.session.modified:
            self.app.exit()
            return
        choice = await self.app.push_screen_wait(QuitDialog(self.session.path.name))
        if choice == "save" and self.action_save():
            self.app.exit()
        elif choice == "discard":
            self.drop_recovery()
            self.app.exit()

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(PLANNER_KEYS))


def _service_of(request: ReserveRequest) -> Service:
    return Service(port=request.port, name=request.name, description=request.description)
