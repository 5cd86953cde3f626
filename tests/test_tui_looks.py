"""How the planner looks, beyond what a snapshot shows: the title names the file a save will
create, colours come from the theme, and the chosen theme is remembered."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.widget import Widget
from textual.widgets import Input

from portplan.change import Change, shown_value
from portplan.hazards import DEFAULT_EPHEMERAL
from portplan.model import ServiceRef, TierRef
from portplan.session import Session
from portplan.tui.app import create_app
from portplan.tui.labels import STYLE_NAMES, file_title, literal, shown_path
from portplan.tui.modals.changes import change_text
from portplan.tui.modals.dialogs import MoveDialog, ReserveDialog
from portplan.tui.preview import worst_added
from portplan.tui.screens.planner import PlannerScreen
from portplan.tui.widgets.details import Details
from portplan.tui.widgets.findings_list import FindingsList
from portplan.tui.widgets.plan_tree import PlanTree
from portplan.tui.widgets.port_map import PortMap
from tests.tui_helpers import (
    SIZE,
    clear_input,
    make_app,
    planner_shown,
    run,
    type_text,
    wait_for,
)


def test_a_plan_not_created_yet_is_titled_with_its_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No plan in the folder: the planner opens data/ports.toml, which a save creates.
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").mkdir()

    async def body() -> None:
        app = make_app(Path("data/ports.toml"))
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "planner")
            assert app.sub_title == "data/ports.toml (new file)"
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: (tmp_path / "data/ports.toml").exists(), "saved")
            await wait_for(pilot, lambda: app.sub_title == "ports.toml", "titled as saved")

    run(body)


def test_shown_paths_are_the_ones_a_user_would_type(tmp_path: Path) -> None:
    assert shown_path(Path("data/ports.toml")) == "data/ports.toml"
    assert shown_path(tmp_path / "data" / "ports.toml", cwd=tmp_path) == "data/ports.toml"
    assert shown_path(Path.home() / "plans" / "p.toml", cwd=tmp_path) == "~/plans/p.toml"
    assert shown_path(Path("/elsewhere/p.toml"), cwd=tmp_path) == "/elsewhere/p.toml"


def test_a_title_shows_a_hostile_file_name_literally(tmp_path: Path) -> None:
    session = Session.open(tmp_path / "evil\x1b[2J.toml")
    title = file_title(session)
    assert "\x1b" not in title
    assert title.startswith("/") and title.endswith("evil␛[2J.toml (new file)")


def test_literal_shows_every_control_and_bidi_character() -> None:
    shown = literal("a\x1b[2J\n\x9b31m\x85\u202eb\u2066\x7f")
    assert shown == "a␛[2J␊\\x9b31m\\x85\\u202eb\\u2066␡"


def test_c1_and_bidi_characters_in_names_never_reach_the_screen(tmp_path: Path) -> None:
    # A C1 CSI (U+009B) is a control sequence to some terminals; a right-to-left override
    # (U+202E) reorders what the reader sees ("Trojan Source").
    plan = tmp_path / "ports.toml"
    plan.write_text(
        'title = "t"\n[[projects]]\nname = "P\\u009b2J"\nports = "20000-20999"\n'
        '[[projects.tiers]]\nname = "T"\nports = "20000-20099"\n'
        'services = [{ port = 20000, name = "evil\\u202eexe.txt", description = "d\\u0085" }]\n',
        encoding="utf-8",
    )
    shots: list[str] = []

    async def body() -> None:
        app = make_app(plan)
        async with app.run_test(size=SIZE) as pilot:
            screen = await planner_shown(pilot)
            assert screen.plan_tree.select_ref(ServiceRef("P\x9b2J", "T", "evil\u202eexe.txt"))
            await pilot.pause()
            shots.append(app.export_screenshot())

    run(body)
    [shot] = shots
    assert not any(char in shot for char in "\x9b\x85\u202e")
    assert "evil\\u202eexe.txt" in shot and "P\\x9b2J" in shot


def _contrast(one: Color, other: Color) -> float:
    """WCAG contrast ratio of two colours."""

    def luminance(color: Color) -> float:
        def channel(value: int) -> float:
            c = value / 255
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

        return 0.2126 * channel(color.r) + 0.7152 * channel(color.g) + 0.0722 * channel(color.b)

    high, low = sorted((luminance(one), luminance(other)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _segments(widget: Widget, skip: set[int]) -> list[Segment]:
    return [
        segment
        for y in range(widget.size.height)
        if y not in skip
        for segment in widget.render_line(y)
        if segment.text.strip()
    ]


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light", "solarized-light"])
def test_text_in_unfocused_panes_has_no_background_chips(
    reference_plan_path: Path, theme: str
) -> None:
    async def body() -> None:
        app = create_app(
            reference_plan_path, ephemeral=DEFAULT_EPHEMERAL, theme=theme, cursor_blink=False
        )
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "planner")
            tree = app.screen.query_one(PlanTree)
            assert tree.select_ref(ServiceRef("SigmaVault (ΣVAULT)", "Infrastructure", "MinIO"))
            await pilot.pause()
            findings = app.screen.query_one(FindingsList)
            findings.focus()  # the tree drew its labels while it had the focus
            await wait_for(pilot, lambda: findings.has_focus, "findings focused")
            await pilot.pause()
            cursor_row = tree.cursor_line - tree.scroll_offset.y
            for widget, skip in ((tree, {cursor_row}), (app.screen.query_one(Details), set())):
                backgrounds = {segment.style.bgcolor for segment in _segments(widget, skip)}
                assert backgrounds == {widget.rich_style.bgcolor}, (widget, backgrounds)

    run(body)


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light", "solarized-light"])
def test_unfocused_fields_read_as_fields(reference_plan_path: Path, theme: str) -> None:
    async def body() -> None:
        app = create_app(
            reference_plan_path, ephemeral=DEFAULT_EPHEMERAL, theme=theme, cursor_blink=False
        )
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "planner")
            app.screen.query_one(PlanTree).select_ref(TierRef("NEURECTOMY", "Databases"))
            await pilot.press("r")
            await wait_for(pilot, lambda: isinstance(app.screen, ReserveDialog), "reserve")
            await wait_for(pilot, lambda: bool(app.screen.query("Input:focus")), "a field focused")
            frame = app.screen.query_one("#frame")
            unfocused = [field for field in app.screen.query(Input) if not field.has_focus]
            assert len(unfocused) == 2
            for field in unfocused:
                assert field.rich_style.bgcolor != frame.rich_style.bgcolor

    run(body)


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light", "solarized-light"])
def test_muted_text_is_readable_in_every_theme(reference_plan_path: Path, theme: str) -> None:
    # The map's port labels once came out white whatever the theme.
    async def body() -> None:
        app = create_app(
            reference_plan_path, ephemeral=DEFAULT_EPHEMERAL, theme=theme, cursor_blink=False
        )
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "planner")
            port_map = app.screen.query_one(PortMap)
            await wait_for(pilot, lambda: port_map.model is not None, "the map drawn")
            label = port_map.render_line(0)._segments[0]
            assert label.text.strip().isdigit()
            assert label.style is not None and label.style.color is not None
            background = Color.from_rich_color(port_map.rich_style.bgcolor)
            assert _contrast(Color.from_rich_color(label.style.color), background) >= 3

    run(body)


def _drawn(reference_plan_path: Path, theme: str, switch_to: str | None) -> list[list[object]]:
    """What every pane draws, segment by segment, after starting in `theme` (and switching)."""
    drawn: list[list[object]] = []

    async def body() -> None:
        app = create_app(
            reference_plan_path, ephemeral=DEFAULT_EPHEMERAL, theme=theme, cursor_blink=False
        )
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "planner")
            assert app.screen.query_one(PlanTree).select_ref(
                ServiceRef("SigmaVault (ΣVAULT)", "Infrastructure", "MinIO")
            )
            await pilot.pause()
            if switch_to is not None:
                app.theme = switch_to
                await wait_for(pilot, lambda: app.current_theme.name == switch_to, "switched")
            for _ in range(3):
                await pilot.pause()
            for kind in (PlanTree, Details, FindingsList, PortMap):
                widget = app.screen.query_one(kind)
                drawn.append([(s.text, s.style) for s in _segments(widget, set())])

    run(body)
    return drawn


def test_a_theme_chosen_while_running_recolours_everything(reference_plan_path: Path) -> None:
    switched = _drawn(reference_plan_path, "textual-dark", "textual-light")
    assert switched == _drawn(reference_plan_path, "textual-light", None)


def _frame_after_typing(reference_plan_path: Path, port: str) -> set[str]:
    classes: set[str] = set()

    async def body() -> None:
        app = make_app(reference_plan_path)
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "planner")
            app.screen.query_one(PlanTree).select_ref(
                ServiceRef("NEURECTOMY", "Databases", "Neo4j Bolt")
            )
            await pilot.press("m")
            await wait_for(pilot, lambda: isinstance(app.screen, MoveDialog), "move")
            await clear_input(pilot)
            await type_text(pilot, port)
            await pilot.pause()
            frame = app.screen.query_one("#frame")
            classes.update(frame.classes)
            border = frame.styles.border_top[1]
            colour = {name: Color.parse(app.theme_variables[name]) for name in ("error", "primary")}
            assert border == colour["error" if "-adds-errors" in classes else "primary"]

    run(body)
    return classes


def test_a_dialog_looks_like_a_warning_only_when_the_change_adds_problems(
    reference_plan_path: Path,
) -> None:
    taken = _frame_after_typing(reference_plan_path, "16500")
    assert "-adds-errors" in taken
    clean = _frame_after_typing(reference_plan_path, "16480")
    assert not clean & {"-adds-errors", "-adds-warnings"}


def _preview(**fields: object) -> Any:
    blank: dict[str, object] = {"error": None, "taken_by": (), "added": []}
    return SimpleNamespace(**(blank | fields))


def _finding(severity: str) -> Any:
    return SimpleNamespace(severity=severity)


def test_the_worst_added_finding_picks_the_frame() -> None:
    assert worst_added(_preview()) is None
    assert worst_added(_preview(added=[_finding("info")])) is None
    assert worst_added(_preview(added=[_finding("info"), _finding("warning")])) == "warning"
    assert worst_added(_preview(added=[_finding("warning"), _finding("error")])) == "error"
    assert worst_added(_preview(error="no such tier")) == "error"
    assert worst_added(_preview(taken_by=("a/b/c",))) == "error"


PALETTE = {name: Style(color=f"color({number})") for number, name in enumerate(STYLE_NAMES)}
values = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12)


@given(before=values, old=values, new=values, after=values)
def test_a_change_line_says_the_same_with_its_values_coloured(
    before: str, old: str, new: str, after: str
) -> None:
    text = f"{before}{shown_value(old)} → {shown_value(new)}{after}"
    change = Change("p", "description", "p", old, new, text)
    line = change_text(change, PALETTE)
    assert line.plain == literal(text)  # the diff's wording, every character of it
    styled = {line.plain[span.start : span.end]: span.style for span in line.spans}
    if " → " not in before + shown_value(old) + shown_value(new) + after:
        assert styled == {
            literal(shown_value(old)): PALETTE["dim"],
            literal(shown_value(new)): PALETTE["ok"],
        }


def test_a_port_move_in_the_change_list() -> None:
    change = Change("p", "moved", "p/t/s", "46000", "56000", "t/s: 46000 → 56000")
    line = change_text(change, PALETTE)
    assert [(line.plain[s.start : s.end], s.style) for s in line.spans] == [
        ("46000", PALETTE["dim"]),
        ("56000", PALETTE["ok"]),
    ]
