"""The plan as a tree: project → tier → service.

Nodes hold a stable `NodeRef` (names, not model objects). Children are added when a node is
first expanded, so a plan of 60,000 services opens as fast as one of 60, and a node's label
is built when its line is first drawn; after an edit, `sync` re-labels the drawn nodes whose
label changed and adds or removes only the children that differ.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import ClassVar

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.binding import BindingType
from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from portplan.finding_index import FindingIndex
from portplan.model import (
    NodeRef,
    Plan,
    ProjectRef,
    ServiceRef,
    TierRef,
)
from portplan.tui.keymap import TREE_KEYS, bindings
from portplan.tui.labels import plan_title
from portplan.tui.node_label import NodeLabel
from portplan.tui.widgets.quiet_tree import QuietTree
from portplan.tui.widgets.reconcile import kept_positions
from portplan.tui.widgets.themed import Themed
from portplan.tui.widgets.tree_entries import Entry, children_of, label_key, label_parts

Node = TreeNode[NodeRef]
# Tree's label of every node but the root (see _new_label).
PENDING = Text()
# What Tree puts on the expand icon, so that a click on it opens or closes the node.
TOGGLE_STYLE = Style.from_meta({"toggle": True})


class PlanTree(QuietTree[NodeRef], Themed):
    COMPONENT_CLASSES: ClassVar[set[str]] = Tree.COMPONENT_CLASSES | Themed.COMPONENT_CLASSES
    BINDINGS: ClassVar[list[BindingType]] = bindings(TREE_KEYS)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("plan", id=id)
        self._width: int | None = None  # while _build sizes the lines (see there)
        self.show_root = False
        self.guide_depth = 3
        self.auto_expand = False
        self._plan: Plan | None = None
        self._index: FindingIndex | None = None
        self._loaded: set[NodeRef] = set()
        # What each node's label was drawn from (see _label_key), and its parts (see
        # render_label); the entries of those not drawn yet (see _new_label).
        self._label_keys: dict[NodeRef, tuple[object, ...]] = {}
        self._label_parts: dict[NodeRef, NodeLabel] = {}
        self._unbuilt: dict[NodeRef, Entry] = {}
        # Nodes opened only to show a node the cursor was sent to (see node_for).
        self._opened_to_reveal: set[NodeRef] = set()
        # port → processes listening on it, from the last probe (key p)
        self.in_use: dict[int, str] = {}

    # --- building ---------------------------------------------------------------------

    def show_plan(self, plan: Plan, index: FindingIndex, *, expand_all: bool) -> None:
        with self._in_bulk():
            self._show_plan(plan, index, expand_all=expand_all)

    def _show_plan(self, plan: Plan, index: FindingIndex, *, expand_all: bool) -> None:
        self._plan, self._index = plan, index
        self._loaded.clear()
        self._opened_to_reveal.clear()
        self._label_keys.clear()
        self._label_parts.clear()
        self._unbuilt.clear()
        self.clear()
        self.root.set_label(plan_title(plan))
        for entry in self._entries(None):
            node = self.root.add(self._new_label(entry), entry.ref)
            if expand_all:
                self._load(node)
                node.expand()
                for child in node.children:
                    self._load(child)
                    child.expand()

    def _entries(self, ref: NodeRef | None) -> list[Entry]:
        """The children `ref` should have, in order (the projects for None)."""
        assert self._plan is not None
        return children_of(self._plan, ref)

    # --- labels -------------------------------------------------------------------------
    # A node's label is built when it is first drawn or measured, not when the node is
    # added: opening a tier adds 120 nodes, of which a screen shows a few dozen. Until then
    # the tree keeps the entry it will be drawn from; Tree's own label of every node is the
    # empty `PENDING` (what the tree shows is in `_label_parts`, see `label_of`).

    def _label_key(self, entry: Entry) -> tuple[object, ...]:
        assert self._index is not None
        return label_key(entry, self._index, self.app.theme, self.in_use)

    def _label_parts_of(self, entry: Entry) -> NodeLabel:
        assert self._index is not None
        return label_parts(entry, self._index, self.palette(), self.in_use)

    def _new_label(self, entry: Entry) -> Text:
        self._forget_label(entry.ref)
        self._unbuilt[entry.ref] = entry
        return PENDING

    def _parts(self, ref: NodeRef | None) -> NodeLabel | None:
        """The parts of `ref`'s label, built now if they were not yet (None for the root)."""
        if ref is None:
            return None
        parts = self._label_parts.get(ref)
        if parts is None:
            entry = self._unbuilt.pop(ref, None)
            if entry is None:
                return None
            self._label_keys[ref] = self._label_key(entry)
            parts = self._label_parts[ref] = self._label_parts_of(entry)
        return parts

    def _relabel(self, node: Node, entry: Entry) -> None:
        ref = entry.ref
        if ref in self._unbuilt:
            self._unbuilt[ref] = entry  # still not drawn: drawn from the new entry when it is
            return
        key = self._label_key(entry)
        if self._label_keys.get(ref) != key:
            self._label_keys[ref] = key
            self._label_parts[ref] = self._label_parts_of(entry)
            node.set_label(PENDING)  # Tree draws the line again

    def _forget_label(self, ref: NodeRef) -> None:
        self._label_keys.pop(ref, None)
        self._label_parts.pop(ref, None)
        self._unbuilt.pop(ref, None)

    def label_of(self, node: Node) -> Text:
        """The label the tree draws for `node`, whole (before it gives way at the edge)."""
        parts = self._parts(node.data)
        if parts is None:
            return node.label if isinstance(node.label, Text) else Text(node.label)
        return parts.text

    def process_label(self, label: str | Text) -> Text:
        # Tree splits every label it is given into lines; the placeholder has none.
        return label if label is PENDING else super().process_label(label)

    def restyle(self) -> None:
        # Every loaded label is built again in the new theme's colours.
        self._label_keys.clear()
        if self._plan is not None and self._index is not None:
            self.sync(self._plan, self._index)

    # --- fitting the width -------------------------------------------------------------
    # A line never runs past the tree's right edge: its label gives way (node_label.py),
    # so the counts stay in view and no horizontal scroll bar appears.

    def _build(self) -> None:
        # Tree measures every loaded line here (thousands once tiers are open) only to size
        # its scrolling area. No line runs past the width inside the scroll bar (its label
        # gives way, render_label), so each line is taken to fill that width, and no label
        # is measured or built for it (get_label_width). The area then keeps its size when a
        # line changes, which spares the screen a new layout after most edits.
        width = self._width = self.scrollable_content_region.width
        try:
            super()._build()
            # Lines just grown too many for the pane (a jump opened a tier) bring the
            # vertical scroll bar, which takes its room from theirs: sized without it, they
            # would need a horizontal bar too.
            bar = self.styles.scrollbar_size_vertical
            if (
                width > 0
                and bar > 0
                and not self.show_vertical_scrollbar
                and self.last_line + 1 > self.scrollable_content_region.height
            ):
                self._width = max(width - bar, 1)
                super()._build()
        finally:
            self._width = None

    def _room(self, node: Node) -> int | None:
        """The cells `node`'s label (with its expand icon) may take; None before layout."""
        # Inside the vertical scroll bar, when there is one.
        width = self.scrollable_content_region.width if self._width is None else self._width
        if width <= 0:
            return None
        # Tree indents a line by `guide_depth` cells for each ancestor it draws: the hidden
        # root is not drawn, so a project has none, a tier one, a service two.
        return max(1, width - _DEPTH.get(type(node.data), 0) * self.guide_depth)

    def render_label(self, node: Node, base_style: Style, style: Style) -> Text:
        parts = self._parts(node.data)
        if parts is None:
            return super().render_label(node, base_style, style)
        icon = self._icon(node)
        room = self._room(node)
        label = parts.text if room is None else parts.fit(room - cell_len(icon))
        label.stylize(style)
        return Text.assemble((icon, base_style + TOGGLE_STYLE), label)

    # Tree asks for the widget's style on every line it draws, and each ask walks the
    # widget's ancestors to blend their backgrounds (a fifth of drawing a line): while the
    # lines of one frame are drawn, it is worked out once.
    _style_while_drawing: Style | None = None

    @property
    def rich_style(self) -> Style:
        style = self._style_while_drawing
        return super().rich_style if style is None else style

    def render_lines(self, crop: Region) -> list[Strip]:
        self._style_while_drawing = super().rich_style
        try:
            return super().render_lines(crop)
        finally:
            self._style_while_drawing = None

    def _icon(self, node: Node) -> str:
        if not node.allow_expand:
            return ""
        return self.ICON_NODE_EXPANDED if node.is_expanded else self.ICON_NODE

    def get_label_width(self, node: Node) -> int:
        """What Tree measures by rendering each label, without rendering it: the line, with
        its indentation, fills the width (see _build). Before the first layout that width is
        unknown, and 0 stands for it: Tree builds its lines again once it has a size, and
        measuring them then built every label of an opened plan for nothing (10 ms of the
        reference plan's first screen)."""
        return self._room(node) or 0

    # --- loading on demand --------------------------------------------------------------

    def _load(self, node: Node) -> None:
        """Add a node's children the first time it is opened."""
        ref = node.data
        if ref is None or ref in self._loaded or isinstance(ref, ServiceRef):
            return
        self._loaded.add(ref)
        with self._in_bulk():
            node.remove_children()
            for entry in self._entries(ref):
                if isinstance(entry.ref, ServiceRef):
                    node.add_leaf(self._new_label(entry), entry.ref)
                else:
                    node.add(self._new_label(entry), entry.ref)

    def _on_tree_node_expanded(self, event: Tree.NodeExpanded[NodeRef]) -> None:
        self._load(event.node)

    # --- after an edit ----------------------------------------------------------------

    def sync(self, plan: Plan, index: FindingIndex, only: Collection[str] | None = None) -> None:
        """Bring loaded nodes up to date with the plan: labels, and children that changed.

        `only` names the projects an edit could have changed; the others keep their nodes
        (after many edits thousands of service nodes are loaded, and relabelling them all
        would cost more than the edit)."""
        self._plan, self._index = plan, index
        with self._in_bulk():
            self._sync_children(self.root, self._entries(None), only)

    def _sync_children(
        self, node: Node, entries: list[Entry], only: Collection[str] | None = None
    ) -> None:
        added: set[NodeRef] = set()
        if [child.data for child in node.children] != [entry.ref for entry in entries]:
            added = self._reconcile(node, entries)
        for child, entry in zip(node.children, entries, strict=True):
            if entry.ref in added or (only is not None and entry.ref.project not in only):
                continue
            self._relabel(child, entry)
            if entry.ref in self._loaded:
                self._sync_children(child, self._entries(entry.ref))

    def _reconcile(self, node: Node, entries: list[Entry]) -> set[NodeRef]:
        """Make `node`'s children match `entries`, keeping the nodes already in order (and
        what is open below them); returns the refs of the nodes added."""
        children = list(node.children)
        kept = kept_positions([child.data for child in children], [entry.ref for entry in entries])
        expanded: set[NodeRef] = set()
        for position, child in enumerate(children):
            if position not in kept:
                for gone in (child, *_walk(child)):
                    if gone.data is not None:
                        self._forget_label(gone.data)
                        if gone.is_expanded:
                            expanded.add(gone.data)
                self._forget_loaded(child.data)
                child.remove()
        added: set[NodeRef] = set()
        for position, entry in enumerate(entries):
            if position < len(node.children) and node.children[position].data == entry.ref:
                continue
            self._add_entry_node(node, entry, expanded, before=position)
            added.add(entry.ref)
        return added

    def _add_entry_node(
        self, node: Node, entry: Entry, expanded: set[NodeRef], before: int | None = None
    ) -> None:
        """Add a node for `entry`, loaded and open again if it was open before."""
        ref = entry.ref
        if isinstance(ref, ServiceRef):
            node.add_leaf(self._new_label(entry), ref, before=before)
            return
        child = node.add(self._new_label(entry), ref, before=before)
        if ref in expanded:
            self._loaded.add(ref)
            for grandchild in self._entries(ref):
                self._add_entry_node(child, grandchild, expanded)
            child.expand()

    def _forget_loaded(self, ref: NodeRef | None) -> None:
        """`ref` and the nodes below it are gone: their children load again when opened."""
        if isinstance(ref, ProjectRef):
            self._loaded = {r for r in self._loaded if r.project != ref.project}
        elif ref is not None:
            self._loaded.discard(ref)

    # --- moving the cursor --------------------------------------------------------------

    # A jump (find, an edit, a finding) opens the tier and project of the node it lands on.
    # Those the user did not open are closed again, and their nodes dropped, when the cursor
    # is sent elsewhere: otherwise every jump on a large plan leaves 120 more lines open for
    # good, and each edit's tree rebuild, the memory and the collector's passes grow with
    # them (a full pass took 200 ms after 80 moves). Opening or closing a node by hand makes
    # it the user's: it stays as they left it.

    def node_for(self, ref: NodeRef) -> Node | None:
        """The node showing `ref`, opening its ancestors as needed."""
        path: list[NodeRef] = [ProjectRef(ref.project)]
        if isinstance(ref, (TierRef, ServiceRef)):
            path.append(TierRef(ref.project, ref.tier))
        if isinstance(ref, ServiceRef):
            path.append(ref)
        with self._in_bulk():
            return self._open_path(ref, path)

    def _open_path(self, ref: NodeRef, path: list[NodeRef]) -> Node | None:
        self._close_revealed(keep=path)
        node: Node = self.root
        for step in path:
            found = next((child for child in node.children if child.data == step), None)
            if found is None:
                return None
            node = found
            if step != ref:
                self._load(node)
                if not node.is_expanded:  # expanding rebuilds every tree line
                    self._opened_to_reveal.add(step)
                    node.expand()
        return node

    def _close_revealed(self, keep: list[NodeRef]) -> None:
        # Innermost first: a tier before the project it is in.
        for ref in sorted(self._opened_to_reveal - set(keep), key=lambda r: -_DEPTH[type(r)]):
            self._opened_to_reveal.discard(ref)
            node = self._loaded_node(ref)
            if node is None or not node.is_expanded:
                continue
            for gone in _walk(node):
                if gone.data is not None:
                    self._forget_label(gone.data)
            node.collapse()
            node.remove_children()
            self._forget_loaded(ref)

    def _loaded_node(self, ref: NodeRef) -> Node | None:
        """The node of `ref` if it is loaded, without opening anything."""
        node: Node = self.root
        for step in (ProjectRef(ref.project), *([ref] if isinstance(ref, TierRef) else [])):
            found = next((child for child in node.children if child.data == step), None)
            if found is None:
                return None
            node = found
        return node

    def _toggle_node(self, node: Node) -> None:
        # Opened or closed by the user (a key or a click): theirs from now on.
        if node.data is not None:
            self._opened_to_reveal.discard(node.data)
        super()._toggle_node(node)

    def select_ref(self, ref: NodeRef, *, center: bool = False) -> bool:
        """Put the cursor on `ref`; `center`: in the middle of the view, as after a jump."""
        node = self.node_for(ref)
        if node is None:
            return False
        # Tree numbers its lines lazily (when next idle, or when a line is looked up): until
        # then a node this edit added is on line -1 (the cursor would land on the top line)
        # and the nodes below it on their old lines. Looking up the last line (the public
        # `last_line`) numbers them all first.
        if self.last_line == -1:
            return False  # the tree is empty
        self.move_cursor(node)
        # Scrolled now, so the frame after an edit shows it (the lines are already built),
        # and again after that frame, in case its layout changed the tree's height.
        self._reveal(node, center)
        self.call_after_refresh(self._reveal, node, center)
        return True

    def _reveal(self, node: Node, center: bool) -> None:
        # Tree's scroll_to_node centres when `center_scroll` is set: only for this scroll.
        self.center_scroll = center
        try:
            self.scroll_to_node(node, animate=False)
        finally:
            self.center_scroll = False

    @property
    def current_ref(self) -> NodeRef | None:
        node = self.cursor_node
        return node.data if node is not None else None


# How many drawn ancestors each kind of node has (read for every loaded line after an edit,
# so looked up rather than walked up the tree).
_DEPTH: dict[type, int] = {ProjectRef: 0, TierRef: 1, ServiceRef: 2}


def _walk(node: Node) -> list[Node]:
    found: list[Node] = []
    stack = list(node.children)
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(current.children)
    return found
