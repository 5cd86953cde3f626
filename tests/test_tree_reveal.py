"""A jump opens the project and tier of the node it lands on; on a plan too large to open
whole, the ones opened only for that are closed again, their nodes dropped, when the cursor
is sent elsewhere. What the user opened by hand stays open."""

from __future__ import annotations

from pathlib import Path

from portplan.model import ServiceRef, TierRef
from portplan.tui.screens.planner import EXPAND_ALL_UP_TO
from portplan.tui.widgets.plan_tree import PlanTree
from tests.tui_helpers import SIZE, make_app, planner_shown, run

PER_TIER = 150
TIERS = 2
PROJECTS = 2


def large_plan(folder: Path) -> Path:
    assert PROJECTS * TIERS * PER_TIER > EXPAND_ALL_UP_TO  # starts closed
    lines = ['title = "Large"', 'version = "1"', ""]
    for p in range(PROJECTS):
        base = 20000 + p * 1000
        lines += ["[[projects]]", f'name = "P{p}"', f'ports = "{base}-{base + 999}"', ""]
        for t in range(TIERS):
            low = base + t * 400
            lines += ["[[projects.tiers]]", f'name = "T{t}"', f'ports = "{low}-{low + 399}"']
            lines.append("services = [")
            lines += [f'    {{ port = {low + s}, name = "s{s}" }},' for s in range(PER_TIER)]
            lines += ["]", ""]
    path = folder / "large.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def service_nodes(tree: PlanTree) -> int:
    stack, count = list(tree.root.children), 0
    while stack:
        node = stack.pop()
        count += isinstance(node.data, ServiceRef)
        stack.extend(node.children)
    return count


def test_a_jump_elsewhere_closes_what_the_last_jump_opened(tmp_path: Path) -> None:
    async def body() -> None:
        app = make_app(large_plan(tmp_path))
        async with app.run_test(size=SIZE) as pilot:
            tree = (await planner_shown(pilot)).plan_tree
            assert service_nodes(tree) == 0
            assert tree.select_ref(ServiceRef("P0", "T0", "s5"))
            await pilot.pause()
            assert service_nodes(tree) == PER_TIER
            assert tree.select_ref(ServiceRef("P1", "T1", "s7"))
            await pilot.pause()
            assert service_nodes(tree) == PER_TIER  # P0/T0's nodes dropped
            assert tree.current_ref == ServiceRef("P1", "T1", "s7")
            first = tree.root.children[0]
            assert first.data is not None and first.data.project == "P0"
            assert not first.is_expanded and not first.children  # P0 closed as well
            # Back: opened and loaded again.
            assert tree.select_ref(ServiceRef("P0", "T0", "s5"))
            await pilot.pause()
            assert tree.current_ref == ServiceRef("P0", "T0", "s5")
            assert service_nodes(tree) == PER_TIER

    run(body)


def test_a_tier_opened_by_hand_stays_open(tmp_path: Path) -> None:
    async def body() -> None:
        app = make_app(large_plan(tmp_path))
        async with app.run_test(size=SIZE) as pilot:
            tree = (await planner_shown(pilot)).plan_tree
            assert tree.select_ref(ServiceRef("P0", "T1", "s3"))  # opens P0 and T1
            assert tree.select_ref(TierRef("P0", "T1"))
            await pilot.pause()
            tree.focus()
            await pilot.press("space", "space")  # the user closes the tier and opens it again
            await pilot.pause()
            assert service_nodes(tree) == PER_TIER
            assert tree.select_ref(ServiceRef("P0", "T0", "s1"))  # same project, other tier
            await pilot.pause()
            assert service_nodes(tree) == 2 * PER_TIER  # T1 is the user's: still open

    run(body)
