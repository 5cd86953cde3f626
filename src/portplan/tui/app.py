"""The planner application: it only assembles the screen, styles and commands."""

from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.binding import Binding
from textual.notifications import SeverityLevel

from portplan.environment import EnvironmentLike, read_environment
from portplan.session import Session
from portplan.tui.commands import PlannerCommands
from portplan.tui.labels import literal
from portplan.tui.screens.planner import PlannerScreen


class PortplanApp(App[None]):
    CSS_PATH = "portplan.tcss"
    TITLE = "portplan"
    COMMANDS = App.COMMANDS | {PlannerCommands}
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", show=False, priority=True)]

    def __init__(self, session: Session, *, cursor_blink: bool = True) -> None:
        super().__init__()
        # The session the app opens with; from then on the planner screen owns its session
        # (a reload from disk replaces it there).
        self.session = session
        # Snapshot tests turn blinking off so that every screenshot is the same.
        self.cursor_blink = cursor_blink

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        # Every notification of every screen and widget comes here. They carry names, paths
        # and error messages: shown as written, never as markup, whatever the caller asked.
        super().notify(
            literal(message), title=literal(title), severity=severity, timeout=timeout, markup=False
        )

    def on_mount(self) -> None:
        self.push_screen(PlannerScreen(self.session))

    async def action_quit(self) -> None:
        # Every way out goes through the planner's unsaved-edits question.
        if isinstance(self.screen, PlannerScreen):
            await self.screen.run_action("quit")
        else:
            self.exit()


def create_app(
    path: Path,
    *,
    ephemeral: EnvironmentLike | None = None,
    theme: str | None = None,
    cursor_blink: bool = True,
) -> PortplanApp:
    """The one factory for the command line and the tests; raises PlanError on a bad file."""
    session = Session.open(path, ephemeral if ephemeral is not None else read_environment())
    app = PortplanApp(session, cursor_blink=cursor_blink)
    if theme is not None:
        app.theme = theme
    return app
