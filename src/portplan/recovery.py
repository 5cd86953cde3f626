"""Copies of unsaved plans beside the plan file, so a crash costs at most a moment's work.

Each planner session writes its own copy, `.<name>.<session>.portplan-recovery` (the
session id of `plan_lock`), a moment after each edit (atomically, like a save), and removes
it after a save or a deliberate discard; two planners on one plan never write each other's.
The copy's first line records which version of the file it was made from (the file's
sha256), so a copy made before the file changed (a `git pull`) is told apart.

At the next start every orphaned copy (its session's lock no longer held) is offered back,
newest first; a copy of a planner still running is never offered nor touched. A copy is
deleted only when the user says so, or when it holds nothing the file does not (same plan);
one that cannot be read is renamed aside, never deleted. Restoring is one undoable edit, so
the plan file itself is untouched until the user saves.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from portplan.changes import diff_plans
from portplan.errors import PlanError
from portplan.model import Plan
from portplan.plan_lock import is_live, lock_path, session_of
from portplan.store import loads, read_utf8, write_text_atomic

SUFFIX = ".portplan-recovery"
UNREADABLE = ".unreadable"
_HEADER = "# portplan recovery copy, made from the plan file with sha256 {}\n"
_HEADER_PATTERN = re.compile(r"# portplan recovery copy, made from the plan file with sha256 (\S+)")
NO_FILE = "none"  # the base of a copy of a plan not saved yet

Match = Literal["matches", "older", "unreadable"]


def copy_path(plan_path: Path, session: str) -> Path:
    return plan_path.with_name(f".{plan_path.name}.{session}{SUFFIX}")


def legacy_path(plan_path: Path) -> Path:
    """The one shared copy that portplan wrote before copies were per session."""
    return plan_path.with_name(f".{plan_path.name}{SUFFIX}")


def write_copy(path: Path, text: str, base_sha256: str | None) -> None:
    """Write a copy of the plan `text`, noting the file's version it was edited from."""
    write_text_atomic(path, _HEADER.format(base_sha256 or NO_FILE) + text)


def recovery_copies(plan_path: Path) -> list[Path]:
    """Every recovery copy of `plan_path`, live or orphaned, oldest first."""
    folder = plan_path.parent if str(plan_path.parent) else Path(".")
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    found = [
        path
        for path in entries
        if path == legacy_path(plan_path) or session_of(path, plan_path, SUFFIX) is not None
    ]
    return sorted(found, key=_modified_ns)


@dataclass(frozen=True, slots=True)
class Recovery:
    """An orphaned copy: what it holds and how it stands to the plan file as it is now."""

    path: Path
    match: Match
    plan: Plan | None = None  # None when unreadable
    services: int = 0
    # How many changes restoring makes to the plan as loaded (as the change list counts).
    differences: int = 0
    problem: str = ""  # why an unreadable copy cannot be read


def orphaned_copies(
    plan_path: Path, own_session: str, current: Plan, current_sha256: str | None
) -> list[Recovery]:
    """The copies to offer at start, newest first: those of sessions no longer running.

    A stale lock file (its planner was killed) is removed on the way; a copy whose plan is
    the file's own plan holds nothing to recover and is removed too."""
    offers: list[Recovery] = []
    for path in reversed(recovery_copies(plan_path)):
        session = session_of(path, plan_path, SUFFIX)
        if session == own_session:
            continue
        if session is not None:
            lock = lock_path(plan_path, session)
            if is_live(lock):
                continue  # another planner's, still running: never offered nor touched
            lock.unlink(missing_ok=True)
        offer = _read(path, plan_path, current, current_sha256)
        if offer is None:
            path.unlink(missing_ok=True)
        else:
            offers.append(offer)
    return offers


def _read(
    path: Path, plan_path: Path, current: Plan, current_sha256: str | None
) -> Recovery | None:
    try:
        text = read_utf8(path, "recovery copy")
        plan = loads(text, str(path))
    except PlanError as error:
        return Recovery(path, "unreadable", problem=str(error))
    except OSError as error:
        return Recovery(path, "unreadable", problem=error.strerror or str(error))
    if plan == current:
        return None
    found = _HEADER_PATTERN.match(text)
    if found is not None:
        matches = found.group(1) == (current_sha256 or NO_FILE)
    else:
        matches = _modified_ns(path) > _modified_ns(plan_path)  # older copies: by their age
    services = sum(1 for _ in plan.services())
    return Recovery(
        path,
        "matches" if matches else "older",
        plan,
        services,
        len(diff_plans(current, plan)),
    )


def set_aside(recovery: Recovery) -> Path:
    """Rename an unreadable copy out of the way (never delete it): where it is kept now."""
    for number in range(1000):
        kept = recovery.path.with_name(
            recovery.path.name + (UNREADABLE if number == 0 else f"{UNREADABLE}.{number}")
        )
        if not kept.exists():
            os.replace(recovery.path, kept)
            return kept
    raise FileExistsError(f"no free name to keep {recovery.path.name} aside")


def _modified_ns(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return -1


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
