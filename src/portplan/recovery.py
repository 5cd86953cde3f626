"""A copy of the unsaved plan beside the plan file, so a crash costs at most a moment's work.

The planner writes `.<name>.portplan-recovery` a moment after each edit (atomically, like a
save) and removes it after a save or a deliberate discard. At the next start a copy newer
than the plan is offered back; restoring it is one undoable edit, so the plan file itself is
untouched until the user saves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from portplan.errors import PlanError
from portplan.model import Plan
from portplan.store import load, write_text_atomic

SUFFIX = ".portplan-recovery"


def recovery_path(plan_path: Path) -> Path:
    return plan_path.with_name(f".{plan_path.name}{SUFFIX}")


def write_recovery(plan_path: Path, text: str) -> None:
    write_text_atomic(recovery_path(plan_path), text)


def discard_recovery(plan_path: Path) -> None:
    recovery_path(plan_path).unlink(missing_ok=True)


@dataclass(frozen=True, slots=True)
class Recovery:
    path: Path
    plan: Plan
    services: int


def pending_recovery(plan_path: Path) -> Recovery | None:
    """The recovery copy to offer: one newer than the plan (or with no plan) that differs."""
    path = recovery_path(plan_path)
    try:
        copy = path.read_bytes()
        copy_time = path.stat().st_mtime_ns
    except FileNotFoundError:
        return None
    try:
        plan_time = plan_path.stat().st_mtime_ns
        original: bytes | None = plan_path.read_bytes()
    except FileNotFoundError:
        plan_time, original = -1, None
    if copy == original:
        discard_recovery(plan_path)  # written just before a save that finished: nothing to offer
        return None
    if copy_time <= plan_time:
        return None  # the plan was saved (or changed) after the copy: the copy is stale
    try:
        plan = load(path)
    except PlanError:
        return None  # a copy that cannot be read is left alone for a person to look at
    return Recovery(path, plan, sum(1 for _ in plan.services()))


@dataclass
class RestorePlan:
    """Replace the plan's whole content with a recovered one; undo puts the loaded one back."""

    recovered: Plan
    _before: dict[str, Any] = field(default_factory=dict, init=False, repr=False)

    @property
    def label(self) -> str:
        return "restore unsaved edits from the recovery copy"

    def apply(self, plan: Plan) -> None:
        copy = self.recovered.model_copy(deep=True)
        self._before = {name: getattr(plan, name) for name in Plan.model_fields}
        for name in Plan.model_fields:
            setattr(plan, name, getattr(copy, name))

    def revert(self, plan: Plan) -> None:
        for name, value in self._before.items():
            setattr(plan, name, value)
