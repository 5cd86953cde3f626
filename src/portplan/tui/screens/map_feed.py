"""What the planner's port map shows for the highlighted node, and when to build it again.

The map widget draws a `PortMapModel` and posts messages; the screen owns one `MapFeed`,
which builds the model for the highlighted node's project and keeps the one on screen when an
edit could not have changed it (building it costs milliseconds of an edit's 50 ms budget).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import NamedTuple

from textual.notifications import SeverityLevel

from portplan.edits import MoveService
from portplan.finding_index import FindingIndex
from portplan.model import NodeRef, Plan, Project, ServiceRef, Tier, TierRef
from portplan.portmap import PortMapModel, build_port_map
from portplan.session import Session
from portplan.tui.widgets.port_map import PortMap


class MapFeed:
    """Feeds one `PortMap` widget from the session."""

    def __init__(self, port_map: PortMap) -> None:
        self.port_map = port_map
        # What the shown model was built from (see show).
        self._key: tuple[object, ...] | None = None

    def show(
        self,
        ref: NodeRef | None,
        session: Session,
        index: FindingIndex,
        in_use: dict[int, str],
        *,
        edited: bool = False,
        only: Collection[str] | None = None,
    ) -> None:
        """Draw the highlighted node's project (its tier shaded); skip it if nothing changed.

        After an edit, `only` names the projects whose services or findings it changed (None:
        anything may have changed): a map none of them is on is still right."""
        port_map = self.port_map
        if ref is None or not index.contains(ref):
            self._key = None
            port_map.show(None)
            return
        project = session.plan.project(ref.project)
        tier = _tier(project, ref.tier) if isinstance(ref, (TierRef, ServiceRef)) else None
        cursor = None
        if isinstance(ref, ServiceRef) and tier is not None:
            cursor = next((s.port for s in tier.services if s.name == ref.name), None)
        key = (
            ref.project,
            tier.name if tier else None,
            len(session.history.done),
            len(session.history.undone),
            id(session),
            id(session.listeners),
        )
        if key == self._key and not edited:
            if cursor is not None:
                port_map.show(port_map.model, cursor_port=cursor)
            return
        same_view = self._key is not None and key[:2] + key[4:] == self._key[:2] + self._key[4:]
        self._key = key
        if (
            edited
            and only is not None
            and same_view
            and port_map.model is not None
            and not _changed_on(port_map.model, session.plan, only)
        ):
            port_map.show(port_map.model, cursor_port=cursor)
            return
        # Until the session has counted its port owners (the first screen), the map walks
        # the plan: counting them takes longer than the walk.
        live = session.live
        projects_on = live.projects_on if live.owners_ready else None
        model = build_port_map(
            session.plan, project, tier, index, session.ephemeral, projects_on, in_use
        )
        port_map.show(model, cursor_port=cursor)

    def home_of(self, plan: Plan, port: int) -> TierRef | None:
        """The tier a port of the map belongs to: the one whose range holds it, else the
        highlighted tier, else the project's first."""
        model = self.port_map.model
        if model is None:
            return None
        project = plan.project(model.project)
        tier = next((t for t in project.tiers if port in t.ports), None)
        if tier is None and model.home_name is not None:
            tier = _tier(project, model.home_name)
        if tier is None and project.tiers:
            tier = project.tiers[0]
        return TierRef(project.name, tier.name) if tier is not None else None

    def move_to_cursor(self, plan: Plan, ref: NodeRef | None) -> MoveService | Refusal:
        """`m` on the map: the service `ref` (highlighted in the tree) to the cursor's port,
        in the tier holding that port."""
        port, model = self.port_map.cursor_port, self.port_map.model
        if not isinstance(ref, ServiceRef) or port is None or model is None:
            return Refusal(
                "Highlight a service in the tree, then press m on a free cell.", "information"
            )
        if model.owners.get(port):
            return Refusal(f"Port {port} is taken: move to a free cell (·).", "warning")
        home = self.home_of(plan, port)
        target = home if home is not None else TierRef(ref.project, ref.tier)
        return MoveService(ref, port, target.project, target.tier)


class Refusal(NamedTuple):
    """Why a key on the map did nothing, for a notification."""

    message: str
    severity: SeverityLevel


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
