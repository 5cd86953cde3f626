"""PROJECT[/TIER] as a user types it: real names (slashes included), any case, unique prefixes."""

from __future__ import annotations

from pathlib import Path

import pytest

from portplan.errors import UsageError
from portplan.model import Plan
from portplan.resolve import resolve_scope
from portplan.store import load

REFERENCE_PLAN = Path(__file__).resolve().parents[1] / "data" / "ports.toml"


@pytest.fixture(scope="module")
def reference() -> Plan:
    return load(REFERENCE_PLAN)


def plan_of(projects: dict[str, list[str]]) -> Plan:
    return Plan.model_validate(
        {
            "projects": [
                {
                    "name": name,
                    "ports": f"{10000 + 1000 * i}-{10999 + 1000 * i}",
                    "tiers": [
                        {"name": tier, "ports": f"{10000 + 1000 * i + 10 * j}"}
                        for j, tier in enumerate(tiers)
                    ],
                }
                for i, (name, tiers) in enumerate(projects.items())
            ]
        }
    )


@pytest.mark.parametrize(
    ("text", "path"),
    [
        ("NEURECTOMY", "NEURECTOMY"),
        ("neurectomy", "NEURECTOMY"),
        ("neur", "NEURECTOMY"),
        ("NEURECTOMY/", "NEURECTOMY"),
        ("  Ryot  ", "Ryot LLM"),
        ("NEURECTOMY/AI/ML Services", "NEURECTOMY/AI/ML Services"),
        ("neurectomy/ai/ml services", "NEURECTOMY/AI/ML Services"),
        ("neur/ai", "NEURECTOMY/AI/ML Services"),
        ("NEUR/AI/ML", "NEURECTOMY/AI/ML Services"),
        ("sigmal/infra", "SigmaLang (ΣLANG)/Infrastructure"),
        ("SigmaVault (σvault)/obs", "SigmaVault (ΣVAULT)/Observability"),
        ("dopp/api", "DOPPELGANGER-STUDIO/API Tier"),
        ("ryot/a", None),  # "Application Tier" and "API Tier": ambiguous
    ],
)
def test_reference_scopes(reference: Plan, text: str, path: str | None) -> None:
    if path is None:
        with pytest.raises(UsageError, match="ambiguous"):
            resolve_scope(reference, text)
        return
    scope = resolve_scope(reference, text)
    assert scope.path == path
    assert (scope.tier is None) == ("/" not in path)


def test_ambiguous_project_prefix_names_every_candidate(reference: Plan) -> None:
    with pytest.raises(UsageError) as raised:
        resolve_scope(reference, "sigma")
    message = str(raised.value)
    assert "ambiguous" in message
    assert "SigmaLang (ΣLANG)" in message and "SigmaVault (ΣVAULT)" in message


@pytest.mark.parametrize("text", ["nope", "NEURECTOMY/nope", "nope/AI"])
def test_no_match_is_a_usage_error_listing_projects(reference: Plan, text: str) -> None:
    with pytest.raises(UsageError, match="no project or tier matches") as raised:
        resolve_scope(reference, text)
    assert "NEURECTOMY" in str(raised.value)


@pytest.mark.parametrize("text", ["", "   ", "/"])
def test_nothing_typed_is_a_usage_error(reference: Plan, text: str) -> None:
    with pytest.raises(UsageError):
        resolve_scope(reference, text)


def test_an_exact_name_beats_a_longer_one_it_prefixes() -> None:
    plan = plan_of({"Sigma": ["Core"], "SigmaVault": ["Core"]})
    assert resolve_scope(plan, "sigma").path == "Sigma"
    assert resolve_scope(plan, "SIGMA/core").path == "Sigma/Core"
    assert resolve_scope(plan, "sigmav").path == "SigmaVault"


def test_a_project_name_with_a_slash() -> None:
    plan = plan_of({"web/api": ["v1", "v2"], "worker": ["queue"]})
    assert resolve_scope(plan, "web/api").path == "web/api"
    assert resolve_scope(plan, "WEB/API/v2").path == "web/api/v2"
    assert resolve_scope(plan, "web").path == "web/api"
    with pytest.raises(UsageError, match="ambiguous"):
        resolve_scope(plan, "web/api/v")


def test_the_more_exact_reading_of_a_slash_wins() -> None:
    # "web/api" is a prefix of project "web/api2" and exactly project "web" with tier "api":
    # the reading with more names matched exactly wins, so the tier does. (A project named
    # exactly "web/api" beside them is refused: two nodes would share the path.)
    plan = plan_of({"web/api2": ["v1"], "web": ["api", "admin"]})
    scope = resolve_scope(plan, "web/api")
    assert (scope.project.name, scope.tier and scope.tier.name) == ("web", "api")
    assert resolve_scope(plan, "web/api2/v1").path == "web/api2/v1"
    assert resolve_scope(plan, "web/adm").path == "web/admin"
