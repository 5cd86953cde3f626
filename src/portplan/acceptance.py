"""Findings the plan accepts on purpose: `accept = [{ rule = "…", reason = "…" }]`.

An acceptance is written on the plan, a project or a tier and covers the findings of its rule
whose every plan subject lies inside it, so that one project cannot accept another's problem.
Accepted findings are still reported, with their reason, but do not fail `check`. An
acceptance that matches nothing is itself a finding (`stale-acceptance`): the problem it was
written for is gone, and left in place it would silently accept the problem's return.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from portplan.catalog import lookup
from portplan.findings import Finding
from portplan.model import Acceptance, Plan, subject
from portplan.records import record

Loc = tuple[int | str, ...]


@record
class Written:
    """One `accept` entry and where it is written: the scope's path ("" for the plan)."""

    acceptance: Acceptance
    scope: str
    loc: Loc  # the entry's place in the file, for pointing at its line

    @property
    def kind(self) -> str:
        return lookup(self.acceptance.rule).name

    def where(self) -> str:
        return self.scope or "the plan"


@record
class Judged:
    """A finding with the acceptance that covers it (`accepted`), or, for a stale-acceptance
    finding, the entry it is about."""

    finding: Finding
    entry: Written | None = None
    accepted: bool = False

    @property
    def reason(self) -> str | None:
        return self.entry.acceptance.reason if self.accepted and self.entry else None


def written_acceptances(plan: Plan) -> list[Written]:
    """Every `accept` entry, the most specific first: tiers, then projects, then the plan."""
    tiers: list[Written] = []
    projects: list[Written] = []
    for p, project in enumerate(plan.projects):
        for t, tier in enumerate(project.tiers):
            path = subject(project.name, tier.name)
            loc: Loc = ("projects", p, "tiers", t, "accept")
            tiers += [Written(entry, path, (*loc, i)) for i, entry in enumerate(tier.accept)]
        loc = ("projects", p, "accept")
        projects += [
            Written(entry, subject(project.name), (*loc, i))
            for i, entry in enumerate(project.accept)
        ]
    whole = [Written(entry, "", ("accept", i)) for i, entry in enumerate(plan.accept)]
    return tiers + projects + whole


def _scopes(plan: Plan) -> dict[str, tuple[str, ...]]:
    """Every plan path → the scopes that hold it (its project, and its tier if any)."""
    scopes: dict[str, tuple[str, ...]] = {}
    for project in plan.projects:
        own = subject(project.name)
        scopes[own] = (own,)
        for tier in project.tiers:
            tier_path = subject(project.name, tier.name)
            scopes[tier_path] = (own, tier_path)
            for service in tier.services:
                scopes[subject(project.name, tier.name, service.name)] = (own, tier_path)
    return scopes


def judge(plan: Plan, findings: Iterable[Finding], *, strict: bool = False) -> list[Judged]:
    """Each finding with the acceptance covering it; stale acceptances appended as findings.

    `strict` ignores every acceptance (and so reports none as stale).
    """
    entries = [] if strict else written_acceptances(plan)
    if not entries:
        return [Judged(finding) for finding in findings]
    scopes = _scopes(plan)
    used: set[int] = set()
    judged: list[Judged] = []
    for finding in findings:
        number = _covering(entries, finding, scopes)
        if number is None:
            judged.append(Judged(finding))
        else:
            used.add(number)
            judged.append(Judged(finding, entries[number], accepted=True))
    judged += [
        Judged(_stale(entry), entry) for number, entry in enumerate(entries) if number not in used
    ]
    return judged


def _covering(
    entries: list[Written], finding: Finding, scopes: dict[str, tuple[str, ...]]
) -> int | None:
    # Subjects that are not plan elements (`reserved`) neither widen nor narrow a scope.
    held = [scopes[s] for s in finding.subjects if s in scopes]
    for number, entry in enumerate(entries):
        if entry.kind != finding.kind:
            continue
        if not entry.scope or (held and all(entry.scope in owners for owners in held)):
            return number
    return None


def _stale(entry: Written) -> Finding:
    rule = entry.acceptance.rule
    return Finding(
        "warning",
        "stale-acceptance",
        f"{entry.where()}: accept {rule!r} matches no finding; remove it "
        f"(its reason: {entry.acceptance.reason})",
        (),
        (entry.scope,) if entry.scope else (),
    )


def failing(judged: Iterable[Judged], fail_on: str) -> Iterator[Judged]:
    """The findings that fail a check at this threshold (`error`, or `warning` and worse)."""
    levels = ("error",) if fail_on == "error" else ("error", "warning")
    return (item for item in judged if not item.accepted and item.finding.severity in levels)
