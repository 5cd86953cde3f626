"""The planner's "Apply to files" (F): after a rebase, the projects' files follow the plan."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from textual.pilot import Pilot

from portplan.model import ProjectRef
from portplan.tui.app import PortplanApp
from portplan.tui.modals.apply_files import ApplyFilesScreen
from portplan.tui.modals.dialogs import RebaseDialog
from portplan.tui.screens.planner import PlannerScreen
from portplan.tui.widgets.plan_tree import PlanTree
from tests.apply_helpers import OLD_TEXT, lay_out
from tests.tui_helpers import SIZE, clear_input, make_app, run, type_text, wait_for

FILES = {
    "compose.yml": "services:\n  web:  # the UI\n    ports: ['15000:5173']\n"
    "  db:\n    ports: ['${PG_PORT}:5432']\n",
    ".env": "PG_PORT=15432\r\nAPI_URL=http://localhost:15080/v1\r\n",
}


def project_folder(tmp_path: Path) -> Path:
    """ports.toml with ALPHA at 15000 and its folder alpha/ written with those ports."""
    plan = tmp_path / "ports.toml"
    plan.write_text(OLD_TEXT, encoding="utf-8")
    lay_out(tmp_path / "alpha", dict(FILES))
    return plan


async def rebase_alpha_and_open(pilot: Pilot[None], start: str = "16000") -> None:
    app = pilot.app
    await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "planner")
    app.screen.query_one(PlanTree).select_ref(ProjectRef("ALPHA"))
    await pilot.press("b")
    await wait_for(pilot, lambda: isinstance(app.screen, RebaseDialog), "rebase dialog")
    await clear_input(pilot)
    await type_text(pilot, start)
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "rebased")
    await pilot.press("F")
    await wait_for(pilot, lambda: isinstance(app.screen, ApplyFilesScreen), "apply dialog")
    screen = app.screen
    assert isinstance(screen, ApplyFilesScreen)
    await wait_for(pilot, lambda: screen.preparation is not None, "the folders read")
    await pilot.pause()


def shown(app: PortplanApp, selector: str) -> str:
    console = Console(record=True, width=200)
    console.print(app.screen.query_one(selector).render())
    return console.export_text()


def test_apply_to_files_writes_what_the_rebase_means(tmp_path: Path) -> None:
    plan = project_folder(tmp_path)
    folder = tmp_path / "alpha"

    async def body() -> None:
        app = make_app(plan)
        async with app.run_test(size=SIZE) as pilot:
            await rebase_alpha_and_open(pilot)
            report = shown(app, "#apply-report")
            assert "+    ports: ['16000:5173']" in report and "+PG_PORT=16432" in report
            assert "3 ports to change in 2 files" in shown(app, "#apply-count")
            assert (folder / "compose.yml").read_text() == FILES["compose.yml"]  # not yet
            await pilot.press("w")
            await wait_for(pilot, lambda: "Wrote" in shown(app, "#apply-count"), "written")
            assert ".bak" in shown(app, "#apply-count")
            await pilot.press("escape")
            await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "closed")
            assert app.screen.session.modified  # the plan itself is saved by ^s, as always

    run(body)
    assert (folder / "compose.yml").read_text() == FILES["compose.yml"].replace("15000", "16000")
    assert (folder / ".env").read_bytes() == (
        FILES[".env"].replace("15432", "16432").replace("15080", "16080").encode()
    )
    assert (folder / ".env.bak").read_bytes() == FILES[".env"].encode()


def test_closing_the_dialog_writes_nothing(tmp_path: Path) -> None:
    plan = project_folder(tmp_path)

    async def body() -> None:
        app = make_app(plan)
        async with app.run_test(size=SIZE) as pilot:
            await rebase_alpha_and_open(pilot, "17000")
            assert "+PG_PORT=17432" in shown(app, "#apply-report")
            await pilot.press("escape")
            await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "closed")

    run(body)
    for name, text in FILES.items():
        assert (tmp_path / "alpha" / name).read_bytes() == text.encode()
    assert not (tmp_path / "alpha" / "compose.yml.bak").exists()


def test_without_paths_the_dialog_says_what_to_add(reference_plan_path: Path) -> None:
    async def body() -> None:
        app = make_app(reference_plan_path)
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "planner")
            await pilot.press("F")
            await wait_for(pilot, lambda: isinstance(app.screen, ApplyFilesScreen), "dialog")
            assert "paths" in shown(app, "#apply-report")
            await pilot.press("w")  # nothing to write: nothing happens
            await pilot.press("escape")
            await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "closed")

    run(body)
