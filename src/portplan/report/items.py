"""The one shape every command's findings take before they are rendered for a machine."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from portplan.catalog import RuleInfo, rule_for
from portplan.findings import SEVERITIES, Severity


@dataclass(frozen=True, slots=True)
class Location:
    """A file as the user named it and a 1-based line and column where known."""

    file: str
    line: int | None = None
    column: int | None = None


@dataclass(frozen=True, slots=True)
class Item:
    severity: Severity
    kind: str
    message: str
    location: Location | None
    ports: tuple[int, ...] = ()
    subjects: tuple[str, ...] = ()
    # Further places the finding is about (the other service of a duplicate, …).
    related: tuple[Location, ...] = ()
    accepted: str | None = None  # the plan's reason, when the plan accepts the finding

    @property
    def rule(self) -> RuleInfo:
        return rule_for(self.kind)

    def as_dict(self) -> dict[str, object]:
        where = self.location
        return {
            "rule": self.rule.id,
            "kind": self.kind,
            "severity": self.severity,
            "message": self.message,
            "file": where.file if where else None,
            "line": where.line if where else None,
            "column": where.column if where else None,
            "ports": list(self.ports),
            "subjects": list(self.subjects),
            "accepted": None if self.accepted is None else {"reason": self.accepted},
        }


@dataclass(slots=True)
class Report:
    """What one command found: its items and its own result (owners, moves, ports …)."""

    command: str
    plan: str | None
    items: list[Item]
    result: dict[str, object] = field(default_factory=dict)

    def summary(self) -> dict[str, int]:
        return count_severities(self.items)


def count_severities(items: Iterable[Item]) -> dict[str, int]:
    """Findings per severity, accepted ones counted apart: they do not fail a check."""
    counts: dict[str, int] = dict.fromkeys((*SEVERITIES, "accepted"), 0)
    for item in items:
        counts["accepted" if item.accepted is not None else item.severity] += 1
    return counts
