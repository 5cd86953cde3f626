"""Look-ups on the model: a project's tier, a tier's service, a reference's path."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from portplan.edits import (
    AddProject,
    AddTier,
    EditError,
    EditService,
    EditTier,
    ReserveService,
    find_service,
    find_tier,
)
from portplan.model import (
    Plan,
    PortRange,
    Project,
    ProjectRef,
    Service,
    ServiceRef,
    Tier,
    TierRef,
    nodes_at,
    shared_paths,
)
from portplan.store import load
from tests.conftest import REFERENCE_PLAN

PLAN = Plan.model_validate(
    {
        "projects": [
            {
                "name": "A/B",
                "ports": "1000-1999",
                "tiers": [
                    {
                        "name": "web",
                        "ports": "1000-1099",
                        "services": [{"port": 1000, "name": "x"}],
                    },
                    {"name": "data/x", "ports": "1100-1199"},
                ],
            },
            {"name": "A", "ports": "2000-2999"},
        ]
    }
)


def test_a_project_finds_its_tier_and_a_tier_its_service() -> None:
    project = PLAN.project("A/B")
    assert project.tier("web").name == "web"
    assert project.tier("web").service("x").port == 1000
    assert project.find_tier("nope") is None
    assert project.tier("data/x").find_service("x") is None
    with pytest.raises(KeyError):
        project.tier("nope")
    with pytest.raises(KeyError):
        project.tier("web").service("nope")
    assert PLAN.find_project("B") is None
    with pytest.raises(KeyError):
        PLAN.project("B")


def test_references_know_their_path_and_resolve_by_names() -> None:
    ref = ServiceRef("A/B", "web", "x")
    assert ref.path == str(ref) == "A/B/web/x"
    assert TierRef("A/B", "data/x").path == "A/B/data/x"
    assert ProjectRef("A").path == "A"
    project, tier, service = ref.resolve(PLAN)
    assert (project.name, tier.name, service.port) == ("A/B", "web", 1000)
    for missing in (ServiceRef("A", "web", "x"), ServiceRef("A/B", "api", "x")):
        with pytest.raises(KeyError):
            missing.resolve(PLAN)


def test_edits_say_which_name_is_missing() -> None:
    with pytest.raises(EditError, match="no tier named 'api'"):
        find_tier(PLAN, "A/B", "api")
    with pytest.raises(EditError, match="there is no service A/B/web/y"):
        find_service(PLAN, ServiceRef("A/B", "web", "y"))
    with pytest.raises(EditError, match="no project named 'C'"):
        find_tier(PLAN, "C", "web")


# --- one node per path ---------------------------------------------------------------------


def _sharing_plan() -> dict[str, object]:
    return {
        "projects": [
            {
                "name": "P",
                "ports": "1000-1999",
                "tiers": [
                    {"name": "b/A", "ports": "1000-1099"},
                    {"name": "b", "ports": "1100-1199", "services": [{"port": 1100, "name": "A"}]},
                ],
            }
        ]
    }


def test_a_plan_where_a_tier_and_a_service_share_a_path_is_refused() -> None:
    with pytest.raises(ValidationError, match="'P/b/A' names two parts of the plan"):
        Plan.model_validate(_sharing_plan())


def test_nodes_at_finds_every_reading_of_a_path() -> None:
    data = _sharing_plan()
    data["projects"][0]["tiers"][0]["name"] = "b/B"  # type: ignore[index]
    plan = Plan.model_validate(data)
    assert nodes_at(plan, "P/b/A") == [ServiceRef("P", "b", "A")]
    assert nodes_at(plan, "P/b/B") == [TierRef("P", "b/B")]
    assert nodes_at(plan, "P") == [ProjectRef("P")]
    assert nodes_at(plan, "P/c") == []


def test_names_with_slashes_that_do_not_collide_are_fine() -> None:
    plan = load(REFERENCE_PLAN)
    assert any("/" in tier.name for project in plan.projects for tier in project.tiers)
    assert shared_paths(plan) == []


@pytest.mark.parametrize(
    "edit",
    [
        lambda: AddTier("P", Tier(name="b/A", ports=PortRange(1000, 1099))),
        lambda: EditTier("P", "b/B", "b/A", "", PortRange(1000, 1099)),
        lambda: ReserveService("P", "b", Service(port=1101, name="B")),
        lambda: EditService(ServiceRef("P", "b", "A"), "B", ""),
        lambda: AddProject(Project(name="P/b", ports=PortRange(3000, 3999))),
    ],
)
def test_an_edit_that_would_make_two_nodes_share_a_path_is_refused(edit) -> None:  # type: ignore[no-untyped-def]
    data = _sharing_plan()
    data["projects"][0]["tiers"][0]["name"] = "b/B"  # type: ignore[index]
    plan = Plan.model_validate(data)
    before = plan.model_copy(deep=True)
    with pytest.raises(EditError, match="would name two parts of the plan"):
        edit().apply(plan)
    assert plan == before


def test_renaming_a_tier_over_its_own_service_path_is_allowed() -> None:
    data = _sharing_plan()
    data["projects"][0]["tiers"] = [data["projects"][0]["tiers"][1]]  # type: ignore[index]
    plan = Plan.model_validate(data)
    EditTier("P", "b", "b/A", "", PortRange(1100, 1199)).apply(plan)
    assert [t.name for t in plan.projects[0].tiers] == ["b/A"]
