"""Every key of the planner and its dialogs, as data: the bindings, the footer, the palette
and F1 all read these tables, so what the footer and the help say is what the keys do."""

from __future__ import annotations

from dataclasses import replace

from textual.binding import Binding, BindingType
from textual.dom import DOMNode

from portplan.records import record


@record
class Key:
    keys: str
    action: str
    description: str
    help: str
    footer: bool = True
    key_display: str | None = None


PLANNER_KEYS: tuple[Key, ...] = (
    Key("r", "reserve", "Reserve", "Reserve a new port in the highlighted tier or project"),
    Key("m", "move", "Move", "Give the highlighted service a new port or a new home tier"),
    Key(
        "d,delete",
        "release",
        "Release",
        "Release the highlighted service's port (asks first)",
        key_display="d",
    ),
    Key(
        "e",
        "edit",
        "Edit",
        "Edit the name and description (a service's protocol, a tier's or project's range)",
        footer=False,
    ),
    Key("a", "add", "Add", "Add a tier to the highlighted project, or a new project", footer=False),
    Key("A", "new_project", "Add project", "Add a new project", footer=False),
    Key(
        "P",
        "edit_folders",
        "Folders",
        "Edit the project's folders (`paths`: where scan and apply look for its files)",
        footer=False,
    ),
    Key(
        "x",
        "remove",
        "Remove tier/project",
        "Remove the highlighted tier or project (asks first)",
        footer=False,
    ),
    Key(
        "b",
        "rebase",
        "Rebase",
        "Move the highlighted project or tier to a new start port",
        footer=False,
    ),
    Key("c", "changes", "Changes", "Show what changed since the plan was loaded", footer=False),
    Key(
        "p",
        "probe",
        "Probe",
        "Mark the plan's ports that are listening on this machine",
        footer=False,
    ),
    Key("S", "scan", "Scan", "Scan the projects' folders (their `paths`) for drift", footer=False),
    Key(
        "F",
        "apply_files",
        "Apply to files",
        "Change the ports in the projects' files to the plan's edits since it was loaded",
        footer=False,
    ),
    Key("u,ctrl+z", "undo", "Undo", "Undo the last edit", key_display="u"),
    Key("ctrl+y", "redo", "Redo", "Redo the last undone edit", footer=False),
    Key("slash", "find", "Find", "Find a port number or part of a name", key_display="/"),
    Key("n", "next_finding", "Next finding", "Jump to the next finding", footer=False),
    Key("N", "previous_finding", "Previous finding", "Jump to the previous finding", footer=False),
    Key(
        "f",
        "focus_findings",
        "Findings list",
        "Move the focus to the findings list (enter jumps to a finding's subject)",
        footer=False,
    ),
    Key(
        "ctrl+s",
        "save",
        "Save",
        "Save the plan (atomic; the old file is kept as .bak)",
        key_display="^s",
    ),
    Key(
        "tab",
        "focus_pane(1)",
        "Next pane",
        "Move the focus on: plan tree → port map → details → findings",
        footer=False,
    ),
    Key(
        "shift+tab",
        "focus_pane(-1)",
        "Previous pane",
        "Move the focus back: findings → details → port map → plan tree",
        footer=False,
    ),
    Key("f1,question_mark", "help", "Help", "Show every key", key_display="F1"),
    Key("q", "quit", "Quit", "Quit (asks to save unsaved edits)"),
)

# Keys of one pane, shown in the footer while it has the focus (and in F1).
TREE_KEYS: tuple[Key, ...] = (
    Key("j", "cursor_down", "Down", "Tree: next line (as ↓)", footer=False),
    Key("k", "cursor_up", "Up", "Tree: previous line (as ↑)", footer=False),
    Key("g", "scroll_home", "First", "Tree: first line (as home)", footer=False),
    Key("G", "scroll_end", "Last", "Tree: last line (as end)", footer=False),
)
MAP_KEYS: tuple[Key, ...] = (
    Key(
        "enter",
        "choose",
        "Reserve/select",
        "Map: on a free port reserve it; on a used one select its service (or double-click)",
    ),
    Key(
        "m",
        "move_here",
        "Move here",
        "Map: move the service highlighted in the tree to the port under the cursor",
    ),
    Key("h", "step(-1)", "Left", "Map: previous port (as ←)", footer=False),
    Key("l", "step(1)", "Right", "Map: next port (as →)", footer=False),
    Key("k", "step_row(-1)", "Up", "Map: row up (as ↑)", footer=False),
    Key("j", "step_row(1)", "Down", "Map: row down (as ↓)", footer=False),
    Key("g", "jump(0)", "First", "Map: first port (as home)", footer=False),
    Key("G", "jump(-1)", "Last", "Map: last port (as end)", footer=False),
)
LIST_KEYS: tuple[Key, ...] = (
    Key("enter", "select", "Jump to", "Findings: highlight the finding's subject in the tree"),
    Key("j", "cursor_down", "Down", "Findings: next finding (as ↓)", footer=False),
    Key("k", "cursor_up", "Up", "Findings: previous finding (as ↑)", footer=False),
    Key("g", "first", "First", "Findings: first finding (as home)", footer=False),
    Key("G", "last", "Last", "Findings: last finding (as end)", footer=False),
)
# The details pane, and a dialog's scrolling part once the focus is on it.
SCROLL_KEYS: tuple[Key, ...] = (
    Key("j", "scroll_down", "Down", "Details and long dialogs: scroll down (as ↓)", footer=False),
    Key("k", "scroll_up", "Up", "Details and long dialogs: scroll up (as ↑)", footer=False),
    Key("g", "scroll_home", "Top", "Details and long dialogs: to the top (as home)", footer=False),
    Key("G", "scroll_end", "Bottom", "Details and long dialogs: to the end (as end)", footer=False),
)
PANE_KEYS = TREE_KEYS + MAP_KEYS + LIST_KEYS + SCROLL_KEYS

# Dialogs: escape always closes without changing anything, F1 explains the dialog.
DIALOG_HELP = Key("f1", "help", "Help", "Explain this dialog and its keys", key_display="F1")
FORM_KEYS: tuple[Key, ...] = (
    # The description is the dialog's own verb (Move, Reserve…), set when it opens.
    Key("enter", "submit", "Confirm", "Confirm the dialog (from any field)"),
    Key("escape", "cancel", "Cancel", "Close without changing anything", key_display="esc"),
    Key("tab", "app.focus_next", "Next field", "Go to the next field or button", footer=False),
    DIALOG_HELP,
)
CONFIRM_KEYS: tuple[Key, ...] = (
    Key("y", "answer(True)", "Yes", "Do it"),
    Key("n,escape", "answer(False)", "Cancel", "Keep things as they are", key_display="n"),
    DIALOG_HELP,
)
QUIT_KEYS: tuple[Key, ...] = (
    Key("s", "choose('save')", "Save and quit", "Save the plan, then quit"),
    Key("d", "choose('discard')", "Discard and quit", "Quit without saving the edits"),
    Key("c,escape", "choose(None)", "Cancel", "Go back to the planner", key_display="c"),
    DIALOG_HELP,
)
EXTERNAL_KEYS: tuple[Key, ...] = (
    Key("o", "choose('overwrite')", "Overwrite", "Write this plan over the file (kept as .bak)"),
    Key("r", "choose('reload')", "Reload", "Drop the edits and load the file as it is now"),
    Key("c,escape", "choose(None)", "Cancel", "Keep editing; nothing is written", key_display="c"),
    DIALOG_HELP,
)
RECOVERY_KEYS: tuple[Key, ...] = (
    Key("r", "choose('restore')", "Restore", "Bring the unsaved edits back"),
    Key("d", "choose('discard')", "Discard", "Delete the recovery copy"),
    Key("l,escape", "choose(None)", "Later", "Open the plan; keep the copy", key_display="l"),
    DIALOG_HELP,
)
FIND_KEYS: tuple[Key, ...] = (
    Key("enter", "jump", "Jump", "Highlight the chosen match in the tree"),
    Key("down", "cursor(1)", "Next match", "Highlight the next match", key_display="↓"),
    Key("up", "cursor(-1)", "Previous match", "Highlight the previous match", key_display="↑"),
    Key("escape", "cancel", "Cancel", "Close without jumping", key_display="esc"),
    DIALOG_HELP,
)
APPLY_KEYS: tuple[Key, ...] = (
    Key("w", "write", "Apply", "Write the changes to the files (all or none; .bak kept)"),
    Key("escape,q,c", "close", "Close", "Close without writing", key_display="esc"),
    DIALOG_HELP,
)
CLOSE_KEYS: tuple[Key, ...] = (
    Key("escape,q,c", "close", "Close", "Close this window", key_display="esc"),
    DIALOG_HELP,
)
HELP_KEYS: tuple[Key, ...] = (
    Key("escape,q,f1,question_mark", "close", "Close", "Close this help", key_display="esc"),
)


def bindings(keys: tuple[Key, ...]) -> list[BindingType]:
    return [
        Binding(
            key.keys,
            key.action,
            key.description,
            show=key.footer,
            key_display=key.key_display,
            tooltip=key.help,
            id=key.action,
        )
        for key in keys
    ]


def name_verb(node: DOMNode, key: str, verb: str) -> None:
    """Describe `key` of this one dialog by its verb, so the footer says "enter Move" rather
    than "enter Confirm" (the table holds what all dialogs of a kind share)."""
    # Each node holds its own copy of its class's bindings (textual.dom.DOMNode.__init__).
    table = node._bindings.key_to_bindings
    table[key] = [replace(binding, description=verb, tooltip=verb) for binding in table[key]]


def display_keys(key: Key) -> str:
    names = {
        "slash": "/",
        "question_mark": "?",
        "delete": "Del",
        "escape": "esc",
        "enter": "enter",
        "shift+tab": "shift+tab",
        "ctrl+z": "^z",
        "ctrl+y": "^y",
        "ctrl+s": "^s",
        "f1": "F1",
    }
    return " ".join(names.get(part, part) for part in key.keys.split(","))
