"""F1 on the planner: a short guide and every key, from the same tables as the bindings
(keymap.py). The help screen itself is the dialogs' (modals/frame.py), so that F1 in any
dialog explains that dialog the same way."""

from __future__ import annotations

from portplan.tui.modals.frame import HelpScreen

__all__ = ["GUIDE", "PLANNER_EXTRAS", "HelpScreen"]

GUIDE = (
    "The tree shows projects, their tiers and services. ✗ marks an error, ⚠ a warning, "
    "ℹ a note; the details pane explains each one. Edits are checked as you type, "
    "and every edit can be undone. The footer shows the keys of the pane that has the focus."
)
# Keys that are Textual's own, listed so that F1 names every key that does something.
PLANNER_EXTRAS = (
    ("↑ ↓ ← →", "Move in the tree; → or enter opens a node"),
    ("ctrl+p", "Command palette: every action by name"),
    ("esc", "Close a dialog without changing anything"),
)
