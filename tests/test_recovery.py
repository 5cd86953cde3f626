"""Recovery copies and plan locks without a screen: one copy per session, a running planner's
copy never offered nor touched, a killed one's always offered, newest first; a copy made
from an older file or one that cannot be read is told apart, and never deleted."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from portplan.edits import MoveService
from portplan.filestamp import FileStamp
from portplan.model import Plan, ServiceRef
from portplan.plan_lock import PlanLock, is_live, live_sessions, lock_path, new_session_id
from portplan.recovery import (
    base_path,
    copy_path,
    orphaned_copies,
    recovery_copies,
    set_aside,
    write_base,
    write_copy,
)
from portplan.session import Session
from portplan.store import dumps, load

LOKI = ServiceRef("NEURECTOMY", "Observability", "Loki")
DEAD = "4242-20260101T000000.000000"
OTHER_DEAD = "4343-20260102T000000.000000"
OWN = "1-20260103T000000.000000"


@pytest.fixture
def plan_path(tmp_path: Path) -> Path:
    path = tmp_path / "ports.toml"
    path.write_text(Path("data/ports.toml").read_text(encoding="utf-8"), encoding="utf-8")
    return path


def _sha(path: Path) -> str:
    stamp = FileStamp.of(path)
    assert stamp is not None
    return stamp.sha256


def _edited(path: Path, port: int = 16995) -> str:
    session = Session.open(path)
    session.apply(MoveService(LOKI, port))
    return dumps(session.plan)


def _offers(plan_path: Path) -> list[tuple[str, str]]:
    offers = orphaned_copies(plan_path, OWN, load(plan_path), _sha(plan_path))
    return [(offer.path.name, offer.match) for offer in offers]


# --- locks ---------------------------------------------------------------------------------


def test_a_claimed_lock_is_live_until_released(plan_path: Path) -> None:
    lock = PlanLock.claim(plan_path)
    try:
        assert lock.path == lock_path(plan_path, lock.session) and is_live(lock.path)
        (other,) = live_sessions(plan_path, OWN)
        assert (other.session, other.pid) == (lock.session, os.getpid())
        assert live_sessions(plan_path, lock.session) == []
    finally:
        lock.release()
    assert not lock.path.exists() and live_sessions(plan_path, OWN) == []


def test_a_lock_file_nobody_holds_is_stale_even_if_its_pid_runs(plan_path: Path) -> None:
    # The pid is this very process (alive): only the lock itself says whether it is held.
    stale = lock_path(plan_path, f"{os.getpid()}-20260101T000000.000000")
    stale.write_text(f"{os.getpid()} somehost\n")
    assert not is_live(stale)
    assert live_sessions(plan_path, OWN) == []
    assert not stale.exists()  # cleaned away: it held no one's work


def test_session_ids_differ_within_one_process() -> None:
    ids = {new_session_id() for _ in range(5)}
    assert len(ids) == 5 and all(i.startswith(f"{os.getpid()}-") for i in ids)


CLAIMER = """
import sys, time
from pathlib import Path
from portplan.plan_lock import PlanLock
lock = PlanLock.claim(Path(sys.argv[1]))
print(lock.session, flush=True)
time.sleep(120)
"""


def test_the_lock_of_a_killed_process_is_stale_and_of_a_running_one_live(plan_path: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-c", CLAIMER, str(plan_path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        session = process.stdout.readline().strip()
        lock = lock_path(plan_path, session)
        assert is_live(lock)
        (other,) = live_sessions(plan_path, OWN)
        assert other.pid == process.pid
        copy = copy_path(plan_path, session)
        write_copy(copy, _edited(plan_path), _sha(plan_path))
        assert _offers(plan_path) == []  # a running planner's copy is never offered…
        assert copy.exists()  # …nor removed
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    assert lock.exists() and not is_live(lock)
    assert _offers(plan_path) == [(copy.name, "matches")]
    assert not lock.exists() and copy.exists()


# --- copies --------------------------------------------------------------------------------


def test_each_session_writes_its_own_copy_and_all_orphans_are_offered_newest_first(
    plan_path: Path,
) -> None:
    first, second = copy_path(plan_path, DEAD), copy_path(plan_path, OTHER_DEAD)
    write_copy(first, _edited(plan_path, 16995), _sha(plan_path))
    write_copy(second, _edited(plan_path, 16996), _sha(plan_path))
    now = time.time()
    os.utime(first, (now + 10, now + 10))  # the first was written last
    assert recovery_copies(plan_path) == [second, first]
    assert _offers(plan_path) == [(first.name, "matches"), (second.name, "matches")]
    assert _offers(plan_path) == [(first.name, "matches"), (second.name, "matches")]  # kept


def test_a_copy_from_an_older_file_says_how_much_restoring_changes(plan_path: Path) -> None:
    copy = copy_path(plan_path, DEAD)
    write_copy(copy, _edited(plan_path), _sha(plan_path))
    before = copy.read_bytes()
    # A git pull renames a service in the file after the copy was made.
    plan_path.write_text(plan_path.read_text().replace('"Loki"', '"Loki (pulled)"'))
    (offer,) = orphaned_copies(plan_path, OWN, load(plan_path), _sha(plan_path))
    assert offer.match == "older"
    # Restoring the copy's plan undoes the rename (released + reserved) and moves Loki:
    # the count is what the change list will show.
    assert offer.differences >= 2 and offer.plan is not None
    assert copy.read_bytes() == before


def test_a_copy_of_a_plan_never_saved_matches_while_there_is_no_file(tmp_path: Path) -> None:
    plan_path = tmp_path / "new.toml"
    copy = copy_path(plan_path, DEAD)
    write_copy(copy, dumps(Plan(title="new", projects=[])).replace("new", "draft"), None)
    (offer,) = orphaned_copies(plan_path, OWN, Plan(title="new"), None)
    assert offer.match == "matches" and offer.plan == Plan(title="draft")


@pytest.mark.parametrize(
    "content",
    [b"[[projects]\nname = 1\n", b"\xff\xfe not utf-8", b'title = "x"\nprojects = 5\n'],
    ids=["bad-toml", "bad-utf8", "bad-plan"],
)
def test_an_unreadable_copy_is_offered_as_such_and_kept_aside(
    plan_path: Path, content: bytes
) -> None:
    copy = copy_path(plan_path, DEAD)
    copy.write_bytes(content)
    (offer,) = orphaned_copies(plan_path, OWN, load(plan_path), _sha(plan_path))
    assert offer.match == "unreadable" and offer.plan is None and offer.problem
    kept = set_aside(offer)
    assert kept.name == copy.name + ".unreadable" and kept.read_bytes() == content
    assert not copy.exists() and recovery_copies(plan_path) == []
    copy.write_bytes(content)  # a second unreadable copy of the same name keeps the first
    assert set_aside(offer).name == copy.name + ".unreadable.1"
    assert kept.read_bytes() == content


def test_copies_of_other_plans_in_the_folder_are_not_this_plans(plan_path: Path) -> None:
    other_plan = plan_path.with_name("other.toml")
    write_copy(copy_path(other_plan, DEAD), "title = 'x'\n", None)
    plan_path.with_name(f".{plan_path.name}.not-a-session.portplan-recovery").write_text("x")
    assert recovery_copies(plan_path) == []


def test_an_older_copy_with_its_base_kept_is_replayed_onto_the_file(plan_path: Path) -> None:
    copy = copy_path(plan_path, DEAD)
    write_base(copy, plan_path.read_text())
    write_copy(copy, _edited(plan_path), _sha(plan_path))
    plan_path.write_text(plan_path.read_text().replace('"Grafana"', '"Grafana (pulled)"', 1))
    (offer,) = orphaned_copies(plan_path, OWN, load(plan_path), _sha(plan_path))
    assert (offer.match, offer.replayed, offer.conflicts, offer.differences) == ("older", 1, (), 1)
    assert offer.plan is not None
    assert "Grafana (pulled)" in {s.name for _, _, s in offer.plan.services()}
    # A base that is not the version the copy names is not trusted: the whole copy is offered.
    base_path(copy).write_text(plan_path.read_text())
    (offer,) = orphaned_copies(plan_path, OWN, load(plan_path), _sha(plan_path))
    assert (offer.match, offer.replayed) == ("older", None) and offer.differences >= 2


def test_a_base_without_its_copy_is_removed_once_its_planner_is_gone(plan_path: Path) -> None:
    lone = copy_path(plan_path, DEAD)
    write_base(lone, plan_path.read_text())
    running = PlanLock.claim(plan_path)
    try:
        theirs = copy_path(plan_path, running.session)
        write_base(theirs, plan_path.read_text())  # written just before its first copy
        assert orphaned_copies(plan_path, OWN, load(plan_path), _sha(plan_path)) == []
        assert not base_path(lone).exists() and base_path(theirs).exists()
    finally:
        running.release()
