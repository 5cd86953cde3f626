"""The plan tree after an edit: only the nodes that differ are added or removed, in port
order, and every label matches the plan."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from portplan.edits import EditService, MoveService, ReleaseService, ReserveService
from portplan.model import NodeRef, ProjectRef, Service, ServiceRef, TierRef
from portplan.tui.labels import project_label, service_label, tier_label
from portplan.tui.screens.planner import PlannerScreen
from portplan.tui.widgets.plan_tree import PlanTree
from portplan.tui.widgets.reconcile import kept_positions
from tests.tui_helpers import SIZE, make_app, run, wait_for

# --- which children stay ----------------------------------------------------------------


def _longest_ordered_run(current: list[int], wanted: list[int]) -> int:
    """Brute force: the longest subsequence of `current` that is also one of `wanted`."""
    table = [[0] * (len(wanted) + 1) for _ in range(len(current) + 1)]
    for i, a in enumerate(current):
        for j, b in enumerate(wanted):
            table[i + 1][j + 1] = (
                table[i][j] + 1 if a == b else max(table[i][j + 1], table[i + 1][j])
            )
    return table[-1][-1]


def test_unchanged_children_all_stay() -> None:
    assert kept_positions("abcd", "abcd") == {0, 1, 2, 3}


def test_a_moved_child_is_the_only_one_replaced() -> None:
    assert kept_positions("abcdef", "bcdefa") == {1, 2, 3, 4, 5}
    assert kept_positions("abcdef", "afbcde") == {0, 1, 2, 3, 4}


def test_removed_children_go_and_added_ones_do_not_count() -> None:
    assert kept_positions("abcd", "axd") == {0, 3}
    assert kept_positions("", "abc") == set()
    assert kept_positions("abc", "") == set()


@given(
    st.lists(st.integers(0, 12), unique=True, max_size=10),
    st.lists(st.integers(0, 12), unique=True, max_size=10),
)
def test_kept_children_are_in_wanted_order_and_as_many_as_possible(
    current: list[int], wanted: list[int]
) -> None:
    kept = sorted(kept_positions(current, wanted))
    positions = [wanted.index(current[index]) for index in kept]
    assert positions == sorted(positions)
    assert len(kept) == _longest_ordered_run(current, wanted)


# --- the tree after edits ----------------------------------------------------------------

PLAN = """title = "reconcile"
[[projects]]
name = "P"
ports = "20000-20999"
[[projects.tiers]]
name = "A"
ports = "20000-20099"
services = [
  { port = 20001, name = "s1" }, { port = 20002, name = "s2" },
  { port = 20003, name = "s3" }, { port = 20004, name = "s4" },
]
[[projects.tiers]]
name = "B"
ports = "20100-20199"
services = [{ port = 20101, name = "t1" }]
[[projects]]
name = "Q"
ports = "21000-21999"
[[projects.tiers]]
name = "C"
ports = "21000-21099"
services = [{ port = 21001, name = "u1" }]
"""


def _children(tree: PlanTree, ref: NodeRef) -> dict[NodeRef, object]:
    node = tree.node_for(ref)
    assert node is not None
    return {child.data: child for child in node.children}


def _check_matches_plan(screen: PlannerScreen) -> None:
    """Every node in plan order (services by port) with the label the plan gives it."""
    tree, plan, index = screen.plan_tree, screen.session.plan, screen.index
    palette = tree.palette()
    projects = [node.data for node in tree.root.children]
    assert projects == [ProjectRef(p.name) for p in plan.projects]
    for project, project_node in zip(plan.projects, tree.root.children, strict=True):
        assert str(tree.label_of(project_node)) == str(project_label(project, index, palette).text)
        assert [n.data for n in project_node.children] == [
            TierRef(project.name, t.name) for t in project.tiers
        ]
        for tier, tier_node in zip(project.tiers, project_node.children, strict=True):
            assert str(tree.label_of(tier_node)) == str(
                tier_label(project, tier, index, palette).text
            )
            services = sorted(tier.services, key=lambda s: (s.port, s.name))
            assert [n.data for n in tier_node.children] == [
                ServiceRef(project.name, tier.name, s.name) for s in services
            ]
            for service, node in zip(services, tier_node.children, strict=True):
                label = service_label(project, tier, service, index, palette)
                assert str(tree.label_of(node)) == str(label.text)


def test_edits_replace_only_the_nodes_that_changed(tmp_path: Path) -> None:
    plan_path = tmp_path / "plan.toml"
    plan_path.write_text(PLAN)
    tier_a, tier_b = TierRef("P", "A"), TierRef("P", "B")

    async def body() -> None:
        app = make_app(plan_path)
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "planner")
            screen = app.screen
            assert isinstance(screen, PlannerScreen)
            tree = screen.plan_tree
            tree.node_for(tier_b).collapse()  # type: ignore[union-attr]
            before = _children(tree, tier_a)

            s1 = ServiceRef("P", "A", "s1")
            assert screen.apply(MoveService(s1, 20050), s1)  # from first to last
            await pilot.pause()
            after = _children(tree, tier_a)
            assert list(after) == [ServiceRef("P", "A", n) for n in ("s2", "s3", "s4", "s1")]
            assert all(after[ref] is before[ref] for ref in list(after)[:3])
            assert after[s1] is not before[s1]
            _check_matches_plan(screen)

            before = after
            renamed = ServiceRef("P", "A", "s2b")
            assert screen.apply(EditService(ServiceRef("P", "A", "s2"), "s2b", ""), renamed)
            await pilot.pause()
            after = _children(tree, tier_a)
            assert list(after)[0] == renamed
            assert [after[r] for r in list(after)[1:]] == [before[r] for r in list(before)[1:]]
            _check_matches_plan(screen)

            before = after
            s3 = ServiceRef("P", "A", "s3")
            assert screen.apply(ReleaseService(s3), tier_a)
            await pilot.pause()
            after = _children(tree, tier_a)
            assert s3 not in after and all(after[ref] is before[ref] for ref in after)
            _check_matches_plan(screen)

            before = after
            reserved = ServiceRef("P", "A", "s2c")
            assert screen.apply(ReserveService("P", "A", Service(port=20002, name="s2c")), reserved)
            await pilot.pause()
            after = _children(tree, tier_a)
            assert list(after)[1] == reserved  # after s2b: the same port, by name
            assert all(after[ref] is before[ref] for ref in before)
            _check_matches_plan(screen)

            # Into another project's tier: gone here, there in port order, the closed tier
            # of the first project still closed.
            s4 = ServiceRef("P", "A", "s4")
            moved = ServiceRef("Q", "C", "s4")
            assert screen.apply(MoveService(s4, 21000, "Q", "C"), moved)
            await pilot.pause()
            assert moved not in _children(tree, tier_a)
            assert list(_children(tree, TierRef("Q", "C")))[0] == moved
            assert not tree.node_for(tier_b).is_expanded  # type: ignore[union-attr]
            _check_matches_plan(screen)

            screen.action_undo()
            screen.action_undo()
            await pilot.pause()
            assert s4 in _children(tree, tier_a) and reserved not in _children(tree, tier_a)
            _check_matches_plan(screen)

    run(body)
