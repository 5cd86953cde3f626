"""The plan tree's one override of Tree: a node added, removed or opened repaints the tree
without asking for a layout of the screen (a layout costs an edit one more frame), and the
cursor still lands on a node the edit has just added."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widget import Widget

from portplan.edits import ReserveService
from portplan.model import Service, ServiceRef, TierRef
from portplan.tui.screens.planner import PlannerScreen
from portplan.tui.widgets import plan_tree as plan_tree_module
from portplan.tui.widgets.plan_tree import PlanTree
from tests.tui_helpers import SIZE, make_app, planner_shown, run, wait_for


def test_node_changes_repaint_without_a_layout(
    reference_plan_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def body() -> None:
        app = make_app(reference_plan_path)
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "planner")
            tree = app.screen.query_one(PlanTree)
            layouts: list[bool] = []
            refresh = Widget.refresh

            def spy(widget: Widget, *regions, **options):  # type: ignore[no-untyped-def]
                if widget is tree:
                    layouts.append(bool(options.get("layout")))
                return refresh(widget, *regions, **options)

            monkeypatch.setattr(Widget, "refresh", spy)
            project = tree.root.children[0]
            leaf = project.add_leaf("added")
            leaf.remove()
            project.collapse()
            project.expand()
            monkeypatch.undo()
            # If Tree stopped calling the hook the override wraps, these would ask for layouts.
            assert layouts and not any(layouts)

    run(body)


def test_cursor_lands_on_a_node_the_edit_added(reference_plan_path: Path) -> None:
    async def body() -> None:
        app = make_app(reference_plan_path)
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "planner")
            screen = app.screen
            assert isinstance(screen, PlannerScreen)
            tree = screen.plan_tree
            # A service before every other of its tier: the lines below it all move down.
            used = {service.port for _, _, service in screen.session.plan.services()}
            project, tier = next(
                (project, tier)
                for project in screen.session.plan.projects
                for tier in project.tiers
                if tier.services
                and tier.ports.start not in used
                and tier.ports.start < min(service.port for service in tier.services)
            )
            tree.select_ref(TierRef(project.name, tier.name))
            added = ServiceRef(project.name, tier.name, "Added first")
            assert screen.apply(
                ReserveService(
                    project.name, tier.name, Service(port=tier.ports.start, name="Added first")
                ),
                added,
            )
            assert tree.current_ref == added  # at once, not after the next frame

    run(body)


def test_a_whole_plan_shown_again_repaints_once_with_every_line(
    reference_plan_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def body() -> None:
        app = make_app(reference_plan_path)
        async with app.run_test(size=SIZE) as pilot:
            screen = await planner_shown(pilot)
            tree = screen.plan_tree
            before = [str(tree.label_of(line.node)) for line in tree._tree_lines]
            repaints: list[object] = []
            refresh = Widget.refresh

            def spy(widget: Widget, *regions, **options):  # type: ignore[no-untyped-def]
                if widget is tree:
                    repaints.append(options)
                return refresh(widget, *regions, **options)

            monkeypatch.setattr(Widget, "refresh", spy)
            # About 100 nodes added: Tree alone would invalidate and repaint at each.
            tree.show_plan(screen.session.plan, screen.index, expand_all=True)
            monkeypatch.undo()
            assert len(repaints) <= 2  # Tree.clear repaints by itself
            assert [str(tree.label_of(line.node)) for line in tree._tree_lines] == before

    run(body)


def test_opening_a_tier_builds_only_the_labels_drawn(
    reference_plan_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A jump into a tier of many services builds the labels of the lines on screen, not of
    the whole tier; the others are built when scrolled into view."""

    async def body() -> None:
        app = make_app(reference_plan_path)
        async with app.run_test(size=SIZE) as pilot:
            screen = await planner_shown(pilot)
            tree = screen.plan_tree
            plan = screen.session.plan
            project = plan.projects[0]
            tier = max(project.tiers, key=lambda tier: len(tier.ports))
            used = {service.port for _, _, service in plan.services()}
            free = [port for port in tier.ports if port not in used][:80]
            for number, port in enumerate(free):
                service = Service(port=port, name=f"added {number:02}")
                screen.session.apply(ReserveService(project.name, tier.name, service))
            screen.refresh_views()
            await pilot.pause()
            built: list[object] = []
            real = plan_tree_module.label_parts

            def counted(entry, *rest):  # type: ignore[no-untyped-def]
                built.append(entry.ref)
                return real(entry, *rest)

            monkeypatch.setattr(plan_tree_module, "label_parts", counted)
            last = ServiceRef(project.name, tier.name, "added 79")
            assert tree.select_ref(last, center=True)
            await pilot.pause()
            shown = tree._tree_lines[tree.scroll_offset.y :][
                : tree.scrollable_content_region.height
            ]
            assert last in built and len(shown) > 10
            assert set(built) <= {line.node.data for line in shown}  # nothing off screen
            drawn = len(built)
            assert all(tree.label_of(line.node).plain for line in shown)
            assert len(built) == drawn  # every line on screen was built when drawn
            tree.scroll_relative(y=-len(shown), animate=False)  # a page up: more new services
            await pilot.pause()
            assert len(built) > drawn  # scrolled into view: built then
            assert len(set(built)) == len(built)  # each label once

    run(body)
