"""The details pane redraws only when what it shows changed."""

from __future__ import annotations

from textual.app import App, ComposeResult

from portplan.finding_index import FindingIndex
from portplan.model import Plan, PortRange, Project, ProjectRef, Service, ServiceRef, Tier
from portplan.tui.widgets.details import Details
from tests.tui_helpers import run


def _plan() -> Plan:
    tier = Tier(name="T", ports=PortRange(20000, 20099), services=[Service(port=20001, name="a")])
    return Plan(
        title="p", projects=[Project(name="P", ports=PortRange(20000, 20999), tiers=[tier])]
    )


class _Host(App[None]):
    def compose(self) -> ComposeResult:
        yield Details(id="details")


def test_the_same_details_are_not_drawn_again_and_new_ones_are() -> None:
    plan = _plan()
    index = FindingIndex(plan, [])
    service = ServiceRef("P", "T", "a")

    async def body() -> None:
        app = _Host()
        async with app.run_test():
            details = app.query_one(Details)
            details.show(plan, service, index)
            shown = details.content
            assert "20001/tcp" in str(shown)
            details.show(plan, service, index)
            assert details.content is shown  # equal text: no update, no new layout

            plan.projects[0].tiers[0].services[0].port = 20002
            details.show(plan, service, index)
            assert details.content is not shown and "20002/tcp" in str(details.content)

            details.show(plan, ProjectRef("P"), index)
            assert "Project" in str(details.content)
            details.show(plan, None, index)
            assert "Nothing highlighted" in str(details.content)

    run(body)
