"""Look-ups on the model: a project's tier, a tier's service, a reference's path."""

from __future__ import annotations

import pytest

from portplan.edits import EditError, find_service, find_tier
from portplan.model import Plan, ProjectRef, ServiceRef, TierRef

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
