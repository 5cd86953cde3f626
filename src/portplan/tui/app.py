"""The planner application: it only assembles the screen, styles and commands."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.app import App, ScreenStackError
from textual.binding import Binding
from textual.notifications import SeverityLevel
from textual.theme import Theme
from textual.timer import Timer

from portplan.environment import EnvironmentLike, read_environment
from portplan.gcpause import QuietPasses, collector_paused, keep_out_of_collections
from portplan.session import Session
from portplan.tui.commands import PlannerCommands
from portplan.tui.labels import literal, shown_path
from portplan.tui.screens.planner import PlannerScreen
from portplan.tui.settings import IGNORED, Settings, load_settings, save_settings, settings_path
from portplan.tui.textual_caches import release_closed_widgets

# Between two pieces of the work done while the user is quiet: time to read a key.
QUIET_WORK_TURN = 0.005


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
        # Where the chosen theme is kept between runs; None while the theme is fixed.
        self.settings_file: Path | None = None
        self._remembered_theme: str | None = None
        self._settings_problem: str | None = None
        self._quiet_passes = QuietPasses(before_pass=release_closed_widgets)
        self._quiet_timer: Timer | None = None

    def remember_themes(self, settings_file: Path) -> None:
        """Start in the theme saved in `settings_file`; save the one chosen while running."""
        shown = shown_path(settings_file)
        settings, self._settings_problem = load_settings(settings_file, shown)
        if settings.theme is not None and settings.theme not in self.available_themes:
            self._settings_problem = f"{shown}: there is no theme {settings.theme!r} — {IGNORED}"
        elif settings.theme is not None:
            self.theme = settings.theme
        self.settings_file = settings_file
        self._remembered_theme = settings.theme

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
        screen = PlannerScreen(self.session)
        self.push_screen(screen)
        self._quiet_passes.start(self.session.plan.service_count())
        # Counted from the planner's first frame: nothing done while quiet delays it. (The
        # app's own call_after_refresh would wait on the screen current when its message is
        # handled, which may still be the default screen under the planner.)
        screen.call_after_refresh(self._ask_for_quiet_pass)
        self.theme_changed_signal.subscribe(self, self._theme_chosen)
        if self._settings_problem is not None:
            self.notify(self._settings_problem, severity="warning", timeout=15)

    def on_unmount(self) -> None:
        self._quiet_passes.stop()

    # --- the collector's full passes, between keys (see gcpause.QuietPasses) ------------

    async def on_event(self, event: events.Event) -> None:
        # Every key and mouse event from the terminal comes through here first.
        if isinstance(event, events.InputEvent):
            self._quiet_passes.input_seen()
            if self._quiet_timer is None:
                self._ask_for_quiet_pass()
        await super().on_event(event)

    def _ask_for_quiet_pass(self, after: float | None = None) -> None:
        wait = self._quiet_passes.quiet if after is None else after
        self._quiet_timer = self.set_timer(wait, self._pass_if_quiet, name="quiet-pass")

    def _pass_if_quiet(self) -> None:
        self._quiet_timer = None
        wait = self._quiet_passes.collect_if_quiet()
        if wait is not None:
            self._ask_for_quiet_pass(wait)
            return
        try:
            screen = self.screen
        except ScreenStackError:  # the app is closing
            return
        if isinstance(screen, PlannerScreen) and screen.work_while_quiet():
            # A few milliseconds at a time, and a key in between comes first.
            self._ask_for_quiet_pass(QUIET_WORK_TURN)

    def _theme_chosen(self, theme: Theme) -> None:
        if self.settings_file is None or theme.name == self._remembered_theme:
            return
        self._remembered_theme = theme.name
        shown = shown_path(self.settings_file)
        if problem := save_settings(self.settings_file, shown, Settings(theme=theme.name)):
            self.notify(problem, severity="warning")

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
    """The one factory for the command line and the tests; raises PlanError on a bad file.

    `theme` fixes the theme (tests, screenshots); without it the app starts in the theme the
    user chose last time, and remembers the one chosen now."""
    # Reading and analysing the plan leave it in the collector's youngest generation: each
    # pass until the first frame would walk all of it (90 ms on 61,440 services). A large
    # plan is left out of the passes as soon as it is read (see gcpause).
    with collector_paused():
        session = Session.open(path, ephemeral if ephemeral is not None else read_environment())
        keep_out_of_collections(session.plan.service_count())
    app = PortplanApp(session, cursor_blink=cursor_blink)
    if theme is not None:
        app.theme = theme
    else:
        app.remember_themes(settings_path())
    return app
