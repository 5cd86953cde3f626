"""Every dialog at 80×24, the size most terminals open at: each must fit or scroll with its
buttons, its count line and its own footer in view. Review changes in snapshot_report.html
before accepting them with `--snapshot-update`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from portplan.edits import MoveService
from portplan.model import ProjectRef, ServiceRef, TierRef
from portplan.recovery import write_base
from portplan.session import Session
from portplan.store import dumps
from portplan.tui.modals.changes import ChangesScreen
from portplan.tui.modals.confirm import ConfirmDialog, QuitDialog
from portplan.tui.modals.dialogs import (
    EditServiceDialog,
    FoldersDialog,
    MoveDialog,
    RangedItemDialog,
    RebaseDialog,
    ReserveDialog,
)
from portplan.tui.modals.find import FindDialog
from portplan.tui.modals.help import HelpScreen
from portplan.tui.modals.safety import ExternalChangeDialog, RecoveryDialog
from portplan.tui.screens.planner import PlannerScreen
from tests.snapshots.test_planner_screens import highlight
from tests.tui_helpers import leave_orphan, make_app, type_text, wait_for

SnapCompare = Any
SMALL = (80, 24)
LOKI = ServiceRef("NEURECTOMY", "Observability", "Loki")


def test_move_with_a_live_conflict(snap_compare: SnapCompare, reference_plan_path: Path) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await highlight(ServiceRef("NEURECTOMY", "Databases", "Neo4j Bolt"))(pilot)
        await pilot.press("m")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, MoveDialog), "move")
        await type_text(pilot, "16500")  # replaces the port filled in

    assert snap_compare(make_app(reference_plan_path), terminal_size=SMALL, run_before=run_before)


def test_reserve(snap_compare: SnapCompare, reference_plan_path: Path) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await highlight(TierRef("NEURECTOMY", "Cache & Messaging"))(pilot)
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ReserveDialog), "reserve")

    assert snap_compare(make_app(reference_plan_path), terminal_size=SMALL, run_before=run_before)


def test_rebase_with_a_long_preview(snap_compare: SnapCompare, reference_plan_path: Path) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await highlight(ProjectRef("NEURECTOMY"))(pilot)
        await pilot.press("b")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, RebaseDialog), "rebase")
        await type_text(pilot, "46000")  # onto Ryot LLM: more findings than the dialog shows

    assert snap_compare(make_app(reference_plan_path), terminal_size=SMALL, run_before=run_before)


def test_release(snap_compare: SnapCompare, reference_plan_path: Path) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await highlight(LOKI)(pilot)
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ConfirmDialog), "confirm")

    assert snap_compare(make_app(reference_plan_path), terminal_size=SMALL, run_before=run_before)


def test_quit(snap_compare: SnapCompare, reference_plan_path: Path) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await highlight(LOKI)(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, PlannerScreen)
        screen.apply(MoveService(LOKI, 16995), LOKI)
        await pilot.press("q")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, QuitDialog), "quit prompt")

    assert snap_compare(make_app(reference_plan_path), terminal_size=SMALL, run_before=run_before)


def test_recovery(snap_compare: SnapCompare, reference_plan_path: Path) -> None:
    leave_orphan(reference_plan_path)

    async def run_before(pilot: Pilot[None]) -> None:
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, RecoveryDialog), "offered")

    assert snap_compare(make_app(reference_plan_path), terminal_size=SMALL, run_before=run_before)


def test_recovery_from_an_older_version(
    snap_compare: SnapCompare, reference_plan_path: Path
) -> None:
    # Made from a version of the file that a git pull has replaced since.
    leave_orphan(reference_plan_path, base="0" * 64)

    async def run_before(pilot: Pilot[None]) -> None:
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, RecoveryDialog), "offered")

    assert snap_compare(make_app(reference_plan_path), terminal_size=SMALL, run_before=run_before)


def test_recovery_replayed_onto_a_pulled_file(
    snap_compare: SnapCompare, reference_plan_path: Path
) -> None:
    copy = leave_orphan(reference_plan_path)
    write_base(copy, reference_plan_path.read_text())
    # Since the copy was made, a git pull moved Loki as well and renamed Grafana.
    pulled = Session.open(reference_plan_path)
    pulled.apply(MoveService(LOKI, 16990))
    reference_plan_path.write_text(
        dumps(pulled.plan).replace('"Grafana"', '"Grafana (pulled)"', 1), encoding="utf-8"
    )

    async def run_before(pilot: Pilot[None]) -> None:
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, RecoveryDialog), "offered")

    assert snap_compare(make_app(reference_plan_path), terminal_size=SMALL, run_before=run_before)


def test_external_change(snap_compare: SnapCompare, reference_plan_path: Path) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await highlight(LOKI)(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, PlannerScreen)
        screen.apply(MoveService(LOKI, 16995), LOKI)
        reference_plan_path.write_text(reference_plan_path.read_text() + "\n")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ExternalChangeDialog), "asked")

    assert snap_compare(make_app(reference_plan_path), terminal_size=SMALL, run_before=run_before)


def test_help(snap_compare: SnapCompare, reference_plan_path: Path) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, PlannerScreen), "planner")
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, HelpScreen), "help")

    assert snap_compare(make_app(reference_plan_path), terminal_size=SMALL, run_before=run_before)


def test_help_of_a_dialog(snap_compare: SnapCompare, reference_plan_path: Path) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await highlight(ServiceRef("NEURECTOMY", "Databases", "Neo4j Bolt"))(pilot)
        await pilot.press("m")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, MoveDialog), "move")
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, HelpScreen), "its help")

    assert snap_compare(make_app(reference_plan_path), terminal_size=SMALL, run_before=run_before)


def test_edit_service_with_its_protocol(
    snap_compare: SnapCompare, reference_plan_path: Path
) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await highlight(LOKI)(pilot)
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, EditServiceDialog), "edit")

    assert snap_compare(make_app(reference_plan_path), terminal_size=SMALL, run_before=run_before)


def test_folders(snap_compare: SnapCompare, reference_plan_path: Path) -> None:
    text = reference_plan_path.read_text(encoding="utf-8")
    reference_plan_path.write_text(
        text.replace(
            'description = "AI Development IDE/Platform"\n',
            'description = "AI Development IDE/Platform"\npaths = ["apps/web", "services/api"]\n',
            1,
        ),
        encoding="utf-8",
    )

    async def run_before(pilot: Pilot[None]) -> None:
        await highlight(ProjectRef("NEURECTOMY"))(pilot)
        await pilot.press("P")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, FoldersDialog), "folders")

    assert snap_compare(make_app(reference_plan_path), terminal_size=SMALL, run_before=run_before)


def test_find_with_its_matches(snap_compare: SnapCompare, reference_plan_path: Path) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, PlannerScreen), "planner")
        await pilot.press("slash")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, FindDialog), "find")
        await type_text(pilot, "redis")

    assert snap_compare(make_app(reference_plan_path), terminal_size=SMALL, run_before=run_before)


def test_add_a_tier(snap_compare: SnapCompare, reference_plan_path: Path) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await highlight(ProjectRef("NEURECTOMY"))(pilot)
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, RangedItemDialog), "add tier")

    assert snap_compare(make_app(reference_plan_path), terminal_size=SMALL, run_before=run_before)


def test_remove_a_tier(snap_compare: SnapCompare, reference_plan_path: Path) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await highlight(TierRef("NEURECTOMY", "Observability"))(pilot)
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ConfirmDialog), "confirm")

    assert snap_compare(make_app(reference_plan_path), terminal_size=SMALL, run_before=run_before)


def test_changes_after_a_rebase(snap_compare: SnapCompare, reference_plan_path: Path) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await highlight(ProjectRef("Ryot LLM"))(pilot)
        await pilot.press("b")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, RebaseDialog), "rebase")
        await type_text(pilot, "56000")  # replaces the base filled in
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, PlannerScreen), "rebased")
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ChangesScreen), "changes")

    assert snap_compare(make_app(reference_plan_path), terminal_size=SMALL, run_before=run_before)


def test_findings_list_focused(snap_compare: SnapCompare, reference_plan_path: Path) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, PlannerScreen), "planner")
        await pilot.press("f", "down", "down")

    assert snap_compare(make_app(reference_plan_path), terminal_size=SMALL, run_before=run_before)
