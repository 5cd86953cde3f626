"""Accepted findings: `accept = [{ rule, reason }]` on the plan, a project or a tier."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from jsonschema import Draft4Validator

from portplan.acceptance import judge
from portplan.analysis import analyze
from portplan.hazards import DEFAULT_EPHEMERAL
from portplan.model import Acceptance
from portplan.store import dumps, loads
from tests.test_report_formats import SARIF_SCHEMA

RunCli = Callable[..., tuple[int, str, str]]
SYSCTL = "reserved via sysctl on every host"


@pytest.fixture(autouse=True)
def _pinned(pinned_ephemeral: None) -> None:
    """Findings must not depend on this machine's ephemeral port range."""


def accept_after(text: str, line: str, *entries: tuple[str, str]) -> str:
    """`text` with an `accept` array written right after `line` (a table's `name = …`)."""
    assert text.count(line + "\n") == 1, line
    inline = ", ".join(f'{{ rule = "{rule}", reason = "{reason}" }}' for rule, reason in entries)
    return text.replace(line + "\n", f"{line}\naccept = [{inline}]\n")


def reference_with_ephemeral_accepted(path: Path) -> Path:
    text = path.read_text(encoding="utf-8")
    text = accept_after(text, 'name = "SigmaVault (ΣVAULT)"', ("ephemeral-port", SYSCTL))
    text = accept_after(text, 'name = "Ryot LLM"', ("PP110", SYSCTL))  # by id works too
    path.write_text(text, encoding="utf-8")
    return path


def test_ephemeral_findings_accepted_are_listed_but_do_not_count(
    reference_plan_path: Path, run_cli: RunCli
) -> None:
    plan = reference_with_ephemeral_accepted(reference_plan_path)
    code, out, _ = run_cli("check", str(plan), "--format", "json")
    document = json.loads(out)
    accepted = [f for f in document["findings"] if f["accepted"]]
    assert [f["kind"] for f in accepted] == ["ephemeral-port", "ephemeral-port"]
    assert {f["accepted"]["reason"] for f in accepted} == {SYSCTL}
    assert document["summary"] == {"error": 9, "warning": 6, "info": 0, "accepted": 2}
    assert code == 1  # the 9 service-outside-tier errors still fail
    code, out, _ = run_cli("check", str(plan))
    assert "✓ 2 accepted" in out and f"accepted: {SYSCTL}" in out
    assert "9 errors, 6 warnings, 0 info, 2 accepted" in out


def test_the_reference_plan_with_every_finding_accepted_passes(
    reference_plan_path: Path, run_cli: RunCli
) -> None:
    plan = reference_with_ephemeral_accepted(reference_plan_path)
    text = plan.read_text(encoding="utf-8")
    # Plan-wide: the API tier overlap is the same decision in all five projects.
    text = accept_after(text, 'title = "Master port assignments"', ("tier-overlap", "by design"))
    loaded = loads(text)
    for project in loaded.projects:
        for tier in project.tiers:
            if tier.name == "Infrastructure":
                tier.accept.append(Acceptance(rule="service-outside-tier", reason="cache block"))
            if tier.name == "API Tier" and project.name == "DOPPELGANGER-STUDIO":
                tier.accept.append(Acceptance(rule="browser-blocked-port", reason="no browser"))
    plan.write_text(dumps(loaded), encoding="utf-8")
    code, out, err = run_cli("check", str(plan), "--fail-on", "warning")
    assert (code, err) == (0, ""), out
    assert "0 errors, 0 warnings, 0 info, 17 accepted" in out
    code, out, _ = run_cli("check", str(plan), "--strict")
    assert code == 1 and "accepted" not in out and "9 errors, 8 warnings" in out


def test_a_stale_acceptance_is_a_warning_at_its_own_line(
    reference_plan_path: Path, run_cli: RunCli
) -> None:
    text = accept_after(
        reference_plan_path.read_text(encoding="utf-8"),
        'name = "NEURECTOMY"',
        ("duplicate-port", "the old gateway"),
    )
    reference_plan_path.write_text(text, encoding="utf-8")
    code, out, _ = run_cli("check", str(reference_plan_path), "--format", "github")
    [stale] = [line for line in out.splitlines() if "stale-acceptance" in line]
    lines = text.splitlines()
    number = int(stale.split("line=")[1].split(",")[0])
    assert lines[number - 1].startswith('accept = [{ rule = "duplicate-port"')
    assert stale.startswith("::warning ") and "matches no finding" in stale
    assert "PP113" in stale
    # A warning: it fails only when warnings do; --strict ignores acceptances altogether.
    clean = accept_after(
        'title = "Clean"\n[[projects]]\nname = "Alpha"\nports = "20000-20999"\n',
        'name = "Alpha"',
        ("duplicate-port", "old"),
    )
    path = reference_plan_path.with_name("other.toml")
    path.write_text(clean, encoding="utf-8")
    assert run_cli("check", str(path))[0] == 0
    assert run_cli("check", str(path), "--fail-on", "warning")[0] == 1
    code, out, _ = run_cli("check", str(path), "--fail-on", "warning", "--strict")
    assert code == 0 and "stale-acceptance" not in out


TWO_PROJECTS = """\
title = "Two"

[[projects]]
name = "A"
ports = "20000-20099"

[[projects.tiers]]
name = "Web"
ports = "20000-20099"
services = [{ port = 20000, name = "shared" }]

[[projects]]
name = "B"
ports = "20100-20199"

[[projects.tiers]]
name = "Web"
ports = "20100-20199"
services = [{ port = 20000, name = "shared" }]
"""


def kinds(text: str) -> list[tuple[str, bool]]:
    plan = loads(text)
    judged = judge(plan, analyze(plan, DEFAULT_EPHEMERAL))
    return sorted((item.finding.kind, item.accepted) for item in judged)


def test_one_project_cannot_accept_a_problem_it_shares_with_another() -> None:
    only_a = accept_after(TWO_PROJECTS, 'name = "A"', ("duplicate-port", "ours"))
    assert ("duplicate-port", False) in kinds(only_a)
    assert ("stale-acceptance", False) in kinds(only_a)
    whole = accept_after(TWO_PROJECTS, 'title = "Two"', ("duplicate-port", "both teams agree"))
    assert ("duplicate-port", True) in kinds(whole)
    assert "stale-acceptance" not in {kind for kind, _ in kinds(whole)}


TIERED = """\
title = "Tiered"

[[projects]]
name = "A"
ports = "20000-20099"

[[projects.tiers]]
name = "Moving"
ports = "20000-20049"
accept = [{ rule = "service-outside-project", reason = "moves next sprint" }]
services = [{ port = 20500, name = "old" }]

[[projects.tiers]]
name = "Staying"
ports = "20050-20099"
services = [{ port = 20600, name = "stray" }]
"""


def test_a_tier_acceptance_covers_its_own_services_only() -> None:
    plan = loads(TIERED)
    judged = judge(plan, analyze(plan, DEFAULT_EPHEMERAL))
    outside = {
        item.finding.subjects[0]: item.accepted
        for item in judged
        if item.finding.kind == "service-outside-project"
    }
    assert outside == {"A/Moving/old": True, "A/Staying/stray": False}


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ('{ rule = "ephemral-port", reason = "x" }',
         "unknown rule 'ephemral-port' (did you mean 'ephemeral-port'?)"),
        ('{ rule = "ephemeral-port", reason = " " }', "an acceptance needs a reason"),
        ('{ rule = "ephemeral-port" }', "missing required key 'reason'"),
        ('{ rule = "ephemeral-port", reason = "x", until = 2026-01-01 }', "unknown key 'until'"),
    ],
)  # fmt: skip
def test_a_bad_acceptance_is_one_clear_line(
    tmp_path: Path, run_cli: RunCli, entry: str, message: str
) -> None:
    path = tmp_path / "plan.toml"
    path.write_text(TWO_PROJECTS.replace('name = "B"\n', f'name = "B"\naccept = [{entry}]\n'))
    code, out, err = run_cli("check", str(path))
    assert (code, out) == (2, "")
    assert err.startswith(f"{path}:14: projects[1].accept[0].") and message in err, err


def test_acceptances_are_written_back_in_a_fixed_place() -> None:
    text = accept_after(TWO_PROJECTS, 'name = "B"', ("duplicate-port", "agreed"))
    text = accept_after(text, 'title = "Two"', ("PP112", "later"))
    plan = loads(text)
    written = dumps(plan)
    assert loads(written) == plan
    assert dumps(loads(written)) == written
    assert 'accept = [\n    { rule = "PP112", reason = "later" },\n]' in written
    assert written.index("accept") < written.index("[[projects]]")


def test_sarif_marks_accepted_results_as_suppressed(
    reference_plan_path: Path, run_cli: RunCli
) -> None:
    plan = reference_with_ephemeral_accepted(reference_plan_path)
    _, out, _ = run_cli("check", str(plan), "--format", "sarif")
    log = json.loads(out)
    Draft4Validator(SARIF_SCHEMA).validate(log)
    suppressed = [r for r in log["runs"][0]["results"] if "suppressions" in r]
    assert [r["ruleId"] for r in suppressed] == ["PP110", "PP110"]
    assert suppressed[0]["suppressions"] == [{"kind": "inSource", "justification": SYSCTL}]
