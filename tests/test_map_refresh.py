"""After an edit the port map is built again only when the edit could have changed it."""

from __future__ import annotations

from pathlib import Path

from portplan.edits import MoveService, ReserveService
from portplan.finding_index import FindingIndex
from portplan.hazards import DEFAULT_EPHEMERAL
from portplan.model import Plan, PortRange, Project, ProjectRef, Service, ServiceRef, Tier
from portplan.portmap import build_port_map
from portplan.store import dumps
from portplan.tui.screens.map_feed import _changed_on
from portplan.tui.screens.planner import PlannerScreen
from tests.tui_helpers import SIZE, make_app, planner_shown, run, wait_for


def _plan() -> Plan:
    def project(name: str, start: int, services: list[Service]) -> Project:
        tier = Tier(name="T", ports=PortRange(start, start + 99), services=services)
        return Project(name=name, ports=PortRange(start, start + 999), tiers=[tier])

    return Plan(
        title="maps",
        projects=[
            project("A", 20000, [Service(port=20001, name="a1")]),
            project(
                "B", 21000, [Service(port=20002, name="b-in-a"), Service(port=21001, name="b1")]
            ),
            project("C", 22000, [Service(port=22001, name="c1")]),
        ],
    )


def test_only_the_maps_project_its_port_holders_and_newcomers_change_it() -> None:
    plan = _plan()
    index = FindingIndex(plan, [])
    a = plan.projects[0]
    holders = {20001: {"A"}, 20002: {"B"}}
    model = build_port_map(
        plan, a, None, index, DEFAULT_EPHEMERAL, lambda port: holders.get(port, set())
    )
    assert _changed_on(model, plan, {"A"})
    assert _changed_on(model, plan, {"B"})  # held a port of A's range when the map was drawn
    assert not _changed_on(model, plan, {"C"})
    plan.projects[2].tiers[0].services[0].port = 20500  # C moves into A's range
    assert _changed_on(model, plan, {"C"})


def test_an_edit_elsewhere_keeps_the_map_and_one_on_it_redraws_it(tmp_path: Path) -> None:
    plan_path = tmp_path / "maps.toml"
    plan_path.write_text(dumps(_plan()))

    async def body() -> None:
        app = make_app(plan_path)
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "planner")
            screen = app.screen
            assert isinstance(screen, PlannerScreen)
            screen.plan_tree.select_ref(ProjectRef("A"))
            await pilot.pause()
            shown = screen.port_map.model
            assert shown is not None and shown.project == "A"

            c1 = ServiceRef("C", "T", "c1")
            assert screen.apply(MoveService(c1, 22002), None)
            await pilot.pause()
            assert screen.port_map.model is shown

            assert screen.apply(MoveService(c1, 20003), None)  # into A's range
            await pilot.pause()
            redrawn = screen.port_map.model
            assert redrawn is not shown and redrawn is not None
            assert redrawn.owners[20003] == (ServiceRef("C", "T", "c1"),)

            assert screen.apply(ReserveService("A", "T", Service(port=20004, name="a2")), None)
            await pilot.pause()
            assert screen.port_map.model is not redrawn
            assert screen.port_map.model.state(20004) == "used"  # type: ignore[union-attr]

            screen.action_undo()
            await pilot.pause()
            assert screen.port_map.model.state(20004) == "free"  # type: ignore[union-attr]

    run(body)


def test_a_map_without_the_port_owners_walks_every_project_to_the_same_cells(
    reference_plan_path: Path,
) -> None:
    from portplan.incremental import LiveFindings
    from portplan.store import load

    plan = load(reference_plan_path)
    live = LiveFindings(plan, DEFAULT_EPHEMERAL)
    index = FindingIndex(plan, live.findings)
    assert not live.owners_ready  # counted when first needed, not when the plan opens
    for project in plan.projects:
        walked = build_port_map(plan, project, None, index, DEFAULT_EPHEMERAL, None)
        narrowed = build_port_map(plan, project, None, index, DEFAULT_EPHEMERAL, live.projects_on)
        assert walked == narrowed
    assert live.owners_ready


def test_the_planner_counts_the_port_owners_while_the_user_is_quiet(
    reference_plan_path: Path,
) -> None:
    async def body() -> None:
        app = make_app(reference_plan_path)
        async with app.run_test(size=SIZE) as pilot:
            screen = await planner_shown(pilot)
            await wait_for(pilot, lambda: screen.session.live.owners_ready, "owners counted")

    run(body)
