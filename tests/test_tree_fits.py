"""The plan tree at narrow widths: a line gives way by cutting its name (with an ellipsis, by
terminal cells), never its ✗/⚠ counts, and the tree never scrolls sideways."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.text import Text

from portplan.edits import ReserveService
from portplan.findings import SEVERITIES, SYMBOLS
from portplan.model import ProjectRef, Service, ServiceRef, TierRef
from portplan.tui.labels import literal
from portplan.tui.node_label import ELLIPSIS, SHORT_NAME, NodeLabel, shorten
from portplan.tui.screens.planner import PlannerScreen
from portplan.tui.widgets.plan_tree import PlanTree
from tests.tui_helpers import make_app, planner_shown, run

HOSTILE_NAMES = (
    "東京都港区の非常に長いプロジェクト名前とその説明",
    "🚀🚀🚀 launch pad for every rocket we have ever built",
    "[red]not markup[/] and a [bold very long name",
    "esc \x1b[2J and a bell \x07 and more words after them",
    "e\u0301\u0301\u0301 combining marks stacked high on every letter here",
)

# Plan text for one hostile name: a project and a tier of that name, with a conflict.
HOSTILE_PLAN = """
[[projects]]
name = {name}
ports = "20000-20099"

[[projects.tiers]]
name = {name}
ports = "20000-20049"
services = [
    {{ port = 20001, name = {name} }},
    {{ port = 20001, name = "twin" }},
]
"""


def _toml_string(text: str) -> str:
    return '"' + "".join(f"\\u{ord(c):04x}" if ord(c) < 0x20 else c for c in text) + '"'


# --- the label ---------------------------------------------------------------------------


# Names and details without spaces, so that the fitted line splits back into its parts.
WORDS = st.text(st.characters(exclude_characters=" "), min_size=1, max_size=40).map(literal)
HEAD, TAIL = "✓ 20001  ", "✗2 ⚠1"


@given(
    name=WORDS,
    details=st.lists(WORDS, max_size=2),
    width=st.integers(min_value=0, max_value=80),
)
def test_a_fitted_label_keeps_its_head_and_counts(
    name: str, details: list[str], width: int
) -> None:
    label = NodeLabel(
        Text(name), head=Text(HEAD), details=tuple(map(Text, details)), tail=Text(TAIL)
    )
    fitted = label.fit(width).plain
    assert fitted.startswith(HEAD)
    assert fitted.endswith(f"  {TAIL}")
    if label.text.cell_len <= width:
        assert fitted == label.text.plain  # room enough: nothing given up
    # Too narrow for the head and counts: the name is down to two cells.
    assert cell_len(fitted) <= max(width, cell_len(f"{HEAD}  {TAIL}") + 2)
    shown, *kept = fitted.removeprefix(HEAD).removesuffix(f"  {TAIL}").split("  ")
    assert kept == details[: len(kept)]  # details go from the last
    assert shown == name or (shown.endswith(ELLIPSIS) and name.startswith(shown[:-1]))


def _fit_by_assembling(label: NodeLabel, width: int) -> Text:
    """The fitted label found the slow way: each candidate line assembled and measured."""

    def line(name: Text, details: tuple[Text, ...]) -> Text:
        parts: list[Text] = [label.head, name]
        for part in (*details, *([label.tail] if label.tail is not None else [])):
            parts += [Text("  "), part]
        return Text.assemble(*parts)

    wanted = min(SHORT_NAME, label.name.cell_len)
    for kept in range(len(label.details), -1, -1):
        details = label.details[:kept]
        room = width - line(Text(), details).cell_len
        if room >= wanted or kept == 0:
            return line(shorten(label.name, room), details)
    raise AssertionError("unreachable")


STYLED = st.builds(
    Text,
    st.text(max_size=25).map(literal),
    style=st.sampled_from(["", "bold", "red"]),
)


@given(
    name=STYLED,
    head=STYLED,
    details=st.lists(STYLED, max_size=3).map(tuple),
    tail=st.none() | STYLED,
    width=st.integers(min_value=-5, max_value=90),
)
def test_a_label_fits_as_assembling_and_measuring_each_candidate_would(
    name: Text, head: Text, details: tuple[Text, ...], tail: Text | None, width: int
) -> None:
    label = NodeLabel(name, head=head, details=details, tail=tail)
    fitted, expected = label.fit(width), _fit_by_assembling(label, width)
    assert (fitted.plain, fitted.spans) == (expected.plain, expected.spans)


@given(text=st.text(max_size=30).map(literal), width=st.integers(min_value=2, max_value=40))
def test_a_shortened_name_is_a_prefix_that_fits(text: str, width: int) -> None:
    shown = shorten(Text(text), width).plain
    assert cell_len(shown) <= width
    assert shown == text or (shown.endswith(ELLIPSIS) and text.startswith(shown[:-1]))


def test_details_go_before_the_name_is_cut_short() -> None:
    label = NodeLabel(
        Text("Application Tier"),
        details=(Text("16000-16099"), Text("3/100 used")),
        tail=Text("⚠1"),
    )
    assert label.fit(36).plain == "Application Tier  16000-16099  ⚠1"
    assert label.fit(SHORT_NAME + 17).plain == "Application…  16000-16099  ⚠1"
    assert label.fit(20).plain == "Application Tier  ⚠1"
    assert label.fit(8).plain == "App…  ⚠1"


def test_a_wide_character_is_never_split() -> None:
    assert shorten(Text("東京都港区"), 6).plain == "東京…"
    assert shorten(Text("東京都港区"), 5).plain == "東京…"
    assert shorten(Text("東京都港区"), 4).plain == "東…"


# --- the tree on screen ------------------------------------------------------------------


def _lines(tree: PlanTree) -> list[tuple[object, str]]:
    """Each line in view: the node's ref and the text drawn for it."""
    lines = []
    for y in range(tree.scrollable_content_region.height):
        node = tree.get_node_at_line(tree.scroll_offset.y + y)
        if node is not None:
            lines.append((node.data, tree.render_line(y).text.rstrip()))
    return lines


def _counts(screen: PlannerScreen, ref: ProjectRef | TierRef) -> str:
    counts = screen.index.counts(ref)
    shown = [f"{SYMBOLS[s]}{counts[s]}" for s in SEVERITIES if counts[s]]
    return " ".join(shown) or "✓"


async def _check_tree(screen: PlannerScreen) -> int:
    """Every project and tier line in view ends with its counts; returns how many there were."""
    tree = screen.plan_tree
    assert tree.max_scroll_x == 0, tree.virtual_size  # no sideways scroll bar
    assert not tree.show_horizontal_scrollbar
    checked = 0
    for ref, text in _lines(tree):
        assert cell_len(text) <= tree.scrollable_content_region.width, text
        if isinstance(ref, (ProjectRef, TierRef)):
            assert text.endswith(_counts(screen, ref)), (ref, text)
            checked += 1
    return checked


def test_counts_stay_in_view_at_80_and_100_columns(reference_plan_path: Path) -> None:
    async def body() -> None:
        for size in ((80, 24), (100, 30)):
            app = make_app(reference_plan_path)
            async with app.run_test(size=size) as pilot:
                screen = await planner_shown(pilot)
                await pilot.pause()
                checked = 0
                for project in screen.session.plan.projects:
                    screen.plan_tree.select_ref(ProjectRef(project.name))
                    await pilot.pause()
                    checked += await _check_tree(screen)
                assert checked >= len(screen.session.plan.projects)

    run(body)


def test_hostile_names_are_cut_not_the_counts(tmp_path: Path) -> None:
    async def body() -> None:
        for number, name in enumerate(HOSTILE_NAMES):
            path = tmp_path / f"hostile{number}.toml"
            path.write_text(HOSTILE_PLAN.format(name=_toml_string(name)), encoding="utf-8")
            app = make_app(path)
            async with app.run_test(size=(80, 24)) as pilot:
                screen = await planner_shown(pilot)
                screen.plan_tree.select_ref(ServiceRef(name, name, name))
                await pilot.pause()
                assert await _check_tree(screen) == 2
                texts = [text for _, text in _lines(screen.plan_tree)]
                assert all("\x1b" not in text and "\x07" not in text for text in texts)
                assert any(ELLIPSIS in text for text in texts), texts

    run(body)


def test_a_jump_that_brings_the_scroll_bar_brings_no_sideways_one(
    reference_plan_path: Path,
) -> None:
    """The tree fits its pane, a jump opens a long tier (the vertical scroll bar appears):
    its lines give the bar its room, so no horizontal bar shows."""

    async def body() -> None:
        app = make_app(reference_plan_path)
        async with app.run_test(size=(120, 36)) as pilot:
            screen = await planner_shown(pilot)
            plan = screen.session.plan
            project = plan.projects[0]
            tier = max(project.tiers, key=lambda tier: len(tier.ports))
            used = {service.port for _, _, service in plan.services()}
            for number, port in enumerate([p for p in tier.ports if p not in used][:60]):
                service = Service(port=port, name=f"added {number:02}")
                screen.session.apply(ReserveService(project.name, tier.name, service))
            # Shown again from scratch: only the projects' lines, which fit the pane.
            screen.plan_tree.show_plan(screen.session.plan, screen.index, expand_all=False)
            await pilot.pause()
            tree = screen.plan_tree
            assert not tree.show_vertical_scrollbar
            assert tree.select_ref(ServiceRef(project.name, tier.name, "added 59"), center=True)
            for _ in range(3):
                await pilot.pause()
            assert tree.show_vertical_scrollbar
            assert not tree.show_horizontal_scrollbar and tree.max_scroll_x == 0

    run(body)
