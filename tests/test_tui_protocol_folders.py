"""The planner makes UDP services and edits a project's folders (`paths`): each change is an
undoable edit, and the saved file changes by exactly the lines the edit needs."""

from __future__ import annotations

import difflib
import tomllib
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, Select

from portplan.model import NodeRef, ProjectRef, ServiceRef, TierRef
from portplan.tui.modals.dialogs import EditServiceDialog, FoldersDialog, ReserveDialog
from portplan.tui.screens.planner import PlannerScreen
from tests.tui_helpers import (
    SIZE,
    clear_input,
    make_app,
    planner_shown,
    run,
    type_text,
    wait_for,
)

LOKI = ServiceRef("NEURECTOMY", "Observability", "Loki")


async def _choose_udp(pilot: Pilot[None]) -> None:
    """Pick udp in a dialog's protocol choice with the keys a user presses: the list opens
    on the current value, tcp, and udp is the next one."""
    select = pilot.app.screen.query_one("#protocol", Select)
    assert select.value == "tcp"
    select.focus()
    await pilot.press("enter")
    await wait_for(pilot, lambda: select.expanded, "the list open")
    await pilot.press("down", "enter")
    await wait_for(pilot, lambda: select.value == "udp", "udp chosen")


async def _open(
    pilot: Pilot[None], screen: PlannerScreen, ref: NodeRef, key: str, dialog: type[object]
) -> None:
    assert screen.plan_tree.select_ref(ref)
    await pilot.press(key)
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, dialog), dialog.__name__)


async def _confirm_from(pilot: Pilot[None], screen: PlannerScreen, field: str) -> None:
    """Enter in the dialog's `field`: the dialog closes with its result applied."""
    pilot.app.screen.query_one(f"#{field}", Input).focus()
    await pilot.press("enter")
    await wait_for(pilot, lambda: pilot.app.screen is screen, "dialog closed")


async def _save(pilot: Pilot[None], screen: PlannerScreen) -> None:
    await pilot.press("ctrl+s")
    await wait_for(pilot, lambda: not screen.session.modified, "saved")


def _changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    """The lines taken out of `before` and the lines put into `after`."""
    diff = list(difflib.ndiff(before.splitlines(), after.splitlines()))
    return (
        [line[2:] for line in diff if line.startswith("- ")],
        [line[2:] for line in diff if line.startswith("+ ")],
    )


def _tier(saved: dict[str, object], project: str, tier: str) -> dict[str, object]:
    found = next(p for p in saved["projects"] if p["name"] == project)  # type: ignore[attr-defined]
    return next(t for t in found["tiers"] if t["name"] == tier)  # type: ignore[no-any-return]


def test_reserve_a_udp_service(reference_plan_path: Path) -> None:
    before = reference_plan_path.read_text(encoding="utf-8")

    async def body() -> None:
        app = make_app(reference_plan_path)
        async with app.run_test(size=SIZE) as pilot:
            screen = await planner_shown(pilot)
            await _open(pilot, screen, TierRef("NEURECTOMY", "Observability"), "r", ReserveDialog)
            await type_text(pilot, "Syslog")
            await _choose_udp(pilot)
            await _confirm_from(pilot, screen, "port")
            await _save(pilot, screen)

    run(body)
    after = reference_plan_path.read_text(encoding="utf-8")
    removed, added = _changed_lines(before, after)
    assert removed == [] and len(added) == 1 and 'protocol = "udp"' in added[0]
    services = _tier(tomllib.loads(after), "NEURECTOMY", "Observability")["services"]
    syslog = next(s for s in services if s["name"] == "Syslog")  # type: ignore[attr-defined]
    assert syslog["protocol"] == "udp"


def test_edit_a_service_to_udp_and_undo(reference_plan_path: Path) -> None:
    before = reference_plan_path.read_text(encoding="utf-8")

    async def body() -> None:
        app = make_app(reference_plan_path)
        async with app.run_test(size=SIZE) as pilot:
            screen = await planner_shown(pilot)
            await _open(pilot, screen, LOKI, "e", EditServiceDialog)
            await _choose_udp(pilot)
            await _confirm_from(pilot, screen, "name")
            await _save(pilot, screen)
            saved = reference_plan_path.read_text(encoding="utf-8")
            removed, added = _changed_lines(before, saved)
            assert len(removed) == len(added) == 1 and "Loki" in removed[0]
            assert added[0] == removed[0].replace(" }", ', protocol = "udp" }')
            await pilot.press("u")
            await wait_for(pilot, lambda: screen.session.modified, "undone")
            await _save(pilot, screen)

    run(body)
    assert reference_plan_path.read_text(encoding="utf-8") == before


def test_folders_added_dropped_and_undone(reference_plan_path: Path) -> None:
    before = reference_plan_path.read_text(encoding="utf-8")
    neurectomy = ProjectRef("NEURECTOMY")

    def folders_saved() -> list[str]:
        saved = tomllib.loads(reference_plan_path.read_text(encoding="utf-8"))
        project = next(p for p in saved["projects"] if p["name"] == "NEURECTOMY")
        return list(project.get("paths", []))

    async def body() -> None:
        app = make_app(reference_plan_path)
        async with app.run_test(size=SIZE) as pilot:
            screen = await planner_shown(pilot)
            await _add_folder(pilot, screen, "services/api")
            await _save(pilot, screen)
            removed, added = _changed_lines(before, reference_plan_path.read_text("utf-8"))
            # One new key in the project's block, in the canonical layout of a new list.
            assert (removed, added) == ([], ["paths = [", '    "services/api",', "]"])

            await _add_folder(pilot, screen, "web")  # a second folder, then the first dropped
            await _open(pilot, screen, neurectomy, "P", FoldersDialog)
            app.screen.query_one("#folder-0", Input).focus()
            await clear_input(pilot)
            await _confirm_from(pilot, screen, "folder-0")
            await _save(pilot, screen)
            assert folders_saved() == ["web"]

            for _ in range(3):  # drop, add, add: all undone
                await pilot.press("u")
            project = screen.session.plan.project("NEURECTOMY")
            await wait_for(pilot, lambda: project.paths == [], "undone")
            await _save(pilot, screen)

    run(body)
    assert reference_plan_path.read_text(encoding="utf-8") == before


async def _add_folder(
    pilot: Pilot[None], screen: PlannerScreen, folder: str, *, refused: bool = False
) -> None:
    """`folder` typed in the folders dialog of NEURECTOMY (from any of its nodes)."""
    await _open(pilot, screen, LOKI, "P", FoldersDialog)
    pilot.app.screen.query_one("#folder-new", Input).focus()
    await type_text(pilot, folder)
    if refused:
        await pilot.press("enter")
    else:
        await _confirm_from(pilot, screen, "folder-new")


def test_a_folder_twice_is_refused_in_the_dialog(reference_plan_path: Path) -> None:
    async def body() -> None:
        app = make_app(reference_plan_path)
        async with app.run_test(size=SIZE) as pilot:
            screen = await planner_shown(pilot)
            await _add_folder(pilot, screen, "api")
            await _add_folder(pilot, screen, "api", refused=True)
            await pilot.pause()
            dialog = app.screen
            assert isinstance(dialog, FoldersDialog)
            assert "twice" in str(dialog.query_one("#problem").render())
            await pilot.press("escape")
            await wait_for(pilot, lambda: app.screen is screen, "dialog closed")
            assert screen.session.plan.project("NEURECTOMY").paths == ["api"]

    run(body)
