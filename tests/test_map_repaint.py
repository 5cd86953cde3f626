"""The port map draws again only the rows an edit or a cursor step changed, and what it shows
is then exactly what drawing the whole map from scratch shows."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from portplan.edits import MoveService, ReleaseService, ReserveService
from portplan.model import PortRange, Service, ServiceRef
from portplan.portmap import CELL_STATES, PortMapModel
from portplan.store import dumps
from portplan.tui.screens.planner import PlannerScreen
from portplan.tui.widgets.map_repaint import changed_cells, rows_of
from tests.test_map_refresh import _plan
from tests.tui_helpers import SIZE, make_app, run, wait_for

PORTS = PortRange(30000, 30029)
KINDS = ("browser", "ephemeral")


@st.composite
def _models(draw: st.DrawFn) -> PortMapModel:
    states = draw(st.lists(st.sampled_from(CELL_STATES), min_size=30, max_size=30))
    ports = st.integers(PORTS.start, PORTS.end)
    return PortMapModel(
        project="P",
        ports=PORTS,
        home=PortRange(30000, 30009),
        home_name="T",
        states=states,
        hazard_kinds=draw(st.dictionaries(ports, st.sampled_from(KINDS), max_size=5)),
        listening=draw(st.dictionaries(ports, st.just("nginx"), max_size=3)),
    )


def _drawn(model: PortMapModel, cell: int) -> tuple[str, bool]:
    """What decides a cell's look (as PortMap._grid_line reads it), but the cursor's."""
    port = model.ports.start + cell
    state = model.states[cell]
    mark = model.hazard_kinds.get(port, state) if state == "hazard" else state
    return mark, port in model.listening


@given(_models(), _models())
def test_every_cell_outside_the_changed_ones_draws_alike(
    old: PortMapModel, new: PortMapModel
) -> None:
    cells = changed_cells(old, new)
    assert cells is not None
    for cell in range(len(PORTS)):
        if cell not in cells:
            assert _drawn(old, cell) == _drawn(new, cell)


@given(_models())
def test_another_range_or_tier_changes_every_cell(model: PortMapModel) -> None:
    other_home = replace(model, home=PortRange(30010, 30019))
    wider = replace(model, ports=PortRange(30000, 30030), states=[*model.states, "free"])
    assert changed_cells(model, other_home) is None
    assert changed_cells(model, wider) is None


def test_rows_hold_their_cells() -> None:
    assert rows_of({0, 9, 10, 25}, 10) == {0, 1, 2}


def test_the_map_after_edits_and_steps_is_the_map_drawn_from_scratch(tmp_path: Path) -> None:
    plan_path = tmp_path / "maps.toml"
    plan_path.write_text(dumps(_plan()))

    async def body() -> None:
        app = make_app(plan_path)
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "planner")
            screen = app.screen
            assert isinstance(screen, PlannerScreen)

            async def shows_what_a_fresh_drawing_shows() -> None:
                await pilot.pause()
                shown = app.export_screenshot()
                screen.port_map.refresh()  # drops every drawn line of the map
                await pilot.pause()
                assert app.export_screenshot() == shown

            a1 = ServiceRef("A", "T", "a1")
            screen.plan_tree.select_ref(a1)
            await shows_what_a_fresh_drawing_shows()
            assert screen.apply(MoveService(a1, 20075), a1)  # to another row
            await shows_what_a_fresh_drawing_shows()
            assert screen.apply(ReserveService("A", "T", Service(port=20004, name="a2")), None)
            await shows_what_a_fresh_drawing_shows()
            screen.port_map.focus()
            for key in ("right", "right", "down", "left", "pagedown", "home"):
                await pilot.press(key)
                await shows_what_a_fresh_drawing_shows()
            assert screen.apply(ReleaseService(ServiceRef("B", "T", "b-in-a")), None)
            await shows_what_a_fresh_drawing_shows()
            screen.action_undo()
            await shows_what_a_fresh_drawing_shows()
            screen.action_undo()
            await shows_what_a_fresh_drawing_shows()

    run(body)
