"""What the planner screen's parts share: the session, its findings by node, and the views.

`PlannerScreen` is assembled from parts kept in their own files (the port map's handlers, the
guards against losing work); each part derives from this base, so that what it uses from the
others is declared, and type-checked, in one place.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.screen import Screen

from portplan.finding_index import FindingIndex
from portplan.session import Session
from portplan.tui.widgets.plan_tree import PlanTree
from portplan.tui.widgets.port_map import PortMap

if TYPE_CHECKING:
    from portplan.edits import Edit
    from portplan.model import NodeRef, TierRef


class PlannerBase(Screen[None]):
    session: Session
    index: FindingIndex

    @property
    def plan_tree(self) -> PlanTree:
        return self.query_one(PlanTree)

    @property
    def port_map(self) -> PortMap:
        return self.query_one(PortMap)

    if TYPE_CHECKING:
        # Defined by PlannerScreen (screens/planner.py).
        def set_status(self, text: str) -> None: ...

        def refresh_views(self, select: NodeRef | None = None) -> None: ...

        def apply(self, edit: Edit, select: NodeRef | None) -> bool: ...

        async def reserve_in(self, home: TierRef, port: int | None) -> bool: ...

        def _summary_line(self) -> str: ...

        def _update_title(self) -> None: ...
