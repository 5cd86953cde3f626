"""What a finding is: its severity, rule kind, sentence, ports and subjects.

A leaf module: the rules, the scanner, the probe and every view build or show findings, and
all of them depend on this file rather than on the analysis that produces them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Literal

from portplan.records import record

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "info")
SEVERITY_RANK = {severity: rank for rank, severity in enumerate(SEVERITIES)}
SYMBOLS: dict[Severity, str] = {"error": "✗", "warning": "⚠", "info": "ℹ"}


@record
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


FindingKey = tuple[str, tuple[str, ...]]


def finding_key(finding: Finding) -> FindingKey:
    """What makes two findings the same problem: the rule and what it is about, not the port
    numbers or the sentence, which change when a service moves with its problem."""
    kept = _KEYS.get(id(finding))
    if kept is not None:
        return kept[1]
    key = finding.kind, tuple(sorted(finding.subjects))
    if len(_KEYS) >= _KEYS_HELD:
        _KEYS.clear()
    _KEYS[id(finding)] = finding, key
    return key


# Each finding's key, by the finding's id. An entry holds its finding, so no other object
# can take that id while the entry is kept. Most findings are compared again after every
# edit and every preview keystroke, and a key sorts the subjects: 960 for a project in the
# ephemeral range, 4 ms a comparison on 61,440 services without this.
_KEYS: dict[int, tuple[Finding, FindingKey]] = {}
_KEYS_HELD = 16_384


@record
class FindingDelta:
    """What an edit does to the findings: the one comparison every preview and command uses.

    Findings are matched by `finding_key`, as a multiset: a project in two overlapping OS
    ranges has two findings of one key, and losing one of them clears one.
    """

    added: tuple[Finding, ...]
    cleared: tuple[Finding, ...]
    kept: tuple[Finding, ...]  # as they read after the edit
    # The kept findings whose sentence changed: the same problem, moved along with the edit.
    carried: tuple[Finding, ...] = ()

    @classmethod
    def between(cls, before: Iterable[Finding], after: Iterable[Finding]) -> FindingDelta:
        before, after = list(before), list(after)
        # Each finding's key once, as a number: most findings are the same objects in both
        # lists, and a key sorts and hashes the finding's subjects (960 for a project in the
        # ephemeral range).
        numbers: dict[FindingKey, int] = {}
        keys: dict[int, int] = {}

        def key_of(finding: Finding) -> int:
            key = keys.get(id(finding))
            if key is None:
                key = keys[id(finding)] = numbers.setdefault(finding_key(finding), len(numbers))
            return key

        unmatched = Counter(key_of(finding) for finding in before)
        added: list[Finding] = []
        kept: list[Finding] = []
        for finding in after:
            key = key_of(finding)
            if unmatched[key] > 0:
                unmatched[key] -= 1
                kept.append(finding)
            else:
                added.append(finding)
        cleared: list[Finding] = []
        for finding in reversed(before):  # the last of a key are the ones left unmatched
            key = key_of(finding)
            if unmatched[key] > 0:
                unmatched[key] -= 1
                cleared.append(finding)
        cleared.reverse()
        worded = {(key_of(finding), finding.message) for finding in before}
        carried = [f for f in kept if (key_of(f), f.message) not in worded]
        return cls(tuple(added), tuple(cleared), tuple(kept), tuple(carried))

    def counts(self) -> str:
        return f"{len(self.added)} added, {len(self.cleared)} cleared, {len(self.kept)} kept"
