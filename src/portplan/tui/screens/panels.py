"""The planner's dialogs that only show or ask, opened by a key: help, the change list, apply
to files, and the unsaved-edits question on quitting.

None of them is on the first screen, so each dialog's module, and what it needs (the diff,
the project files' writers), is imported here when it is first opened, not with the planner.
"""

from __future__ import annotations

from textual.app import App

from portplan.session import Session
from portplan.tui.keymap import PANE_KEYS, PLANNER_KEYS


def open_help(app: App[None]) -> None:
    from portplan.tui.modals.help import GUIDE, PLANNER_EXTRAS, HelpScreen

    app.push_screen(HelpScreen("portplan", GUIDE, PLANNER_KEYS + PANE_KEYS, PLANNER_EXTRAS))


def open_changes(app: App[None], session: Session) -> None:
    from portplan.changes import diff_plans
    from portplan.tui.modals.changes import ChangesScreen

    changes = diff_plans(session.baseline, session.plan)
    app.push_screen(ChangesScreen(changes, session.findings_since_loading()))


def open_apply_files(app: App[None], session: Session) -> None:
    from portplan.tui.modals.apply_files import ApplyFilesScreen

    app.push_screen(
        ApplyFilesScreen(session.baseline, session.plan, session.path, session.ephemeral)
    )


async def ask_before_quitting(app: App[None], session: Session) -> str | None:
    """ "save", "discard", or None to stay."""
    from portplan.tui.modals.confirm import QuitDialog

    return await app.push_screen_wait(QuitDialog(session.path.name))
