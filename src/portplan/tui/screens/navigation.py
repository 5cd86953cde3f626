"""Moving about the planner without changing the plan: tab between panes, find a node, and step
through the findings with `n` / `N` or a choice in the findings list.

Kept apart from the screen because none of it edits: it only moves the tree's cursor and
focus, and remembers which finding `n` / `N` stand on. It reads the plan and its findings
through `PlanView` (the screen) and knows nothing else of it.
"""

from __future__ import annotations

from typing import Protocol

from textual.screen import Screen

from portplan.finding_index import FindingIndex
from portplan.findings import Finding
from portplan.model import NodeRef
from portplan.session import Session
from portplan.tui.widgets.findings_list import FindingsList
from portplan.tui.widgets.plan_tree import PlanTree

# The panes in the order tab visits them.
PANES = ("#tree", "#map", "#details-pane", "#findings")


class PlanView(Protocol):
    """What navigating needs of the planner screen: what it shows, and its status line."""

    session: Session
    index: FindingIndex

    def set_status(self, text: str, about: NodeRef | None = None) -> None: ...


class Navigator:
    """The planner's jumps, for one screen (`view` is that screen's plan and status)."""

    def __init__(self, screen: Screen[None], view: PlanView) -> None:
        self.screen = screen
        self.view = view
        # The finding `n` / `N` stand on; -1 before the first step.
        self.finding_cursor = -1

    @property
    def tree(self) -> PlanTree:
        return self.screen.query_one(PlanTree)

    def focus_pane(self, step: int) -> None:
        """Tab and shift+tab: tree → map → details → findings, round and round."""
        panes = [self.screen.query_one(selector) for selector in PANES]
        focused = self.screen.focused
        current = next(
            (
                i
                for i, pane in enumerate(panes)
                if focused is not None and (focused is pane or pane in focused.ancestors)
            ),
            -1,
        )
        panes[(current + step) % len(panes)].focus()

    def show(self, ref: NodeRef) -> None:
        """A jump's end: `ref` in the middle of the tree's view, the tree focused."""
        self.tree.select_ref(ref, center=True)
        self.tree.focus()

    async def find(self) -> None:
        from portplan.search import find_nodes  # loaded when first used
        from portplan.tui.modals.find import FindDialog

        plan = self.view.session.plan
        ref = await self.screen.app.push_screen_wait(
            FindDialog(lambda query: find_nodes(plan, query))
        )
        if ref is not None:
            self.show(ref)

    def finding_chosen(self, finding: Finding) -> None:
        """Enter in the findings list: its subject in the tree, and `n` goes on from there."""
        ref = self.view.index.ref_of(finding)
        if ref is not None:
            self.finding_cursor = self.view.session.all_findings.index(finding)
            self.show(ref)

    def go_to_finding(self, step: int) -> None:
        findings = self.view.session.all_findings
        if not findings:
            self.view.set_status("✓ No findings")
            return
        if self.finding_cursor < 0 and step < 0:
            self.finding_cursor = len(findings) - 1  # N from the start: the last one
        else:
            self.finding_cursor = (self.finding_cursor + step) % len(findings)
        finding = findings[self.finding_cursor]
        self.screen.query_one(FindingsList).highlighted = self.finding_cursor
        ref = self.view.index.ref_of(finding)
        if ref is not None:
            self.tree.select_ref(ref, center=True)
        self.view.set_status(
            f"Finding {self.finding_cursor + 1} of {len(findings)}: {finding.message}", about=ref
        )
