"""Every key of the planner, as data: the bindings, the footer, the palette and F1 read it."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding, BindingType


@dataclass(frozen=True, slots=True)
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
        "Edit the name and description (and range of a tier or project)",
        footer=False,
    ),
    Key("a", "add", "Add", "Add a tier to the highlighted project, or a new project", footer=False),
    Key("A", "new_project", "Add project", "Add a new project", footer=False),
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
        "toggle_map",
        "Map",
        "Move the focus between the plan tree and the port map",
        footer=False,
    ),
    Key("f1", "help", "Help", "Show every key", key_display="F1"),
    Key("q", "quit", "Quit", "Quit (asks to save unsaved edits)"),
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


def display_keys(key: Key) -> str:
    names = {
        "slash": "/",
        "delete": "Del",
        "ctrl+z": "^z",
        "ctrl+y": "^y",
        "ctrl+s": "^s",
        "f1": "F1",
    }
    return " ".join(names.get(part, part) for part in key.keys.split(","))
