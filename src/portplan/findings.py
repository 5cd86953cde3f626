"""What a finding is: its severity, rule kind, sentence, ports and subjects.

A leaf module: the rules, the scanner, the probe and every view build or show findings, and
all of them depend on this file rather than on the analysis that produces them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

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


def summarize(findings: Iterable[Finding]) -> dict[str, int]:
    counts: dict[str, int] = dict.fromkeys(SEVERITIES, 0)
    for finding in findings:
        counts[finding.severity] += 1
    return counts
