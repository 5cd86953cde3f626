"""Drive the planner with keys and check the plan, the screen and the saved file."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from rich.console import Console
from textual.widgets import Input, Select, Static

from portplan.edits import ReleaseService
from portplan.model import NodeRef, ServiceRef, TierRef
from portplan.store import dumps, load
from portplan.tui.keymap import PLANNER_KEYS
from portplan.tui.modals.confirm import ConfirmDialog, QuitDialog
from portplan.tui.modals.dialogs import MoveDialog, ReserveDialog
from portplan.tui.modals.find import FindDialog
from portplan.tui.modals.help import HelpScreen
from portplan.tui.screens.planner import PlannerScreen
from portplan.tui.widgets.details import Details
from portplan.tui.widgets.plan_tree import PlanTree
from tests.tui_helpers import SIZE, clear_input, make_app, run, type_text, wait_for, wait_seconds


def _planner(app: object) -> PlannerScreen:
    screen = app.screen  # type: ignore[attr-defined]
    assert isinstance(screen, PlannerScreen)
    return screen


def _select(app: object, ref: object) -> None:
    tree = app.screen.query_one(PlanTree)  # type: ignore[attr-defined]
    assert tree.select_ref(ref)


async def _open_dialog(pilot: Any, app: Any, ref: NodeRef, key: str, kind: type) -> None:
    """The planner up, `ref` highlighted, `key` pressed, and its dialog open."""
    await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "planner")
    _select(app, ref)
    await pilot.press(key)
    await wait_for(pilot, lambda: isinstance(app.screen, kind), kind.__name__)


def _service_ports(path: Path) -> dict[str, int]:
    plan = load(path)
    return {f"{p.name}/{t.name}/{s.name}": s.port for p, t, s in plan.services()}


def test_reserve_save_reload(reference_plan_path: Path) -> None:
    async def body() -> None:
        app = make_app(reference_plan_path)
        async with app.run_test(size=SIZE) as pilot:
            cache = TierRef("NEURECTOMY", "Cache & Messaging")
            await _open_dialog(pilot, app, cache, "r", ReserveDialog)
            port_input = app.screen.query_one("#port", Input)
            assert port_input.value == "16501"  # the first clean port of the tier
            await type_text(pilot, "Memcached")
            await pilot.press("tab")
            await type_text(pilot, "Second cache")
            await pilot.press("enter")
            await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "dialog closed")
            assert _planner(app).session.modified
            memcached = ServiceRef("NEURECTOMY", "Cache & Messaging", "Memcached")
            assert app.screen.query_one(PlanTree).current_ref == memcached
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: not _planner(app).session.modified, "saved")
        saved = tomllib.loads(reference_plan_path.read_text())
        tier = next(t for t in saved["projects"][0]["tiers"] if t["name"] == "Cache & Messaging")
        assert {"port": 16501, "name": "Memcached", "description": "Second cache"} in tier[
            "services"
        ]
        assert (
            _service_ports(reference_plan_path)["NEURECTOMY/Cache & Messaging/Memcached"] == 16501
        )
        assert (reference_plan_path.parent / "ports.toml.bak").exists()

    run(body)


def test_move_into_conflict_preview_undo_redo(reference_plan_path: Path) -> None:
    redis = ServiceRef("NEURECTOMY", "Cache & Messaging", "Redis")
    bolt = ServiceRef("NEURECTOMY", "Databases", "Neo4j Bolt")

    def duplicate_findings(app: object) -> list[str]:
        return [f.message for f in _planner(app).session.findings if f.kind == "duplicate-port"]

    async def body() -> None:
        app = make_app(reference_plan_path)
        async with app.run_test(size=SIZE) as pilot:
            await _open_dialog(pilot, app, bolt, "m", MoveDialog)
            await clear_input(pilot)
            await type_text(pilot, "16500")
            preview = str(app.screen.query_one("#preview", Static).render())
            assert f"16500 is taken by {redis}" in preview
            assert "duplicate" not in preview  # messages, not slugs
            assert "port 16500/tcp is taken by 2 services" in preview
            await pilot.press("enter")
            await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "moved")
            assert duplicate_findings(app), "the conflict shows once the move is done"
            # 16500 lies in Cache & Messaging: the home tier followed the port there
            moved = ServiceRef("NEURECTOMY", "Cache & Messaging", "Neo4j Bolt")
            assert app.screen.query_one(PlanTree).current_ref == moved
            details = str(app.screen.query_one(Details).render())
            assert "taken by 2 services" in details
            await pilot.press("u")
            await wait_for(pilot, lambda: not duplicate_findings(app), "undo clears the conflict")
            await pilot.press("ctrl+y")
            await wait_for(pilot, lambda: bool(duplicate_findings(app)), "redo brings it back")
            await pilot.press("u")
            await wait_for(pilot, lambda: not _planner(app).session.modified, "back to the file")

    run(body)


def test_a_typed_port_is_previewed_before_the_next_frame(reference_plan_path: Path) -> None:
    """The preview and the followed home tier change while the keystroke itself is handled,
    not on a message handled after the frame that shows the character."""
    bolt = ServiceRef("NEURECTOMY", "Databases", "Neo4j Bolt")

    async def body() -> None:
        app = make_app(reference_plan_path)
        async with app.run_test(size=SIZE) as pilot:
            await _open_dialog(pilot, app, bolt, "m", MoveDialog)
            await clear_input(pilot)
            await type_text(pilot, "1650")
            dialog = app.screen
            port = dialog.query_one("#port", Input)
            preview = dialog.query_one("#preview", Static)
            before = str(preview.render())
            port.insert_text_at_cursor("0")  # as a key does, with nothing awaited after it
            shown = str(preview.render())
            assert shown != before and "16500 is taken by NEURECTOMY/Cache" in shown
            assert dialog.query_one("#home", Select).value == str(
                dialog.homes.index(TierRef("NEURECTOMY", "Cache & Messaging"))
            )

    run(body)


def test_release_asks_then_removes(reference_plan_path: Path) -> None:
    before = reference_plan_path.read_bytes()

    async def body() -> None:
        app = make_app(reference_plan_path)
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "planner")
            _select(app, ServiceRef("NEURECTOMY", "Observability", "Loki"))
            await pilot.press("d")
            await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog), "confirm")
            question = str(app.screen.query_one(".dialog-intro", Static).render())
            assert "16930" in question and "NEURECTOMY/Observability/Loki" in question
            await pilot.press("n")  # no: nothing changes
            await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "cancelled")
            assert not _planner(app).session.modified
            await pilot.press("delete")
            await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog), "confirm again")
            await pilot.press("y")
            await wait_for(pilot, lambda: _planner(app).session.modified, "released")
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: not _planner(app).session.modified, "saved")
        ports = _service_ports(reference_plan_path)
        assert "NEURECTOMY/Observability/Loki" not in ports
        assert len(ports) == 67
        assert reference_plan_path.read_bytes() != before

    run(body)


def test_find_jumps_to_a_port(reference_plan_path: Path) -> None:
    async def body() -> None:
        app = make_app(reference_plan_path)
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "planner")
            await pilot.press("slash")
            await wait_for(pilot, lambda: isinstance(app.screen, FindDialog), "find dialog")
            await type_text(pilot, "46082")
            await pilot.press("enter")
            await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "jumped")
            tree = app.screen.query_one(PlanTree)
            assert tree.current_ref == ServiceRef("Ryot LLM", "API Tier", "Embeddings API")
            await pilot.press("slash")
            await wait_for(pilot, lambda: isinstance(app.screen, FindDialog), "find again")
            await type_text(pilot, "grafana")
            await pilot.press("down", "enter")
            await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "jumped again")
            assert tree.current_ref == ServiceRef("SigmaLang (ΣLANG)", "Observability", "Grafana")

    run(body)


def test_next_and_previous_finding(reference_plan_path: Path) -> None:
    async def body() -> None:
        app = make_app(reference_plan_path)
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "planner")
            screen = _planner(app)
            tree = app.screen.query_one(PlanTree)
            await pilot.press("n")
            first = screen.session.findings[0]
            assert str(tree.current_ref) == first.subjects[0]
            await pilot.press("n")
            assert str(tree.current_ref) == screen.session.findings[1].subjects[0]
            await pilot.press("N", "N")
            last = screen.session.findings[-1]
            assert str(tree.current_ref) == last.subjects[0]

    run(body)


def test_quit_guard_cancel_discard_and_save(reference_plan_path: Path) -> None:
    before = reference_plan_path.read_bytes()

    async def body(choice: str) -> None:
        app = make_app(reference_plan_path)
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "planner")
            _select(app, ServiceRef("NEURECTOMY", "Observability", "Loki"))
            await pilot.press("d")
            await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog), "confirm")
            await pilot.press("y")
            await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "released")
            await pilot.press("q")
            await wait_for(pilot, lambda: isinstance(app.screen, QuitDialog), "quit prompt")
            await pilot.press("c")
            await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "cancelled")
            assert app.is_running
            await pilot.press("q")
            await wait_for(pilot, lambda: isinstance(app.screen, QuitDialog), "asked again")
            await pilot.press(choice)
            await wait_for(pilot, lambda: not app.is_running, "exited")

    run(lambda: body("d"))
    assert reference_plan_path.read_bytes() == before  # discard leaves the file alone
    run(lambda: body("s"))
    assert "NEURECTOMY/Observability/Loki" not in _service_ports(reference_plan_path)


def test_quit_without_edits_exits_at_once(reference_plan_path: Path) -> None:
    async def body() -> None:
        app = make_app(reference_plan_path)
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "planner")
            await pilot.press("q")
            await wait_for(pilot, lambda: not app.is_running, "exited")

    run(body)


def test_help_lists_every_key(reference_plan_path: Path) -> None:
    async def body() -> None:
        app = make_app(reference_plan_path)
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "planner")
            await pilot.press("f1")
            await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), "help")
            console = Console(record=True, width=120)
            console.print(app.screen.key_table())
            text = console.export_text()
            for key in PLANNER_KEYS:
                assert key.help in text
            await pilot.press("escape")
            await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "closed")

    run(body)


def test_names_render_literally(tmp_path: Path) -> None:
    plan_path = tmp_path / "odd.toml"
    plan_path.write_text(
        'title = "odd"\n[[projects]]\nname = "[red]P[/red]"\nports = "20000-20999"\n'
        '[[projects.tiers]]\nname = "T"\nports = "20000-20099"\n'
        '[[projects.tiers.services]]\nport = 20001\nname = "[bold]x[/bold]"\n'
        'description = "bell\\u0007 esc\\u001b[31m"\n'
    )

    async def body() -> None:
        app = make_app(plan_path)
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "planner")
            tree = app.screen.query_one(PlanTree)
            labels = [str(tree.label_of(node)) for node in _walk(tree.root)]
            assert any("[red]P[/red]" in label for label in labels)
            assert any("[bold]x[/bold]" in label for label in labels)
            _select(app, ServiceRef("[red]P[/red]", "T", "[bold]x[/bold]"))
            pane = app.screen.query_one(Details)
            # The highlight reaches the details through a message: wait for it, not a frame.
            await wait_for(pilot, lambda: "Service" in str(pane.render()), "service details")
            details = str(pane.render())
            assert "␇" in details and "␛[31m" in details
            assert "\x1b" not in details and "\x07" not in details

    run(body)


def test_missing_plan_opens_empty_and_is_created_on_save(tmp_path: Path) -> None:
    plan_path = tmp_path / "new.toml"

    async def body() -> None:
        app = make_app(plan_path)
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "planner")
            assert not plan_path.exists()
            await pilot.press("A")
            await wait_for(pilot, lambda: app.screen.query("#ports"), "add project dialog")
            await type_text(pilot, "Alpha")
            await pilot.press("tab", "tab")
            await type_text(pilot, "20000-20999")
            await pilot.press("enter")
            await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "added")
            await pilot.press("ctrl+s")
            await wait_for(pilot, plan_path.exists, "created")
        plan = load(plan_path)
        assert [p.name for p in plan.projects] == ["Alpha"]
        assert dumps(plan) == plan_path.read_text()

    run(body)


def _walk(node: object) -> list[object]:
    found = []
    stack = list(node.children)  # type: ignore[attr-defined]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(current.children)
    return found


def test_findings_list_key_and_enter_jumps_to_the_subject(reference_plan_path: Path) -> None:
    async def body() -> None:
        app = make_app(reference_plan_path)
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "planner")
            findings = app.screen.query_one("#findings")
            await pilot.press("f")
            await wait_for(pilot, lambda: findings.has_focus, "findings focused")
            await pilot.press("down", "enter")
            tree = app.screen.query_one(PlanTree)
            await wait_for(pilot, lambda: tree.has_focus, "back in the tree")
            second = _planner(app).session.all_findings[1]
            assert str(tree.current_ref) == second.subjects[0]

    run(body)


def test_collector_is_held_only_until_the_edit_is_drawn(reference_plan_path: Path) -> None:
    import gc

    async def body() -> None:
        app = make_app(reference_plan_path)
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "planner")
            # Loading holds the collector until its first frame too: wait for that frame.
            await wait_for(pilot, gc.isenabled, "the collector back after loading")
            screen = _planner(app)
            loki = ServiceRef("NEURECTOMY", "Observability", "Loki")
            screen.apply(ReleaseService(loki), TierRef("NEURECTOMY", "Observability"))
            assert not gc.isenabled()  # no collector pass between the edit and its frame
            at_the_frame: list[bool] = []
            screen.call_after_refresh(lambda: at_the_frame.append(gc.isenabled()))
            await wait_seconds(pilot, gc.isenabled, "the collector back after the frame")
            # Not yet when the frame is drawn: its write comes first (FRAME_WRITE_TIME).
            assert at_the_frame == [False]
            await pilot.press("u")
            await wait_seconds(pilot, gc.isenabled, "and after an undo")

    run(body)


def test_a_field_longer_than_the_dialog_scrolls_to_its_cursor(reference_plan_path: Path) -> None:
    """A field's text scrolls as it is typed and edited, without the dialog being laid out
    again for each keystroke (its box never depends on its text)."""
    name = "".join(f"{word}{index}" for index, word in enumerate(["svc"] * 40))

    async def body() -> None:
        app = make_app(reference_plan_path)
        async with app.run_test(size=SIZE) as pilot:
            cache = TierRef("NEURECTOMY", "Cache & Messaging")
            await _open_dialog(pilot, app, cache, "r", ReserveDialog)
            field = app.screen.query_one("#name", Input)
            await pilot.pause()
            layouts: list[object] = []
            dialog = app.screen
            dialog.screen_layout_refresh_signal.subscribe(dialog, layouts.append, immediate=True)
            await type_text(pilot, name)
            await pilot.pause()
            assert field.value == name
            # A problem ("a name cannot be empty") goes when the first letter comes: at most
            # that one layout, not one for each of the name's letters.
            assert len(layouts) <= 1, len(layouts)
            shown = field.render_line(0).text
            assert shown.rstrip().endswith(name[-20:])  # the end, where the cursor is
            assert field.scroll_x > 0 and field.virtual_size.width > field.size.width
            await pilot.press("home")
            await pilot.pause()
            assert field.scroll_x == 0
            assert field.render_line(0).text.startswith(name[:20])
            await pilot.press("end")
            await pilot.pause()
            assert field.render_line(0).text.rstrip().endswith(name[-20:])

    run(body)
