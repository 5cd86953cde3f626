"""From a plan to findings: a pure function over the rules table in `rules`.

Every rule sees one `PlanIndex`, built once per analysis, so that no rule walks the plan
tree on its own and no rule compares all pairs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal, NamedTuple

from portplan.gcpause import collector_paused
from portplan.hazards import DEFAULT_EPHEMERAL, EphemeralRange
from portplan.model import Plan, PortRange, Project, Service, Tier, subject

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")
SEVERITY_RANK = {severity: rank for rank, severity in enumerate(SEVERITIES)}
SYMBOLS: dict[Severity, str] = {"error": "✗", "warning": "⚠", "info": "ℹ"}


@dataclass(frozen=True, slots=True)
class Finding:
    severity: Severity
    kind: str
    message: str
    ports: tuple[int, ...]
    subjects: tuple[str, ...]

    def sort_key(self) -> tuple[int, int, str, tuple[str, ...]]:
        return (SEVERITY_RANK[self.severity], min(self.ports, default=-1), self.kind, self.subjects)

    def touches(self, path: str) -> bool:
        """True when the finding is about `path` or something inside it."""
        return any(s == path or s.startswith(path + "/") for s in self.subjects)

    def as_dict(self) -> dict[str, object]:
        return {
            "severity": self.severity,
            "kind": self.kind,
            "message": self.message,
            "ports": list(self.ports),
            "subjects": list(self.subjects),
        }


class Entry(NamedTuple):
    """One service with its place, flattened for sweeping (a tuple: cheap at 60,000)."""

    port: int
    protocol: str
    project: Project
    tier: Tier
    service: Service
    path: str


@dataclass(slots=True)
class PlanIndex:
    plan: Plan
    ephemeral: Sequence[EphemeralRange]
    entries: list[Entry] = field(default_factory=list)

    @classmethod
    def build(cls, plan: Plan, ephemeral: Sequence[EphemeralRange]) -> PlanIndex:
        index = cls(plan, ephemeral)
        append = index.entries.append
        # tuple.__new__ skips the NamedTuple's Python-level __new__: a third of the build
        # time at 60,000 services, for the same Entry.
        new = tuple.__new__
        for project in plan.projects:
            for tier in project.tiers:
                prefix = f"{project.name}/{tier.name}/"
                for service in tier.services:
                    append(
                        new(
                            Entry,
                            (
                                service.port,
                                service.protocol,
                                project,
                                tier,
                                service,
                                prefix + service.name,
                            ),
                        )
                    )
        return index


def project_path(project: Project) -> str:
    return subject(project.name)


def tier_path(project: Project, tier: Tier) -> str:
    return subject(project.name, tier.name)


def overlap(a: PortRange, b: PortRange) -> PortRange:
    return PortRange(max(a.start, b.start), min(a.end, b.end))


def range_ports(ports: PortRange) -> tuple[int, ...]:
    return (ports.start,) if ports.start == ports.end else (ports.start, ports.end)


def analyze(plan: Plan, ephemeral: Sequence[EphemeralRange] = DEFAULT_EPHEMERAL) -> list[Finding]:
    """Every finding of every rule, most severe first, then by port."""
    from portplan.rules import RULES

    findings: list[Finding] = []
    # The index holds a tuple per service and creates no cycles: see gcpause for why.
    with collector_paused():
        index = PlanIndex.build(plan, ephemeral)
        for rule in RULES:
            findings.extend(rule.check(index))
    findings.sort(key=Finding.sort_key)
    return findings


def summarize(findings: Iterable[Finding]) -> dict[str, int]:
    counts: dict[str, int] = dict.fromkeys(SEVERITIES, 0)
    for finding in findings:
        counts[finding.severity] += 1
    return counts
