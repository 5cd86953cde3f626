"""Copies of unsaved plans beside the plan file, so a crash costs at most a moment's work.

Each planner session writes its own copy, `.<name>.<session>.portplan-recovery` (the
session id of `plan_lock`), a moment after each edit (atomically, like a save), and removes
it after a save or a deliberate discard; two planners on one plan never write each other's.
The copy's first line records which version of the file it was made from (the file's
sha256), and that version itself is kept beside it (`….portplan-base`, written once per load
or save), so a copy made before the file changed (a `git pull`) is told apart and its edits
can be replayed onto the file as it is now (`replay`).

At the next start every orphaned copy (its session's lock no longer held) is offered back,
newest first; a copy of a planner still running is never offered nor touched. A copy is
deleted only when the user says so, or when it holds nothing the file does not (same plan);
one that cannot be read is renamed aside, never deleted. Restoring is one undoable edit, so
the plan file itself is untouched until the user saves.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path
from typing import Any, Literal

from portplan.errors import PlanError
from portplan.model import Plan
from portplan.plan_lock import is_live, lock_path, session_of
from portplan.records import record
from portplan.store import loads, read_utf8

SUFFIX = ".portplan-recovery"
BASE_SUFFIX = ".portplan-base"
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


def base_path(copy: Path) -> Path:
    """Where the version of the file a copy was made from is kept."""
    return copy.with_name(copy.name.removesuffix(SUFFIX) + BASE_SUFFIX)


def write_base(copy: Path, text: str) -> None:
    from portplan.safe_write import write_text_atomic  # the planner's start writes nothing

    write_text_atomic(base_path(copy), text)


def discard(copy: Path) -> None:
    """Delete a copy the user is done with, and the base kept beside it."""
    copy.unlink(missing_ok=True)
    base_path(copy).unlink(missing_ok=True)


def write_copy(path: Path, text: str, base_sha256: str | None) -> None:
    """Write a copy of the plan `text`, noting the file's version it was edited from."""
    from portplan.safe_write import write_text_atomic

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


@record
class Recovery:
    """An orphaned copy: what it holds and how it stands to the plan file as it is now."""

    path: Path
    match: Match
    plan: Plan | None = None  # None when unreadable
    services: int = 0
    # How many changes restoring makes to the plan as loaded (as the change list counts).
    differences: int = 0
    problem: str = ""  # why an unreadable copy cannot be read
    # An older copy whose base was kept: `plan` is the file with the copy's edits replayed.
    replayed: int | None = None
    conflicts: tuple[str, ...] = ()  # edited in the file too: the copy's version taken
    dropped: tuple[str, ...] = ()  # in a project or tier the file no longer has


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
            discard(path)
        else:
            offers.append(offer)
    _drop_lone_bases(plan_path, own_session)
    return offers


def _drop_lone_bases(plan_path: Path, own_session: str) -> None:
    """A base whose copy is gone (restored, discarded, set aside) and whose planner is not
    running holds no edit: only an old version of the file."""
    folder = plan_path.parent if str(plan_path.parent) else Path(".")
    try:
        entries = list(folder.iterdir())
    except OSError:
        return
    for path in entries:
        session = session_of(path, plan_path, BASE_SUFFIX)
        if session is None or session == own_session:
            continue
        if not copy_path(plan_path, session).exists():
            if not is_live(lock_path(plan_path, session)):
                path.unlink(missing_ok=True)


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
    # Loaded only when a planner left a copy behind: not on every start.
    from portplan.changes import diff_plans

    found = _HEADER_PATTERN.match(text)
    if found is not None:
        matches = found.group(1) == (current_sha256 or NO_FILE)
    else:
        matches = _modified_ns(path) > _modified_ns(plan_path)  # older copies: by their age
    services = plan.service_count()
    if not matches and found is not None:
        replayed = _replayed(path, found.group(1), plan, current)
        if replayed is not None:
            return replayed
    return Recovery(
        path,
        "matches" if matches else "older",
        plan,
        services,
        len(diff_plans(current, plan)),
    )


def _replayed(path: Path, base_sha256: str, copy: Plan, current: Plan) -> Recovery | None:
    """An older copy as its edits replayed onto `current`, when its base was kept intact."""
    try:
        raw = base_path(path).read_bytes()
        if hashlib.sha256(raw).hexdigest() != base_sha256:
            return None
        base = loads(raw.decode("utf-8"), str(base_path(path)))
    except (OSError, UnicodeDecodeError, PlanError):
        return None
    from portplan.changes import diff_plans
    from portplan.replay import replay

    merged = replay(base, copy, current)
    if merged is None:
        return None
    return Recovery(
        path,
        "older",
        merged.plan,
        copy.service_count(),
        len(diff_plans(current, merged.plan)),
        replayed=merged.edits,
        conflicts=merged.conflicts,
        dropped=merged.dropped,
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


class RestorePlan:
    """Replace the plan's whole content with a recovered one; undo puts the loaded one back."""

    def __init__(self, recovered: Plan) -> None:
        self.recovered = recovered
        self._before: dict[str, Any] = {}

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
