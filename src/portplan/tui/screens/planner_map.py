"""The planner's port map: what it shows for the highlighted node, and what its keys do.

A part of `PlannerScreen` kept in its own file: the map posts messages, and these handlers
turn them into the same edits (through the same dialogs) as the tree's keys.
"""

from __future__ import annotations

from collections.abc import Collection

from textual import work

from portplan.edits import MoveService
from portplan.model import NodeRef, Plan, Project, ServiceRef, Tier, TierRef
from portplan.portmap import PortMapModel, build_port_map
from portplan.tui.screens.planner_base import PlannerBase
from portplan.tui.widgets.port_map import PortMap


class PortMapActions(PlannerBase):
    """The port map's part of PlannerScreen."""

    _map_key: tuple[object, ...] | None = None

    def show_map(
        self,
        ref: NodeRef | None,
        *,
        edited: bool = False,
        only: Collection[str] | None = None,
    ) -> None:
        """Draw the highlighted node's project (its tier shaded); skip it if nothing changed.

        After an edit, `only` names the projects whose services or findings it changed (None:
        anything may have changed): a map none of them is on is still right."""
        port_map = self.port_map
        if ref is None or not self.index.contains(ref):
            self._map_key = None
            port_map.show(None)
            return
        project = self.session.plan.project(ref.project)
        tier = _tier(project, ref.tier) if isinstance(ref, (TierRef, ServiceRef)) else None
        cursor = None
        if isinstance(ref, ServiceRef) and tier is not None:
            cursor = next((s.port for s in tier.services if s.name == ref.name), None)
        key = (
            ref.project,
            tier.name if tier else None,
            len(self.session.history.done),
            len(self.session.history.undone),
            id(self.session),
            id(self.session.listeners),
        )
        if key == self._map_key and not edited:
            if cursor is not None:
                port_map.show(port_map.model, cursor_port=cursor)
            return
        same_view = (
            self._map_key is not None and key[:2] + key[4:] == self._map_key[:2] + self._map_key[4:]
        )
        self._map_key = key
        if (
            edited
            and only is not None
            and same_view
            and port_map.model is not None
            and not _changed_on(port_map.model, self.session.plan, only)
        ):
            port_map.show(port_map.model, cursor_port=cursor)
            return
        model = build_port_map(
            self.session.plan,
            project,
            tier,
            self.index,
            self.session.ephemeral,
            self.session.live.projects_on,
            self.plan_tree.in_use,
        )
        port_map.show(model, cursor_port=cursor)

    def action_toggle_map(self) -> None:
        if self.port_map.has_focus:
            self.plan_tree.focus()
        else:
            self.port_map.focus()

    def on_port_map_cell_chosen(self, event: PortMap.CellChosen) -> None:
        event.stop()
        if event.owners:
            self.plan_tree.select_ref(event.owners[0])
            self.plan_tree.focus()
            return
        self.reserve_at(event.port)

    def _map_home(self, port: int) -> TierRef | None:
        """The tier a port of the map belongs to: the one whose range holds it, else the
        highlighted tier, else the project's first."""
        model = self.port_map.model
        if model is None:
            return None
        project = self.session.plan.project(model.project)
        tier = next((t for t in project.tiers if port in t.ports), None)
        if tier is None and model.home_name is not None:
            tier = _tier(project, model.home_name)
        if tier is None and project.tiers:
            tier = project.tiers[0]
        return TierRef(project.name, tier.name) if tier is not None else None

    @work
    async def reserve_at(self, port: int) -> None:
        """The reserve dialog with `port` filled in, for the tier that holds it."""
        home = self._map_home(port)
        if home is None:
            self.notify("This project has no tiers yet: press a to add one.")
            return
        if await self.reserve_in(home, port):
            self.port_map.focus()

    def move_to_map_cursor(self) -> None:
        """`m` on the map: the service highlighted in the tree moves to the cursor's port."""
        ref = self.plan_tree.current_ref
        port = self.port_map.cursor_port
        model = self.port_map.model
        if not isinstance(ref, ServiceRef) or port is None or model is None:
            self.notify("Highlight a service in the tree, then press m on a free cell.")
            return
        if model.owners.get(port):
            self.notify(f"Port {port} is taken: move to a free cell (·).", severity="warning")
            return
        home = self._map_home(port)
        target = home if home is not None else TierRef(ref.project, ref.tier)
        edit = MoveService(ref, port, target.project, target.tier)
        if self.apply(edit, edit.target):
            self.port_map.focus()


def _changed_on(model: PortMapModel, plan: Plan, projects: Collection[str]) -> bool:
    """True when one of `projects` is the map's, held one of its ports when it was built, or
    holds one now: only then can an edit of their services have changed the map."""
    shown = {model.project} | {ref.project for refs in model.owners.values() for ref in refs}
    if not shown.isdisjoint(projects):
        return True
    first, last = model.ports.start, model.ports.end
    for project in plan.projects:
        if project.name in projects and any(
            first <= service.port <= last for tier in project.tiers for service in tier.services
        ):
            return True
    return False


def _tier(project: Project, name: str) -> Tier:
    return next(tier for tier in project.tiers if tier.name == name)
