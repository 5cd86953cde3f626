"""The plan as a tree: project → tier → service.

Nodes hold a stable `NodeRef` (names, not model objects). Children are added when a node is
first expanded, so a plan of 60,000 services opens as fast as one of 60; after an edit,
`sync` re-labels and re-lists only the nodes that are loaded.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import ClassVar

from rich.text import Text
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from portplan.finding_index import FindingIndex
from portplan.model import NodeRef, Plan, Project, ProjectRef, ServiceRef, Tier, TierRef
from portplan.tui.labels import (
    plan_title,
    project_label,
    service_label,
    tier_label,
)
from portplan.tui.widgets.themed import Themed

Node = TreeNode[NodeRef]


class PlanTree(Tree[NodeRef], Themed):
    COMPONENT_CLASSES: ClassVar[set[str]] = Tree.COMPONENT_CLASSES | Themed.COMPONENT_CLASSES

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("plan", id=id)
        self.show_root = False
        self.guide_depth = 3
        self.auto_expand = False
        self._plan: Plan | None = None
        self._index: FindingIndex | None = None
        self._loaded: set[NodeRef] = set()
        # port → processes listening on it, from the last probe (key p)
        self.in_use: dict[int, str] = {}

    # --- building ---------------------------------------------------------------------

    def show_plan(self, plan: Plan, index: FindingIndex, *, expand_all: bool) -> None:
        self._plan, self._index = plan, index
        self._loaded.clear()
        self.clear()
        self.root.set_label(plan_title(plan))
        for project in plan.projects:
            node = self.root.add(self._label(ProjectRef(project.name)), ProjectRef(project.name))
            if expand_all:
                self._load(node)
                node.expand()
                for child in node.children:
                    self._load(child)
                    child.expand()

    def _label(self, ref: NodeRef) -> Text:
        assert self._plan is not None and self._index is not None
        palette = self.palette()
        project = self._plan.project(ref.project)
        if isinstance(ref, ProjectRef):
            return project_label(project, self._index, palette)
        tier = _tier(project, ref.tier)
        if isinstance(ref, TierRef):
            return tier_label(project, tier, self._index, palette)
        service = next(s for s in tier.services if s.name == ref.name)
        return service_label(project, tier, service, self._index, palette,
                             self.in_use.get(service.port))

    def _child_refs(self, ref: NodeRef) -> list[NodeRef]:
        assert self._plan is not None
        project = self._plan.project(ref.project)
        if isinstance(ref, ProjectRef):
            return [TierRef(project.name, tier.name) for tier in project.tiers]
        if isinstance(ref, TierRef):
            tier = _tier(project, ref.tier)
            ordered = sorted(tier.services, key=lambda service: (service.port, service.name))
            return [ServiceRef(project.name, tier.name, service.name) for service in ordered]
        return []

    def _load(self, node: Node) -> None:
        """Add a node's children the first time it is opened."""
        ref = node.data
        if ref is None or ref in self._loaded or isinstance(ref, ServiceRef):
            return
        self._loaded.add(ref)
        node.remove_children()
        for child in self._child_refs(ref):
            if isinstance(child, ServiceRef):
                node.add_leaf(self._label(child), child)
            else:
                node.add(self._label(child), child)

    def _on_tree_node_expanded(self, event: Tree.NodeExpanded[NodeRef]) -> None:
        self._load(event.node)

    # --- after an edit ----------------------------------------------------------------

    def sync(self, plan: Plan, index: FindingIndex,
             only: Collection[str] | None = None) -> None:
        """Bring loaded nodes up to date with the plan: labels, and children that changed.

        `only` names the projects an edit could have changed; the others keep their nodes
        (after many edits thousands of service nodes are loaded, and relabelling them all
        would cost more than the edit)."""
        self._plan, self._index = plan, index
        self._sync_children(self.root, [ProjectRef(p.name) for p in plan.projects], only)

    def _sync_children(self, node: Node, wanted: list[NodeRef],
                       only: Collection[str] | None = None) -> None:
        if [child.data for child in node.children] != wanted:
            expanded = {n.data for n in _walk(node) if n.is_expanded and n.data is not None}
            node.remove_children()
            self._forget_loaded_below(node.data)
            self._add_child_nodes(node, wanted, expanded)
            return
        for child in node.children:
            assert child.data is not None
            if only is not None and child.data.project not in only:
                continue
            child.set_label(self._label(child.data))
            if child.data in self._loaded:
                self._sync_children(child, self._child_refs(child.data))

    def _add_child_nodes(self, node: Node, refs: list[NodeRef], expanded: set[NodeRef]) -> None:
        for ref in refs:
            if isinstance(ref, ServiceRef):
                node.add_leaf(self._label(ref), ref)
                continue
            child = node.add(self._label(ref), ref)
            if ref in expanded:
                self._loaded.add(ref)
                self._add_child_nodes(child, self._child_refs(ref), expanded)
                child.expand()

    def _forget_loaded_below(self, ref: NodeRef | None) -> None:
        if ref is None:
            self._loaded.clear()
        elif isinstance(ref, ProjectRef):
            self._loaded = {r for r in self._loaded if not (
                isinstance(r, TierRef) and r.project == ref.project)}

    # --- moving the cursor --------------------------------------------------------------

    def node_for(self, ref: NodeRef) -> Node | None:
        """The node showing `ref`, opening its ancestors as needed."""
        path: list[NodeRef] = [ProjectRef(ref.project)]
        if isinstance(ref, (TierRef, ServiceRef)):
            path.append(TierRef(ref.project, ref.tier))
        if isinstance(ref, ServiceRef):
            path.append(ref)
        node: Node = self.root
        for step in path:
            found = next((child for child in node.children if child.data == step), None)
            if found is None:
                return None
            node = found
            if step != ref:
                self._load(node)
                node.expand()
        return node

    def select_ref(self, ref: NodeRef) -> bool:
        node = self.node_for(ref)
        if node is None:
            return False
        self.move_cursor(node)
        self.call_after_refresh(self.scroll_to_node, node, animate=False)
        return True

    @property
    def current_ref(self) -> NodeRef | None:
        node = self.cursor_node
        return node.data if node is not None else None


def _tier(project: Project, name: str) -> Tier:
    return next(tier for tier in project.tiers if tier.name == name)


def _walk(node: Node) -> list[Node]:
    found: list[Node] = []
    stack = list(node.children)
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(current.children)
    return found
