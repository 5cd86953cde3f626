"""The port map: what each cell shows, and what its keys do in the planner."""

from __future__ import annotations

from pathlib import Path

from rich.cells import cell_len
from textual.app import App, ComposeResult
from textual.widgets import Input

from portplan.finding_index import FindingIndex
from portplan.hazards import DEFAULT_EPHEMERAL
from portplan.model import Plan, PortRange, ProjectRef, ServiceRef, TierRef
from portplan.portfacts import HAZARD_KINDS
from portplan.portmap import PortMapModel, build_port_map
from portplan.session import Session
from portplan.store import load, loads
from portplan.tui.modals.dialogs import ReserveDialog
from portplan.tui.screens.planner import PlannerScreen
from portplan.tui.widgets.details import Details
from portplan.tui.widgets.map_legend import SYMBOLS
from portplan.tui.widgets.plan_tree import PlanTree
from portplan.tui.widgets.port_map import PortMap
from tests.edge_plan import EDGE_ENVIRONMENT, EDGE_PLAN
from tests.tui_helpers import SIZE, make_app, run, wait_for

PLAN = """
title = "map"
# Not macOS: AirPlay's 5000 would make the "ok" service a warning.
platforms = ["linux", "windows", "browsers"]
reserved = [{ ports = "5060-5061", reason = "SIP" }]

[[projects]]
name = "A"
ports = "5000-5099"

[[projects.tiers]]
name = "web"
ports = "5000-5049"
services = [
  { port = 5000, name = "ok" },
  { port = 5001, name = "twin one" },
  { port = 5070, name = "strayed" },
]

[[projects.tiers]]
name = "data"
ports = "5050-5099"
services = [{ port = 5001, name = "twin two" }, { port = 5099, name = "blocked?" }]
"""


def _map(plan: Plan, tier: str | None = None):  # type: ignore[no-untyped-def]
    session = Session(plan, Path("plan.toml"), exists=False, ephemeral=DEFAULT_EPHEMERAL)
    project = plan.project("A")
    home = next(t for t in project.tiers if t.name == tier) if tier else None
    index = FindingIndex(plan, session.findings)
    return build_port_map(plan, project, home, index, session.ephemeral, session.live.projects_on)


def test_cells_show_use_findings_reservations_and_hazards() -> None:
    plan = loads(PLAN)
    model = _map(plan)
    assert len(model.states) == 100
    assert model.state(5000) == "used"
    assert model.state(5001) == "error"  # two services on one port
    assert model.owners[5001] == (
        ServiceRef("A", "web", "twin one"),
        ServiceRef("A", "data", "twin two"),
    )
    assert model.state(5070) == "error"  # outside its tier
    assert model.state(5060) == "reserved" and "SIP" in model.notes[5060]
    assert model.state(5002) == "free"
    assert model.home is None


def test_a_tier_map_marks_the_tier_and_hazards_show_on_free_ports() -> None:
    plan = loads(PLAN.replace('"5060-5061"', '"7000"'))
    model = _map(plan, "data")
    assert model.home is not None and model.home.start == 5050
    assert model.state(5060) == "hazard"  # 5060 is a browser-blocked port (SIP)
    assert model.home_name == "data"


def test_every_state_has_its_own_symbol() -> None:
    assert len(set(SYMBOLS.values())) == len(SYMBOLS)


def test_every_hazard_kind_has_a_symbol_of_its_own() -> None:
    symbols = [kind.symbol for kind in HAZARD_KINDS]
    assert all(cell_len(symbol) == 1 == len(symbol) for symbol in symbols), symbols
    assert len(set(symbols)) == len(symbols)
    assert set(symbols).isdisjoint(SYMBOLS.values())
    assert all(kind.label.strip() for kind in HAZARD_KINDS)
    readme = " ".join((Path(__file__).parents[1] / "README.md").read_text().split())
    missing = [k.kind for k in HAZARD_KINDS if f"`{k.symbol}` {k.label}" not in readme]
    assert not missing, f"the README's port map paragraph does not name {missing}"


def test_a_free_port_is_drawn_with_its_most_severe_hazard() -> None:
    plan = loads(EDGE_PLAN)
    session = Session(plan, Path("p.toml"), exists=False, ephemeral=EDGE_ENVIRONMENT)
    project = plan.project("Edge")
    index = FindingIndex(plan, session.findings)
    model = build_port_map(plan, project, None, index, EDGE_ENVIRONMENT, session.live.projects_on)
    assert model.state(5000) == "warning"  # the service there, AirPlay's port
    drawn = {port: model.hazard_kinds.get(port) for port in (5010, 5060, 5075, 5085, 5173)}
    assert drawn == {
        5010: "windows-excluded-port",
        5060: "browser-blocked-port",
        5075: "ephemeral-port",
        5085: "kernel-reserved-port",  # the kernel keeps it out of the ephemeral range
        5173: "known-occupant",
    }
    assert model.kinds_shown == (
        "browser-blocked-port",
        "ephemeral-port",
        "kernel-reserved-port",
        "windows-excluded-port",
        "known-occupant",
    )
    # An AirPlay port holds Flask's default too: the warning is drawn, not the note.
    plan.projects[0].tiers[0].services.clear()
    model = build_port_map(plan, project, None, index, EDGE_ENVIRONMENT, lambda port: ())
    assert model.hazard_kinds[5000] == "macos-airplay-port"


class _MapHost(App[None]):
    CSS = "PortMap { height: 1fr; }"

    def compose(self) -> ComposeResult:
        yield PortMap()


def test_every_hazard_kind_has_a_legend_entry_and_its_cells() -> None:
    # A map with one free port of each kind, at the map's width in an 80-column terminal.
    ports = PortRange(7000, 7000 + len(HAZARD_KINDS) - 1)
    model = PortMapModel(
        project="P",
        ports=ports,
        home=None,
        home_name=None,
        states=["hazard"] * len(ports),
        hazard_kinds={ports.start + i: kind.kind for i, kind in enumerate(HAZARD_KINDS)},
        kinds_shown=tuple(kind.kind for kind in HAZARD_KINDS),
    )

    async def body() -> None:
        app = _MapHost()
        async with app.run_test(size=(40, 20)) as pilot:
            port_map = app.query_one(PortMap)
            port_map.show(model)
            await pilot.pause()
            lines = port_map._legend()
            assert all(line.cell_len <= port_map.size.width for line in lines)
            legend = [line.plain for line in lines]
            for kind in HAZARD_KINDS:
                entry = f"{kind.symbol} {kind.label}"
                assert any(entry in line for line in legend), (entry, legend)
            cells = port_map.render_line(0).text
            assert "".join(kind.symbol for kind in HAZARD_KINDS) in cells

    run(body)


def _planner(app: object) -> PlannerScreen:
    screen = app.screen  # type: ignore[attr-defined]
    assert isinstance(screen, PlannerScreen)
    return screen


def test_map_follows_the_tree_and_tab_moves_focus(reference_plan_path: Path) -> None:
    async def body() -> None:
        app = make_app(reference_plan_path)
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "planner")
            screen = _planner(app)
            port_map = screen.query_one(PortMap)
            assert screen.query_one(PlanTree).select_ref(
                ServiceRef("SigmaVault (ΣVAULT)", "Infrastructure", "MinIO")
            )
            await wait_for(pilot, lambda: port_map.cursor_port == 36600, "cursor on MinIO")
            assert port_map.model is not None and port_map.model.state(36600) == "error"
            await pilot.press("tab")
            await wait_for(pilot, lambda: port_map.has_focus, "map focused")
            await pilot.press("right", "down")
            assert port_map.cursor_port == 36651
            # The details follow the cursor: a free port of SigmaVault's, Linux-ephemeral.
            details = screen.query_one(Details)
            await wait_for(pilot, lambda: "Port  36651" in str(details.content), "its details")
            assert "░ port 36651 is inside the Linux ephemeral range" in str(details.content)
            await pilot.press("shift+tab")
            await wait_for(pilot, lambda: screen.query_one(PlanTree).has_focus, "tree focused")

    run(body)


def test_enter_on_a_free_cell_reserves_it(reference_plan_path: Path) -> None:
    async def body() -> None:
        app = make_app(reference_plan_path)
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "planner")
            screen = _planner(app)
            screen.query_one(PlanTree).select_ref(TierRef("NEURECTOMY", "Databases"))
            port_map = screen.query_one(PortMap)
            await pilot.press("tab")
            await wait_for(pilot, lambda: port_map.has_focus, "map focused")
            port_map.cursor = 16450 - 16000
            await pilot.press("enter")
            await wait_for(pilot, lambda: isinstance(app.screen, ReserveDialog), "reserve")
            assert app.screen.query_one("#port", Input).value == "16450"
            await pilot.press(*"Cache2")
            await pilot.press("enter")
            await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "closed")
            session = _planner(app).session
            assert ("NEURECTOMY", "Databases", 16450) in {
                (p.name, t.name, s.port)
                for p, t, s in session.plan.services()
                if s.name == "Cache2"
            }
            await wait_for(
                pilot,
                lambda: port_map.model is not None and port_map.model.state(16450) != "free",
                "map redrawn",
            )

    run(body)


def test_enter_on_a_used_cell_selects_its_service_and_m_moves_one(
    reference_plan_path: Path,
) -> None:
    async def body() -> None:
        app = make_app(reference_plan_path)
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "planner")
            screen = _planner(app)
            tree = screen.query_one(PlanTree)
            port_map = screen.query_one(PortMap)
            tree.select_ref(ProjectRef("SigmaVault (ΣVAULT)"))
            await pilot.press("tab")
            await wait_for(pilot, lambda: port_map.has_focus, "map focused")
            port_map.cursor = 36500 - 36000
            await pilot.press("enter")
            redis = ServiceRef("SigmaVault (ΣVAULT)", "Infrastructure", "Redis")
            await wait_for(pilot, lambda: tree.current_ref == redis, "Redis selected")
            await pilot.press("tab")
            await wait_for(pilot, lambda: port_map.has_focus, "map focused again")
            port_map.cursor = 36450 - 36000
            await pilot.press("m")
            await wait_for(
                pilot,
                lambda: any(
                    s.name == "Redis" and s.port == 36450
                    for p, _, s in screen.session.plan.services()
                    if p.name.startswith("SigmaVault")
                ),
                "Redis moved to 36450",
            )
            assert all(
                f.subjects[0] != str(redis)
                for f in screen.session.findings
                if f.kind == "service-outside-tier"
            )
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: not screen.session.modified, "saved")
        saved = load(reference_plan_path)
        assert any(
            s.name == "Redis" and s.port == 36450
            for p, _, s in saved.services()
            if p.name.startswith("SigmaVault")
        )

    run(body)
