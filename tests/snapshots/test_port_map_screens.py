"""Snapshots of the port map and of the prompts that keep edits safe. Review changes in
snapshot_report.html before accepting them with `--snapshot-update`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from portplan.edits import MoveService
from portplan.model import ProjectRef, ServiceRef, TierRef
from portplan.tui.modals.safety import ExternalChangeDialog, RecoveryDialog
from portplan.tui.screens.planner import PlannerScreen
from portplan.tui.widgets.port_map import PortMap
from tests.snapshots.test_planner_screens import highlight
from tests.tui_helpers import SIZE, leave_orphan, make_app, wait_for

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


def test_map_cursor_on_a_conflict(snap_compare: SnapCompare, reference_plan_path: Path) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await highlight(TierRef("SigmaVault (ΣVAULT)", "Infrastructure"))(pilot)
        await pilot.press("tab")
        port_map = pilot.app.screen.query_one(PortMap)
        await wait_for(pilot, lambda: port_map.has_focus, "map focused")
        port_map.cursor = 36600 - 36000
        await pilot.pause()

    assert snap_compare(make_app(reference_plan_path), terminal_size=SIZE, run_before=run_before)


def test_map_small_terminal(snap_compare: SnapCompare, reference_plan_path: Path) -> None:
    assert snap_compare(
        make_app(reference_plan_path),
        terminal_size=(80, 24),
        run_before=highlight(TierRef("NEURECTOMY", "Databases")),
    )


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
