"""Findings kept up to date after an edit by re-running the rules on the projects it touched.

A full `analyze` of 60,000 services takes hundreds of milliseconds; an edit to one service
should not. The rules table is reused unchanged, on a `PlanIndex` that holds the whole plan
(so rules about project and tier ranges see everything) but only the services of a *region*:
the touched projects plus every project linked to them by a shared port, before or after the
edit. Every rule that reads services groups them by port or by project, so a region closed
under shared ports gives exactly the findings the full analysis gives about it, and nothing
outside the region changes. The result equals `analyze(plan)`, order included; the property
tests compare the two after random edits.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Collection

from portplan.analysis import analyze
from portplan.edits import Edit, EditService, MoveService, ReleaseService, ReserveService
from portplan.environment import EnvironmentLike, as_environment
from portplan.findings import Finding
from portplan.model import Plan
from portplan.plan_index import PlanIndex
from portplan.rules import RULES

Flip = Callable[[], None]


def touched_projects(edit: Edit) -> frozenset[str] | None:
    """The projects whose services an edit changes, or None when it changes ranges or tiers."""
    if isinstance(edit, MoveService):
        return frozenset({edit.ref.project, edit.target.project})
    if isinstance(edit, ReserveService):
        return frozenset({edit.project})
    if isinstance(edit, (ReleaseService, EditService)):
        return frozenset({edit.ref.project})
    return None


class LiveFindings:
    """The plan's findings and a port → projects map, updated region by region."""

    def __init__(
        self, plan: Plan, ephemeral: EnvironmentLike, findings: list[Finding] | None = None
    ) -> None:
        self.plan = plan
        self.ephemeral = as_environment(ephemeral)
        self.findings = findings if findings is not None else analyze(plan, self.ephemeral)
        self._owners: dict[int, Counter[str]] = defaultdict(Counter)
        self._rebuild_owners()

    def _rebuild_owners(self) -> None:
        self._owners.clear()
        for project in self.plan.projects:
            name = project.name
            for tier in project.tiers:
                for service in tier.services:
                    self._owners[service.port][name] += 1

    def _ports_of(self, name: str) -> Counter[int]:
        project = self.plan.project(name)
        return Counter(service.port for tier in project.tiers for service in tier.services)

    def projects_on(self, port: int) -> frozenset[str]:
        """The names of the projects with a service on `port`."""
        return frozenset(self._owners.get(port, ()))

    def reanalyze(self) -> list[Finding]:
        self.findings = analyze(self.plan, self.ephemeral)
        self._rebuild_owners()
        return self.findings

    # --- regions ------------------------------------------------------------------------

    def _region(
        self,
        touched: frozenset[str],
        before: dict[str, Counter[int]],
        after: dict[str, Counter[int]],
    ) -> set[str]:
        """Touched projects and every project sharing a port with the region, in either state.

        `self._owners` is the old state; a port's new holders are touched projects (only they
        changed), which are in the region from the start."""
        region = set(touched)
        pending = list(touched)
        owners = self._owners
        while pending:
            name = pending.pop()
            ports: Collection[int]
            if name in touched:
                ports = before.get(name, {}).keys() | after.get(name, {}).keys()
            else:
                ports = self._ports_of(name).keys()
            for port in ports:
                holders = owners.get(port)
                if holders is None:
                    continue
                for other in holders:
                    if other not in region:
                        region.add(other)
                        pending.append(other)
        return region

    def _run(self, region: set[str]) -> list[Finding]:
        """Every rule over the whole plan's ranges and the region's services only."""
        projects = [project for project in self.plan.projects if project.name in region]
        entries = PlanIndex.build(Plan.model_construct(projects=projects), self.ephemeral).entries
        index = PlanIndex(self.plan, self.ephemeral, entries)
        found: list[Finding] = []
        for rule in RULES:
            found.extend(rule.check(index))
        return found

    def _compare(
        self, touched: frozenset[str], to_old: Flip, to_new: Flip
    ) -> tuple[list[Finding], list[Finding], dict[str, Counter[int]], dict[str, Counter[int]]]:
        """From the new state: the region's findings before and after; ends in the new state."""
        present = {name for name in touched if _has_project(self.plan, name)}
        after = {name: self._ports_of(name) for name in present}
        to_old()
        try:
            before = {
                name: self._ports_of(name) for name in touched if _has_project(self.plan, name)
            }
            region = self._region(touched, before, after)
            old = self._run(region)
        finally:
            to_new()
        return old, self._run(region), before, after

    def changed(self, touched: frozenset[str] | None, to_old: Flip, to_new: Flip) -> list[Finding]:
        """The plan has just changed (by `to_new`); bring the findings up to date."""
        if touched is None:
            return self.reanalyze()
        old, new, before, after = self._compare(touched, to_old, to_new)
        for name in before.keys() | after.keys():
            was, now = before.get(name, Counter()), after.get(name, Counter())
            # Only the ports whose count changed (one or two for a move, of a thousand).
            for port in {port for port, _ in was.items() ^ now.items()}:
                owners = self._owners[port]
                owners[name] += now[port] - was[port]
                if owners[name] <= 0:
                    del owners[name]
                if not owners:
                    del self._owners[port]
        self.findings = replace_findings(self.findings, old, new)
        return self.findings

    def difference(
        self, touched: frozenset[str], to_old: Flip, to_new: Flip
    ) -> tuple[list[Finding], list[Finding]]:
        """For a preview, from the previewed state: the region's findings now and as previewed."""
        old, new, _, _ = self._compare(touched, to_old, to_new)
        return old, new


def replace_findings(
    current: list[Finding], old: list[Finding], new: list[Finding]
) -> list[Finding]:
    """`current` without `old` (each once), with `new`, in `analyze`'s order."""
    dropping = Counter(old)
    kept: list[Finding] = []
    for finding in current:
        if dropping[finding] > 0:
            dropping[finding] -= 1
        else:
            kept.append(finding)
    kept.extend(new)
    kept.sort(key=Finding.sort_key)
    return kept


def _has_project(plan: Plan, name: str) -> bool:
    return plan.find_project(name) is not None
