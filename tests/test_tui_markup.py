"""A plan whose every string is markup or an escape sequence cannot crash the planner.

Names like `[bold` or `[/]` used to raise Rich's MarkupError from the move, edit, reserve and
rebase dialogs and from notifications. Here every name, description, reason and path is a
torture string, every dialog is opened and a notification shown; each must show the text as
written.
"""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Label

from portplan.model import ProjectRef, ServiceRef, TierRef
from portplan.tui.labels import literal
from portplan.tui.modals.changes import ChangesScreen
from portplan.tui.modals.confirm import ConfirmDialog
from portplan.tui.modals.dialogs import EditServiceDialog, MoveDialog, RebaseDialog, ReserveDialog
from portplan.tui.modals.find import FindDialog
from portplan.tui.modals.frame import HelpScreen
from portplan.tui.screens.planner import PlannerScreen
from portplan.tui.widgets.plan_tree import PlanTree
from tests.tui_helpers import SIZE, clear_input, make_app, run, type_text, wait_for

OSC52 = "\x1b]52;c;AAAA\x07"
PROJECT = "[red]P[/]"
TIER = "[bold"
FIRST = "[/]"
SECOND = "[link=x]s"
THIRD = f"x{OSC52}"


def toml(text: str) -> str:
    return '"' + "".join(f"\\u{ord(c):04x}" if ord(c) < 0x20 else c for c in text) + '"'


PLAN = f"""\
title = {toml("[bold]Plan[/" + OSC52)}
reserved = [{{ ports = "0-1023", reason = {toml("[/]" + OSC52)} }}]

[[projects]]
name = {toml(PROJECT)}
description = {toml("[link=x]project")}
ports = "20000-20999"
paths = [{toml("[red]dir" + OSC52)}]

[[projects.tiers]]
name = {toml(TIER)}
description = {toml("[/]tier")}
ports = "20000-20099"
services = [
    {{ port = 20000, name = {toml(FIRST)}, description = {toml("[red]x[/]" + OSC52)} }},
    {{ port = 20000, name = {toml(SECOND)}, description = {toml("[bold")} }},
    {{ port = 20001, name = {toml(THIRD)}, description = {toml("[link=x]")} }},
]
"""


def test_every_dialog_and_notification_shows_torture_names_literally(tmp_path: Path) -> None:
    folder = tmp_path / "[red]plans[b]"
    folder.mkdir()
    path = folder / "[bold.toml"
    path.write_text(PLAN, encoding="utf-8")
    tier = TierRef(PROJECT, TIER)
    first = ServiceRef(PROJECT, TIER, FIRST)

    async def body() -> None:
        app = make_app(path)
        # Notifications on: run_test leaves them out unless asked, and toasts are what crashed.
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            planner = app.screen
            await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "planner")
            assert isinstance(planner, PlannerScreen)
            tree = app.screen.query_one(PlanTree)

            async def opened(key: str, dialog: type, select: object) -> str:
                assert tree.select_ref(select)
                await pilot.press(key)
                await wait_for(pilot, lambda: isinstance(app.screen, dialog), dialog.__name__)
                await pilot.pause()
                return str(app.screen.query_one(".dialog-title", Label).render())

            assert PROJECT in await opened("r", ReserveDialog, tier)
            await pilot.press("escape")
            assert FIRST in await opened("m", MoveDialog, first)
            await pilot.press("escape")
            assert SECOND in await opened("e", EditServiceDialog, ServiceRef(PROJECT, TIER, SECOND))
            await pilot.press("escape")
            assert TIER in await opened("b", RebaseDialog, tier)
            await pilot.press("escape")
            await opened("b", RebaseDialog, ProjectRef(PROJECT))
            await pilot.press("escape")
            await opened("d", ConfirmDialog, ServiceRef(PROJECT, TIER, THIRD))
            assert literal(THIRD) in str(app.screen.query_one(".dialog-intro").render())
            await pilot.press("n")
            await opened("slash", FindDialog, tier)
            await type_text(pilot, "x")
            await pilot.pause()
            await pilot.press("escape")
            await opened("f1", HelpScreen, tier)
            await pilot.press("escape")

            # A real edit, so that the change panel lists the torture names.
            await opened("m", MoveDialog, first)
            await clear_input(pilot)
            await type_text(pilot, "20002")
            await pilot.press("enter")
            await wait_for(pilot, lambda: planner.session.modified, "moved")
            await opened("c", ChangesScreen, first)
            await pilot.press("escape")
            await wait_for(pilot, lambda: app.screen is planner, "back to the planner")

            # A refusal from the map, and notifications with markup in message and title.
            planner.notify(f"{FIRST} {TIER} {OSC52}", title=PROJECT, severity="error")
            app.notify("[link=x]", title="[bold")
            await pilot.pause()
            await wait_for(pilot, lambda: len(app.screen.query("Toast")) >= 2, "toasts")
            toasts = [str(toast.render()) for toast in app.screen.query("Toast")]
            assert any(FIRST in text and TIER in text for text in toasts)
            assert not any("\x1b" in text for text in toasts)
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: not planner.session.modified, "saved")
            assert literal(path.name) in app.sub_title
        assert app.return_code in (None, 0)

    run(body)
    assert "port = 20002" in path.read_text(encoding="utf-8")
