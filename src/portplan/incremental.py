"""Findings kept up to date after an edit by re-running the rules on the projects it touched.

A full `analyze` of 60,000 services takes hundreds of milliseconds; an edit to one service
should not. The rules table is reused unchanged, on a `PlanIndex` that holds the whole plan
(so rules about project and tier ranges see everything) but only the services of a *region*:
the touched projects plus every project linked to them by a shared port, before or after the
edit. Every rule that reads services groups them by port or by project, so a region closed
under shared ports gives exactly the findings the full analysis gives about it, and nothing
outside the region changes. The result equals `analyze(plan)`, order included; the property
tests compare the two after random edits.

The region's findings before the edit are not worked out again: they are kept, split by what
a run over a region gives again (`Split`). A rule either reads only the plan's ranges and
tiers, and then every run gives all its findings (they are the findings of the rules over no
services at all), or it reads the index's services, and then each finding names one of them
first and is about services linked by a shared port, so a closed region gives it exactly when
it holds that service's project. So the findings before are the plan-wide ones and those filed
under the region's projects, and an edit runs the rules once over its region, in the new state
(a rule that does not ask for the services, `Unserviced`, over none: the findings it gives are
the plan-wide ones). When project names make a path's project ambiguous (`a` and `a/b`), both
runs are made.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Collection
from operator import attrgetter
from typing import NamedTuple

from portplan.analysis import analyze
from portplan.edits import Edit, EditService, MoveService, ReleaseService, ReserveService
from portplan.environment import EnvironmentLike, as_environment
from portplan.findings import Finding
from portplan.model import Plan, path_cuts
from portplan.plan_index import Entry, PlanIndex
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
        # Port → project name → how many of its services hold the port. Plain dicts: one
        # Counter per port cost 0.1 s to build for 61,440 services. Made when first needed
        # (an edit, a dialog's preview) or ahead, while the user is quiet (prepare_owners):
        # the first screen's map walks the plan instead.
        self._owners: dict[int, dict[str, int]] | None = None
        # `findings` split as a region run gives them, made by the first edit that needs it.
        self._split: Split | None = None

    @property
    def owners_ready(self) -> bool:
        return self._owners is not None

    def prepare_owners(self) -> bool:
        """Make the port owners now if they are not made yet; True if it did."""
        if self._owners is not None:
            return False
        self._owners_made()
        return True

    def _owners_made(self) -> dict[int, dict[str, int]]:
        if self._owners is None:
            self._owners = self._count_owners()
        return self._owners

    def _count_owners(self) -> dict[int, dict[str, int]]:
        owners: dict[int, dict[str, int]] = {}
        port_of = attrgetter("port")
        for project in self.plan.projects:
            name = project.name
            # Counted in C (attrgetter through map): a generator of (port, project) pairs
            # cost twice as much on 61,440 services, on every first screen.
            counted: Counter[int] = Counter()
            for tier in project.tiers:
                counted.update(map(port_of, tier.services))
            for port, count in counted.items():
                holders = owners.get(port)
                if holders is None:
                    owners[port] = {name: count}
                else:
                    holders[name] = count
        return owners

    def _ports_of(self, name: str) -> Counter[int]:
        project = self.plan.project(name)
        return Counter(service.port for tier in project.tiers for service in tier.services)

    def projects_on(self, port: int) -> frozenset[str]:
        """The names of the projects with a service on `port`."""
        return frozenset(self._owners_made().get(port, ()))

    def reanalyze(self) -> list[Finding]:
        self.findings = analyze(self.plan, self.ephemeral)
        self._owners = None
        self._split = None
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
        owners = self._owners_made()
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

    def _index(self, region: set[str]) -> PlanIndex:
        """The whole plan's ranges and the region's services only."""
        projects = [project for project in self.plan.projects if project.name in region]
        entries = PlanIndex.build(Plan.model_construct(projects=projects), self.ephemeral).entries
        return PlanIndex(self.plan, self.ephemeral, entries)

    def _run(self, region: set[str]) -> list[Finding]:
        """Every rule over the whole plan's ranges and the region's services only."""
        index = self._index(region)
        found: list[Finding] = []
        for rule in RULES:
            found.extend(rule.check(index))
        return found

    def _run_split(
        self, region: set[str], names: frozenset[str]
    ) -> tuple[list[Finding], Split | None]:
        """`_run`, and its findings split. Each rule runs over no services first: one that
        did not ask for them gives the same findings over any, and is not run again."""
        index = self._index(region)
        found: list[Finding] = []
        wide: list[Finding] = []
        for rule in RULES:
            alone = Unserviced(self.plan, self.ephemeral)
            given = list(rule.check(alone))
            wide.extend(given)
            found.extend(rule.check(index) if alone.asked else given)
        return found, Split.of(found, wide, names)

    def _split_of(self, found: list[Finding], names: frozenset[str]) -> Split | None:
        """`found`, all the findings of the plan as it is now, split (see `Split`)."""
        index = PlanIndex(self.plan, self.ephemeral)
        wide = [finding for rule in RULES for finding in rule.check(index)]
        return Split.of(found, wide, names)

    def _kept(self) -> tuple[Split | None, frozenset[str]]:
        """The split of the current findings, made when first needed (in the state they are
        of), and the project names; no split when names are ambiguous."""
        names = project_names(self.plan)
        if not names:
            self._split = None
        elif self._split is None:
            self._split = self._split_of(self.findings, names)
        return self._split, names

    def _compare(
        self, touched: frozenset[str], to_old: Flip, to_new: Flip, *, split: bool = False
    ) -> Comparison:
        """From the new state: the region, its findings before and after (split too, if asked
        and there is a kept split); ends in the new state. The findings before come from the
        kept split when there is one."""
        present = {name for name in touched if _has_project(self.plan, name)}
        after = {name: self._ports_of(name) for name in present}
        to_old()
        try:
            before = {
                name: self._ports_of(name) for name in touched if _has_project(self.plan, name)
            }
            region = self._region(touched, before, after)
            kept, names = self._kept()
            old = kept.within(region) if kept is not None else self._run(region)
        finally:
            to_new()
        new, new_split = (
            self._run_split(region, names)
            if split and kept is not None
            else (self._run(region), None)
        )
        return Comparison(region, old, new, (before, after), kept, new_split)

    def changed(self, touched: frozenset[str] | None, to_old: Flip, to_new: Flip) -> list[Finding]:
        """The plan has just changed (by `to_new`); bring the findings up to date."""
        if touched is None:
            return self.reanalyze()
        found = self._compare(touched, to_old, to_new, split=True)
        region, old, new, before, after = found.region, found.old, found.new, *found.ports
        if found.kept is not None:
            split = found.split
            if split is not None and split.local.keys() <= region:
                found.kept.replace(region, split)
            else:  # a rule this module does not foresee: find the region's findings again
                self._split = None
                to_old()
                try:
                    old = self._run(region)
                finally:
                    to_new()
        # Made by _region in the old state, if not before: the counts change by the edit.
        all_owners = self._owners_made()
        for name in before.keys() | after.keys():
            was, now = before.get(name, Counter()), after.get(name, Counter())
            # Only the ports whose count changed (one or two for a move, of a thousand).
            for port in {port for port, _ in was.items() ^ now.items()}:
                owners = all_owners.setdefault(port, {})
                owners[name] = owners.get(name, 0) + now[port] - was[port]
                if owners[name] <= 0:
                    del owners[name]
                if not owners:
                    del all_owners[port]
        self.findings = replace_findings(self.findings, old, new)
        return self.findings

    def difference(
        self, touched: frozenset[str], to_old: Flip, to_new: Flip
    ) -> tuple[list[Finding], list[Finding]]:
        """For a preview, from the previewed state: the region's findings now and as previewed."""
        found = self._compare(touched, to_old, to_new)
        return found.old, found.new


class Comparison(NamedTuple):
    region: set[str]
    old: list[Finding]  # the region's findings before the edit
    new: list[Finding]  # and after
    # The touched projects' ports before the edit and after.
    ports: tuple[dict[str, Counter[int]], dict[str, Counter[int]]]
    kept: Split | None  # the split the findings before came from, if they did
    split: Split | None  # the findings after, split, if asked for and there is a kept split


class Split:
    """Findings as a region run would give them again: the plan-wide ones, which every run
    gives, and each other one under the project of the first service it names."""

    __slots__ = ("local", "wide")

    def __init__(self, wide: list[Finding], local: dict[str, list[Finding]]) -> None:
        self.wide = wide
        self.local = local

    @classmethod
    def of(cls, found: list[Finding], wide: list[Finding], names: frozenset[str]) -> Split | None:
        """Split `found`, given `wide`, the rules' findings over no services in the same plan;
        None when a finding is neither plan-wide nor names a project's service."""
        kinds = {finding.kind for finding in wide}
        unmatched = Counter(wide)
        split = cls([], defaultdict(list))
        for finding in found:
            if finding.kind in kinds and unmatched[finding] > 0:
                unmatched[finding] -= 1
                split.wide.append(finding)
                continue
            project = next(
                (name for s in finding.subjects if (name := project_of(s, names)) is not None),
                None,
            )
            if project is None:
                return None
            split.local[project].append(finding)
        return split if unmatched.total() == 0 else None

    def within(self, region: set[str]) -> list[Finding]:
        """The findings a run over `region` gives (the very objects, not copies)."""
        found = list(self.wide)
        for name in region:
            found.extend(self.local.get(name, ()))
        return found

    def replace(self, region: set[str], split: Split) -> None:
        """Take `split`, a run over `region`, in place of what the region's run gave before."""
        self.wide = split.wide
        for name in region:
            self.local.pop(name, None)
        self.local.update(split.local)


class Unserviced(PlanIndex):
    """An index of the plan without its services, which notes whether a rule asked for them."""

    __slots__ = ("asked",)

    def __init__(self, plan: Plan, ephemeral: EnvironmentLike) -> None:
        self.asked = False
        super().__init__(plan, ephemeral)

    @property
    def entries(self) -> list[Entry]:
        self.asked = True
        return []

    @entries.setter
    def entries(self, value: list[Entry]) -> None:
        pass  # never any


def project_names(plan: Plan) -> frozenset[str]:
    """The plan's project names, or none when a path could belong to two projects: `a/b/c`
    to project `a` (tier `b`) and to project `a/b`."""
    names = frozenset(project.name for project in plan.projects)
    if any(name[:cut] in names for name in names for cut in path_cuts(name)):
        return frozenset()
    return names


def project_of(path: str, names: frozenset[str]) -> str | None:
    """The project whose element `path` names: its one cut at a "/" that is a project name
    (one at most, `project_names` sees to that); None for `reserved` or a project itself."""
    return next((path[:cut] for cut in path_cuts(path) if path[:cut] in names), None)


def replace_findings(
    current: list[Finding], old: list[Finding], new: list[Finding]
) -> list[Finding]:
    """`current` without `old` (each once), with `new`, in `analyze`'s order."""
    # `old` is mostly the very objects of `current` (from the kept split): dropping them by
    # identity spares hashing every finding (a grouped hazard names 960 services).
    others = {id(finding) for finding in old}
    kept = [finding for finding in current if id(finding) not in others]
    dropped = {id(finding) for finding in current if id(finding) in others}
    if not (len(dropped) == len(others) == len(old) == len(current) - len(kept)):
        # Not each one found once by identity: drop them as values.
        dropping = Counter(old)
        kept = []
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
