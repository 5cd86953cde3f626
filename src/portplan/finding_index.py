"""Which findings lie under which project, tier and service — for showing, not deciding.

Subjects are paths like "AI/ML Services" that may contain "/", so they are matched against
the plan's own paths, never split.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from portplan.analysis import SEVERITIES, SEVERITY_RANK, Finding, Severity
from portplan.model import NodeRef, Plan, ProjectRef, ServiceRef, TierRef


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


def ancestors(ref: NodeRef) -> list[NodeRef]:
    """The node itself and every node above it."""
    if isinstance(ref, ServiceRef):
        return [ref, TierRef(ref.project, ref.tier), ProjectRef(ref.project)]
    if isinstance(ref, TierRef):
        return [ref, ProjectRef(ref.project)]
    return [ref]


class FindingIndex:
    def __init__(self, plan: Plan, findings: Sequence[Finding]) -> None:
        self.paths = node_paths(plan)
        self._under: dict[NodeRef, list[Finding]] = defaultdict(list)
        self._direct: dict[NodeRef, list[Finding]] = defaultdict(list)
        for finding in findings:
            seen: set[NodeRef] = set()
            for subject in finding.subjects:
                ref = self.paths.get(subject)
                if ref is None:
                    continue
                self._direct[ref].append(finding)
                for node in ancestors(ref):
                    if node not in seen:
                        seen.add(node)
                        self._under[node].append(finding)

    def under(self, ref: NodeRef) -> list[Finding]:
        """Findings about this node or anything inside it."""
        return self._under.get(ref, [])

    def direct(self, ref: NodeRef) -> list[Finding]:
        return self._direct.get(ref, [])

    def worst(self, ref: NodeRef, *, direct: bool = False) -> Severity | None:
        findings = self.direct(ref) if direct else self.under(ref)
        if not findings:
            return None
        return min((f.severity for f in findings), key=SEVERITY_RANK.__getitem__)

    def counts(self, ref: NodeRef) -> dict[Severity, int]:
        counts: dict[Severity, int] = dict.fromkeys(SEVERITIES, 0)
        for finding in self.under(ref):
            counts[finding.severity] += 1
        return counts

    def ref_of(self, finding: Finding) -> NodeRef | None:
        """The node a finding is best shown on: its first subject that is in the plan."""
        for subject in finding.subjects:
            if (ref := self.paths.get(subject)) is not None:
                return ref
        return None
