"""The details pane: it redraws only when what it shows changed, and a port's details list
its facts as `portplan where` words them."""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult

from portplan.finding_index import FindingIndex
from portplan.model import Plan, PortRange, Project, ProjectRef, Service, ServiceRef, Tier
from portplan.session import Session
from portplan.store import loads
from portplan.tui.widgets.details import Details
from tests.edge_plan import EDGE_ENVIRONMENT, EDGE_PLAN
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


def test_a_port_with_several_facts_lists_each_as_where_words_it() -> None:
    plan = loads(EDGE_PLAN)
    session = Session(plan, Path("p.toml"), exists=False, ephemeral=EDGE_ENVIRONMENT)
    index = FindingIndex(plan, session.findings)
    dashboard = ServiceRef("Edge", "web", "dashboard")

    async def body() -> None:
        app = _Host()
        async with app.run_test(size=(200, 40)):
            details = app.query_one(Details)
            details.show_port(plan, 5000, (dashboard,), index, EDGE_ENVIRONMENT)
            shown = str(details.content).splitlines()
            service = "Service Edge/web/dashboard (tcp) — Flask app"
            assert shown[:3] == ["Port  5000", "State   taken", service]
            facts = shown[shown.index("Facts (2)") + 1 :]
            assert facts == [
                "⚠ ⌘ port 5000 is held by macOS's AirPlay Receiver (Control Center) unless it "
                "is turned off in System Settings → General → AirDrop & Handoff (tcp)",
                "ℹ ○ port 5000 is Flask's default: a local Flask will hold it (tcp)",
            ]
            assert "Findings (2)" in shown  # the service's findings: the same two facts

            # A free port of the pinned Linux ephemeral range that the kernel reserves.
            details.show_port(plan, 5085, (), index, EDGE_ENVIRONMENT)
            shown = str(details.content).splitlines()
            assert shown[:2] == ["Port  5085", "State   free"]
            assert "Tier    Edge/web (4990-5089)" in shown
            kinds = [line.split()[1] for line in shown[shown.index("Facts (1)") + 1 :]]
            assert kinds == ["≡"]  # reserved in the kernel: not ephemeral any more

            # The service's own details end with its port's facts.
            details.show(plan, dashboard, index, None, EDGE_ENVIRONMENT)
            shown = str(details.content).splitlines()
            assert shown[shown.index("Facts (2)") + 1].startswith("⚠ ⌘ port 5000 is held by")

            details.show_port(plan, 5030, (), index, EDGE_ENVIRONMENT)
            assert "✓ no hazards at this port" in str(details.content)

    run(body)


def test_details_keep_a_layout_only_while_their_height_holds() -> None:
    """A new text of as many unwrapped lines is only drawn again; any other is laid out:
    after each, the pane is what a forced layout and a drawing from scratch give."""
    plan = _plan()
    index = FindingIndex(plan, [])
    service = ServiceRef("P", "T", "a")
    record = plan.projects[0].tiers[0].services[0]

    async def body() -> None:
        app = _Host()
        async with app.run_test(size=(40, 24)) as pilot:
            details = app.query_one(Details)

            async def as_if_laid_out_afresh() -> None:
                await pilot.pause()
                height, shown = details.size.height, app.export_screenshot()
                details.refresh(layout=True)
                await pilot.pause()
                assert (details.size.height, app.export_screenshot()) == (height, shown)

            details.show(plan, service, index)
            await as_if_laid_out_afresh()
            record.port = 20002  # the same lines, one word changed
            details.show(plan, service, index)
            await as_if_laid_out_afresh()
            assert "20002/tcp" in app.export_screenshot()
            record.description = "a description far too long for forty columns, so it wraps"
            details.show(plan, service, index)
            await as_if_laid_out_afresh()
            record.description = "short again"
            details.show(plan, service, index)
            await as_if_laid_out_afresh()
            details.show(plan, ProjectRef("P"), index)
            await as_if_laid_out_afresh()

    run(body)
