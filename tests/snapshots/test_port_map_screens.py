"""Snapshots of the port map and of the prompts that keep edits safe. Review changes in
snapshot_report.html before accepting them with `--snapshot-update`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from portplan.edits import MoveService
from portplan.model import ProjectRef, ServiceRef, TierRef
from portplan.tui.app import create_app
from portplan.tui.modals.safety import ExternalChangeDialog, RecoveryDialog
from portplan.tui.screens.planner import PlannerScreen
from portplan.tui.widgets.port_map import PortMap
from tests.edge_plan import EDGE_ENVIRONMENT, EDGE_PLAN
from tests.snapshots.test_planner_screens import highlight
from tests.tui_helpers import SIZE, THEME, leave_orphan, make_app, wait_for

SnapCompare = Any
LOKI = ServiceRef("NEURECTOMY", "Observability", "Loki")


def test_map_of_a_project(snap_compare: SnapCompare, reference_plan_path: Path) -> None:
    assert snap_compare(
        make_app(reference_plan_path),
        terminal_size=SIZE,
        run_before=highlight(ProjectRef("SigmaVault (ΣVAULT)")),
    )


def test_map_of_a_tier(snap_compare: SnapCompare, reference_plan_path: Path) -> None:
    assert snap_compare(
        make_app(reference_plan_path),
        terminal_size=SIZE,
        run_before=highlight(TierRef("NEURECTOMY", "Databases")),
    )


def map_cursor_on(tier: TierRef, port: int):  # type: ignore[no-untyped-def]
    """Highlight `tier`, tab to the map and put its cursor on `port`."""

    async def run_before(pilot: Pilot[None]) -> None:
        await highlight(tier)(pilot)
        await pilot.press("tab")
        port_map = pilot.app.screen.query_one(PortMap)
        await wait_for(pilot, lambda: port_map.has_focus, "map focused")
        assert port_map.model is not None
        port_map.cursor = port - port_map.model.ports.start
        await pilot.pause()

    return run_before


def test_map_cursor_on_a_conflict(snap_compare: SnapCompare, reference_plan_path: Path) -> None:
    run_before = map_cursor_on(TierRef("SigmaVault (ΣVAULT)", "Infrastructure"), 36600)
    assert snap_compare(make_app(reference_plan_path), terminal_size=SIZE, run_before=run_before)


def test_map_small_terminal(snap_compare: SnapCompare, reference_plan_path: Path) -> None:
    assert snap_compare(
        make_app(reference_plan_path),
        terminal_size=(80, 24),
        run_before=highlight(TierRef("NEURECTOMY", "Databases")),
    )


def _on_airplay_port(path: Path):  # type: ignore[no-untyped-def]
    """The map of a project with a port of each kind of fact, its cursor on 5000 (AirPlay's
    and Flask's), whose facts the details list."""
    path.write_text(EDGE_PLAN)
    app = create_app(path, ephemeral=EDGE_ENVIRONMENT, theme=THEME, cursor_blink=False)
    return app, map_cursor_on(TierRef("Edge", "web"), 5000)


def test_map_of_every_kind_of_fact(snap_compare: SnapCompare, tmp_path: Path) -> None:
    app, run_before = _on_airplay_port(tmp_path / "edge.toml")
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_map_of_every_kind_of_fact_small_terminal(
    snap_compare: SnapCompare, tmp_path: Path
) -> None:
    app, run_before = _on_airplay_port(tmp_path / "edge.toml")
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_external_change_prompt(snap_compare: SnapCompare, reference_plan_path: Path) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await highlight(LOKI)(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, PlannerScreen)
        screen.apply(MoveService(LOKI, 16995), LOKI)
        reference_plan_path.write_text(reference_plan_path.read_text() + "\n")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ExternalChangeDialog), "asked")

    assert snap_compare(make_app(reference_plan_path), terminal_size=SIZE, run_before=run_before)


def test_recovery_prompt(snap_compare: SnapCompare, reference_plan_path: Path) -> None:
    leave_orphan(reference_plan_path)

    async def run_before(pilot: Pilot[None]) -> None:
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, RecoveryDialog), "offered")

    assert snap_compare(make_app(reference_plan_path), terminal_size=SIZE, run_before=run_before)
