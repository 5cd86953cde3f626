"""One change between two plans, as `portplan diff`, `rebase` and the change panel list it."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

ChangeKind = Literal[
    "moved",
    "renamed",
    "reserved",
    "released",
    "protocol",
    "description",
    "range",
    "added",
    "removed",
    "paths",
    "reservation-added",
    "reservation-removed",
    "reservation-changed",
    "metadata",
]

# Changes that belong to no project (plan metadata, the reserved list) group under this key.
PLAN_WIDE = ""


@dataclass(frozen=True, slots=True)
class Change:
    project: str
    kind: ChangeKind
    subject: str
    old: str
    new: str
    text: str

    def as_dict(self) -> dict[str, str]:
        return {
            "project": self.project,
            "kind": self.kind,
            "subject": self.subject,
            "old": self.old,
            "new": self.new,
            "text": self.text,
        }


def group_by_project(changes: Iterable[Change]) -> dict[str, list[Change]]:
    """Changes per project, in the order `diff_plans` gives them (plan-wide ones first)."""
    groups: dict[str, list[Change]] = {}
    for change in changes:
        groups.setdefault(change.project, []).append(change)
    return groups


def shown_value(text: str) -> str:
    return repr(text) if text else "(none)"
