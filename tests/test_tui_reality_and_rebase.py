"""The planner's rebase (b), change list (c), probe (p) and scan (S), driven with keys."""

from __future__ import annotations

import socket
from pathlib import Path

from rich.console import Console

from portplan.model import ProjectRef, ServiceRef
from portplan.store import load
from portplan.tui.modals.changes import ChangesScreen
from portplan.tui.modals.dialogs import RebaseDialog
from portplan.tui.screens.planner import PlannerScreen
from portplan.tui.widgets.details import Details
from portplan.tui.widgets.plan_tree import PlanTree
from portplan.tui.widgets.port_map import PortMap
from tests.tui_helpers import SIZE, clear_input, make_app, run, type_text, wait_for


def _text(renderable: object) -> str:
    console = Console(record=True, width=200)
    console.print(renderable)
    return console.export_text()


def test_rebase_project_lists_every_move_and_saves(reference_plan_path: Path) -> None:
    async def body() -> None:
        app = make_app(reference_plan_path)
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "planner")
            app.screen.query_one(PlanTree).select_ref(ProjectRef("Ryot LLM"))
            await pilot.press("b")
            await wait_for(pilot, lambda: isinstance(app.screen, RebaseDialog), "rebase dialog")
            await clear_input(pilot)
            await type_text(pilot, "56000")
            preview = _text(app.screen.query_one("#preview").render())
            count = _text(app.screen.query_one("#preview-count").render())
            assert "56000" in preview or "no new findings" in count
            await pilot.press("enter")
            await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "rebased")
            await pilot.press("c")
            await wait_for(pilot, lambda: isinstance(app.screen, ChangesScreen), "change list")
            listed = _text(app.screen.query_one("#change-list").render())
            for old, new in ((46000, 56000), (46083, 56083), (46600, 56600), (46910, 56910)):
                assert f"{old} → {new}" in listed
            await pilot.press("escape")
            await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "closed")
            await pilot.press("u")  # one undo step takes the whole rebase back
            await wait_for(pilot, lambda: not app.screen.session.modified, "undone")
            await pilot.press("ctrl+y", "ctrl+s")
            await wait_for(pilot, lambda: not app.screen.session.modified, "saved")
        plan = load(reference_plan_path)
        ryot = plan.project("Ryot LLM")
        assert str(ryot.ports) == "56000-56999"
        assert sorted(s.port for t in ryot.tiers for s in t.services)[0] == 56000

    run(body)


def _listen() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    return sock


def test_probe_marks_listening_ports_in_tree_map_and_details(tmp_path: Path) -> None:
    planned, unplanned = _listen(), _listen()
    port, stray = planned.getsockname()[1], unplanned.getsockname()[1]
    low, high = min(port, stray), max(port, stray)
    plan_path = tmp_path / "ports.toml"
    plan_path.write_text(
        f'title = "probe"\n[[projects]]\nname = "Live"\nports = "{low}-{high}"\n'
        f'[[projects.tiers]]\nname = "T"\nports = "{low}-{high}"\n'
        f'services = [ {{ port = {port}, name = "Python server" }} ]\n'
    )
    service = ServiceRef("Live", "T", "Python server")

    async def body() -> None:
        app = make_app(plan_path)
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "planner")
            tree = app.screen.query_one(PlanTree)
            assert tree.select_ref(service)
            await pilot.press("p")
            await wait_for(pilot, lambda: port in tree.in_use, "probe result")
            node = tree.node_for(service)
            assert node is not None and "◉" in str(tree.label_of(node))
            assert "python" in tree.in_use[port].lower()
            port_map = app.screen.query_one(PortMap)
            await wait_for(
                pilot,
                lambda: port_map.model is not None and port in port_map.model.listening,
                "map knows the listener",
            )
            assert port_map.model.state(stray) == "listening"
            assert port_map.model.state(port) != "listening"  # planned: keeps its own state
            details = _text(app.screen.query_one(Details).render())
            assert "In use" in details and "python" in details.lower()

    try:
        run(body)
    finally:
        planned.close()
        unplanned.close()


def test_scan_shows_drift_in_the_findings(tmp_path: Path) -> None:
    project = tmp_path / "alpha"
    project.mkdir()
    (project / ".env").write_text("WEB_PORT=20001\nOTHER_URL=http://localhost:30005/\n")
    plan_path = tmp_path / "ports.toml"
    plan_path.write_text(
        'title = "scan"\n[[projects]]\nname = "Alpha"\nports = "20000-20999"\n'
        'paths = ["alpha"]\n[[projects.tiers]]\nname = "Web"\nports = "20000-20099"\n'
        'services = [ { port = 20001, name = "Web" }, { port = 20002, name = "Admin" } ]\n'
    )

    async def body() -> None:
        app = make_app(plan_path)
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "planner")
            session = app.screen.session
            await pilot.press("S")
            await wait_for(pilot, lambda: bool(session.scan_findings), "scan result")
            messages = " ".join(f.message for f in session.all_findings)
            assert "30005" in messages  # a port in no project's plan
            assert ".env:2" in messages  # with its file and line

    run(body)
