"""What a finding is: its severity, rule kind, sentence, ports and subjects.

A leaf module: the rules, the scanner, the probe and every view build or show findings, and
all of them depend on this file rather than on the analysis that produces them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from typing import Generic, Literal, TypeVar

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
        return _SORT_KEYS(self)

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


class FindingKey(tuple[str, tuple[str, ...]]):
    """A finding's rule and sorted subjects, hashed once: every preview and edit compares
    the keys of all findings, and hashing a tuple walks its items (960 subjects for a
    project in the ephemeral range) each time it is asked."""

    _hash: int

    def __new__(cls, kind: str, subjects: tuple[str, ...]) -> FindingKey:
        key = super().__new__(cls, (kind, subjects))
        key._hash = tuple.__hash__(key)
        return key

    def __hash__(self) -> int:
        return self._hash

    def __getnewargs__(self) -> tuple[str, tuple[str, ...]]:
        # Copies and pickles rebuild the key from its two parts (tuple's gives one).
        return self[0], self[1]


def finding_key(finding: Finding) -> FindingKey:
    """What makes two findings the same problem: the rule and what it is about, not the port
    numbers or the sentence, which change when a service moves with its problem."""
    return _KEYS(finding)


V = TypeVar("V")


class PerFinding(Generic[V]):
    """A value worked out once per finding and kept by the finding's id. Most findings
    outlive many edits and are compared and sorted again after every edit and every preview
    keystroke, and these values walk the finding's subjects or ports: 960 of each for a
    project in the ephemeral range (4 ms an edit on 61,440 services for the keys alone).

    An entry holds its finding, so no other object can take that id while it is kept; the
    store is emptied when full, so the findings of past edits and previews (each names up to
    960 subjects) are not kept alive for long."""

    def __init__(self, work: Callable[[Finding], V], held: int = 2048) -> None:
        self._work = work
        self._kept: dict[int, tuple[Finding, V]] = {}
        self.held = held

    def __call__(self, finding: Finding) -> V:
        kept = self._kept.get(id(finding))
        if kept is not None:
            return kept[1]
        value = self._work(finding)
        if len(self._kept) >= self.held:
            self._kept.clear()
        self._kept[id(finding)] = finding, value
        return value


_KEYS = PerFinding(lambda finding: FindingKey(finding.kind, tuple(sorted(finding.subjects))))
_SORT_KEYS = PerFinding(
    lambda finding: (
        SEVERITY_RANK[finding.severity],
        min(finding.ports, default=-1),
        finding.kind,
        finding.subjects,
    )
)


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
