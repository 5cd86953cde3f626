"""Which findings lie under which project, tier and service — for showing, not deciding.

Subjects are paths like "AI/ML Services" that may contain "/", so they are matched against
the plan's own paths, never split.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from collections.abc import Set as AbstractSet

from portplan.findings import SEVERITIES, SEVERITY_RANK, Finding, Severity
from portplan.model import NodeRef, Plan, Project, ProjectRef, ServiceRef, Tier, TierRef, path_cuts


def node_paths(plan: Plan) -> dict[str, NodeRef]:
    paths: dict[str, NodeRef] = {}
    for project in plan.projects:
        paths[project.name] = ProjectRef(project.name)
        for tier in project.tiers:
            paths[f"{project.name}/{tier.name}"] = TierRef(project.name, tier.name)
            for service in tier.services:
                ref = ServiceRef(project.name, tier.name, service.name)
                paths[str(ref)] = ref
    return paths


class _Resolver:
    """Paths to nodes by dictionary look-ups at each "/" (names may contain "/" themselves)."""

    def __init__(self, plan: Plan) -> None:
        self._projects = {project.name: project for project in plan.projects}
        # A project name with "/": a subject's first segment may not be its project.
        self.slashed = any("/" in name for name in self._projects)
        self._tiers: dict[str, dict[str, Tier]] = {}
        self._names: dict[tuple[str, str], AbstractSet[str]] = {}

    def resolve(self, subject: str) -> NodeRef | None:
        if subject in self._projects:
            return ProjectRef(subject)
        # Most subjects are services whose names hold no "/": three look-ups. A plan names
        # each node by one path only (Plan._one_node_per_path), so a service found this
        # way is the one every other cut would find.
        parts = subject.split("/")
        if len(parts) == 3 and (service := self._service(*parts)) is not None:
            return service
        for cut in path_cuts(subject):
            project = self._projects.get(subject[:cut])
            if project is not None and (ref := self._in(project, subject[cut + 1 :])):
                return ref
        return None

    def has_project(self, name: str) -> bool:
        return name in self._projects

    def project_of(self, subject: str) -> str | None:
        """The name of the project `subject` lies in (None: not a node of the plan), as
        `resolve` would find it, without building the node's reference."""
        if subject in self._projects:
            return subject
        parts = subject.split("/")
        if len(parts) == 3:
            names = self._names.get((parts[0], parts[1]))
            if names is None:
                names = self._names_at(parts[0], parts[1])
            if parts[2] in names:
                return parts[0]
        ref = self.resolve(subject)
        return None if ref is None else ref.project

    def _names_at(self, project_name: str, tier_name: str) -> AbstractSet[str]:
        project = self._projects.get(project_name)
        if project is None:
            return frozenset()
        tier = self._tiers_of(project).get(tier_name)
        return frozenset() if tier is None else self._names_in(project, tier)

    def _service(self, project_name: str, tier_name: str, name: str) -> ServiceRef | None:
        project = self._projects.get(project_name)
        if project is None:
            return None
        tier = self._tiers_of(project).get(tier_name)
        if tier is None or name not in self._names_in(project, tier):
            return None
        return ServiceRef(project_name, tier_name, name)

    def _tiers_of(self, project: Project) -> dict[str, Tier]:
        tiers = self._tiers.get(project.name)
        if tiers is None:
            tiers = self._tiers[project.name] = {tier.name: tier for tier in project.tiers}
        return tiers

    def _names_in(self, project: Project, tier: Tier) -> AbstractSet[str]:
        key = (project.name, tier.name)
        names = self._names.get(key)
        if names is None:
            names = self._names[key] = {service.name for service in tier.services}
        return names

    def _in(self, project: Project, rest: str) -> NodeRef | None:
        tiers = self._tiers_of(project)
        if rest in tiers:
            return TierRef(project.name, rest)
        for cut in path_cuts(rest):
            tier = tiers.get(rest[:cut])
            if tier is None:
                continue
            if (name := rest[cut + 1 :]) in self._names_in(project, tier):
                return ServiceRef(project.name, tier.name, name)
        return None


class FindingIndex:
    """Findings by node. `update` after an edit touches only the findings that changed, so
    an edit to a 60,000-service plan does not re-file the thousands of subjects of an
    ephemeral-range warning that stayed the same.

    Findings are filed by project at once, and under a project's tiers and services only
    when something inside that project is first asked about: the first screen of a
    61,440-service plan shows its 64 projects, and filing all 42,000 subjects of its
    findings under their services took longer than reading the plan's text."""

    def __init__(self, plan: Plan, findings: Sequence[Finding]) -> None:
        self._plan = plan
        # Subject paths keep their meaning across edits: a finding names nodes that exist.
        self._resolved: dict[str, NodeRef | None] = {}
        self._project_of: dict[str, str | None] = {}
        self._resolver = _Resolver(plan)
        # The projects whose findings the last `update` changed.
        self.changed_projects: set[str] = set()
        # Keyed by id: a finding leaves a node in O(1) when it is cleared, and a finding with
        # thousands of subjects is not hashed once per subject. A service has nothing inside
        # it: what is under it is what is about it, kept once (in `_direct`), not twice.
        self._under: dict[NodeRef, dict[int, Finding]] = defaultdict(dict)
        self._direct: dict[NodeRef, dict[int, Finding]] = defaultdict(dict)
        # The projects whose findings are filed under their tiers and services too.
        self._inside: set[str] = set()
        # Each distinct finding once, mapped to the object filed under the nodes.
        self._filed: dict[Finding, Finding] = {finding: finding for finding in findings}
        for finding in self._filed.values():
            self._file(finding)

    def update(self, plan: Plan, findings: Sequence[Finding]) -> FindingIndex:
        """Bring the index up to date with `findings` of the edited `plan`; returns itself."""
        self._plan = plan
        self._resolver = _Resolver(plan)
        self.changed_projects = set()
        # Most findings are the very objects filed last time (the session keeps those an
        # edit did not change), so they are matched by identity; only the rest are hashed,
        # and a finding's hash covers all its subjects (960 for an ephemeral-range warning).
        filed = {id(finding) for finding in self._filed.values()}
        unmatched = [finding for finding in findings if id(finding) not in filed]
        present = {id(finding) for finding in findings}
        # A filed finding absent by identity may still be present by value, but only among
        # the unmatched ones: no two filed findings are equal.
        wanted = set(unmatched)
        for finding in [f for f in self._filed.values() if id(f) not in present]:
            if finding not in wanted:
                self._unfile(self._filed.pop(finding))
        for finding in unmatched:
            if finding not in self._filed:
                self._filed[finding] = finding
                self._file(finding)
        return self

    def _project_of_subject(self, subject: str) -> str | None:
        known = self._project_of
        if subject in known:
            return known[subject]
        project = known[subject] = self._resolver.project_of(subject)
        return project

    def _projects(self, finding: Finding) -> set[str]:
        """The projects `finding` names something in."""
        if self._resolver.slashed:
            subjects = finding.subjects
            return {p for s in subjects if (p := self._project_of_subject(s)) is not None}
        # Without a "/" in a project's name, a subject lies in the project its first segment
        # names, or in none: one subject found in the plan settles its project, and the rest
        # there (960 for an ephemeral-range warning) are not looked up.
        found: set[str] = set()
        for subject in finding.subjects:
            candidate = subject.partition("/")[0]
            if candidate in found or not self._resolver.has_project(candidate):
                continue
            if self._project_of_subject(subject) == candidate:
                found.add(candidate)
        return found

    def _refs(self, finding: Finding, project: str) -> list[NodeRef]:
        """The nodes in `project` that `finding` names."""
        slashed = self._resolver.slashed
        refs: list[NodeRef] = []
        for subject in finding.subjects:
            if slashed:
                if self._project_of_subject(subject) != project:
                    continue
            elif subject.partition("/")[0] != project:
                continue
            if subject not in self._resolved:
                self._resolved[subject] = self._resolver.resolve(subject)
            if (ref := self._resolved[subject]) is not None:
                refs.append(ref)
        return refs

    def _file(self, finding: Finding) -> None:
        key = id(finding)
        projects = self._projects(finding)
        self.changed_projects |= projects
        for project in projects:
            self._under[ProjectRef(project)][key] = finding
            if project in self._inside:
                self._file_inside(finding, project)

    def _file_inside(self, finding: Finding, project: str) -> None:
        key = id(finding)
        refs = self._refs(finding, project)
        for ref in refs:
            self._direct[ref][key] = finding
            if isinstance(ref, TierRef):
                self._under[ref][key] = finding
        for tier in {ref.tier for ref in refs if isinstance(ref, ServiceRef)}:
            self._under[TierRef(project, tier)][key] = finding

    def _unfile(self, finding: Finding) -> None:
        key = id(finding)
        projects = self._projects(finding)
        self.changed_projects |= projects
        for project in projects:
            self._under[ProjectRef(project)].pop(key, None)
            if project not in self._inside:
                continue
            refs = self._refs(finding, project)
            for ref in refs:
                self._direct[ref].pop(key, None)
                if isinstance(ref, TierRef):
                    self._under[ref].pop(key, None)
            for tier in {ref.tier for ref in refs if isinstance(ref, ServiceRef)}:
                self._under[TierRef(project, tier)].pop(key, None)

    def _look_inside(self, project: str) -> None:
        """File the findings of `project` under its tiers and services, if not done yet."""
        if project in self._inside:
            return
        self._inside.add(project)
        for finding in list(self._under.get(ProjectRef(project), {}).values()):
            self._file_inside(finding, project)

    @property
    def paths(self) -> dict[str, NodeRef]:
        """Every node by its path (walks the whole plan: prefer `resolve` and `contains`)."""
        return node_paths(self._plan)

    def resolve(self, subject: str) -> NodeRef | None:
        if subject not in self._resolved:
            self._resolved[subject] = self._resolver.resolve(subject)
        return self._resolved[subject]

    def contains(self, ref: NodeRef) -> bool:
        """True when `ref` names a node of the plan."""
        project = self._plan.find_project(ref.project)
        if project is None or isinstance(ref, ProjectRef):
            return project is not None
        tier = project.find_tier(ref.tier)
        if tier is None or isinstance(ref, TierRef):
            return tier is not None
        return tier.find_service(ref.name) is not None

    def under(self, ref: NodeRef) -> list[Finding]:
        """Findings about this node or anything inside it, most severe first."""
        if not isinstance(ref, ProjectRef):
            self._look_inside(ref.project)
        return sorted(self._under_of(ref).get(ref, {}).values(), key=Finding.sort_key)

    def direct(self, ref: NodeRef) -> list[Finding]:
        self._look_inside(ref.project)
        return sorted(self._direct.get(ref, {}).values(), key=Finding.sort_key)

    def worst(self, ref: NodeRef, *, direct: bool = False) -> Severity | None:
        # Unsorted: the tree and the port map ask this of every service they draw, and
        # sorting calls a finding's sort key (a min over all its ports) each time.
        if direct or not isinstance(ref, ProjectRef):
            self._look_inside(ref.project)
        filed = (self._direct if direct else self._under_of(ref)).get(ref)
        if not filed:
            return None
        return min((f.severity for f in filed.values()), key=SEVERITY_RANK.__getitem__)

    def counts(self, ref: NodeRef) -> dict[Severity, int]:
        counts: dict[Severity, int] = dict.fromkeys(SEVERITIES, 0)
        if not isinstance(ref, ProjectRef):
            self._look_inside(ref.project)
        for finding in self._under_of(ref).get(ref, {}).values():
            counts[finding.severity] += 1
        return counts

    def _under_of(self, ref: NodeRef) -> dict[NodeRef, dict[int, Finding]]:
        return self._direct if isinstance(ref, ServiceRef) else self._under

    def ref_of(self, finding: Finding) -> NodeRef | None:
        """The node a finding is best shown on: its first subject that is in the plan."""
        for subject in finding.subjects:
            if (ref := self.resolve(subject)) is not None:
                return ref
        return None
