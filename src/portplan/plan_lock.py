"""Which planners have a plan open, so that each keeps its own recovery copy and none takes
another's.

Every planner session claims a lock file beside the plan, `.<name>.<session>.portplan-lock`
(the session id is the process id and the start time), and holds an exclusive `flock` on it
while it runs. The kernel drops that lock the moment the process dies, however it dies, so a
lock file that nobody holds is a stale one from a killed planner, whatever its pid now
names. Where the file system has no `flock` (some network mounts), the recorded pid is
checked instead: alive on this host, or recorded on another host, counts as live.
"""

from __future__ import annotations

import os
import socket
import sys
import time
from pathlib import Path

from portplan.records import record

if sys.platform != "win32":
    import fcntl

LOCK_SUFFIX = ".portplan-lock"


def new_session_id() -> str:
    """The process id and the start time (to the microsecond, so two sessions of one
    process differ): unique beside one plan, readable in a folder listing."""
    now = time.time()
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime(now))
    return f"{os.getpid()}-{stamp}.{int(now % 1 * 1_000_000):06d}"


def lock_path(plan_path: Path, session: str) -> Path:
    return plan_path.with_name(f".{plan_path.name}.{session}{LOCK_SUFFIX}")


def session_of(path: Path, plan_path: Path, suffix: str) -> str | None:
    """The session id in a lock or copy file named for `plan_path`, else None."""
    prefix = f".{plan_path.name}."
    name = path.name
    if not (name.startswith(prefix) and name.endswith(suffix)):
        return None
    session = name[len(prefix) : -len(suffix)]
    pid = session.split("-", 1)[0]
    return session if pid.isdigit() and "-" in session else None


class PlanLock:
    """This session's claim on a plan: held from `claim` until `release` or the process ends."""

    def __init__(self, plan_path: Path, session: str) -> None:
        self.plan_path = plan_path
        self.session = session
        self.path = lock_path(plan_path, session)
        self._descriptor: int | None = None

    @classmethod
    def claim(cls, plan_path: Path, session: str | None = None) -> PlanLock:
        """A session's lock. A folder where no lock can be made (read-only) gives a lock
        that holds nothing: the planner still runs, and other planners cannot see it."""
        lock = cls(plan_path, session or new_session_id())
        try:
            lock._take()
        except OSError:
            lock._descriptor = None
        return lock

    def _take(self) -> None:
        # Locked under a temporary name and then renamed, so that no other planner ever sees
        # this lock file unlocked and takes it for a stale one.
        temporary = self.path.with_name(self.path.name + ".new")
        descriptor = os.open(temporary, os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            if sys.platform != "win32":
                try:
                    fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError:
                    pass  # no flock here: the pid written below is what others check
            os.write(descriptor, f"{os.getpid()} {socket.gethostname()}\n".encode())
            os.replace(temporary, self.path)
        except BaseException:
            os.close(descriptor)
            temporary.unlink(missing_ok=True)
            raise
        self._descriptor = descriptor

    def release(self) -> None:
        """The planner is closing: its lock file goes (its recovery copy, if any, stays)."""
        if self._descriptor is None:
            return
        self.path.unlink(missing_ok=True)
        os.close(self._descriptor)
        self._descriptor = None


@record
class OtherSession:
    session: str
    pid: int


def live_sessions(plan_path: Path, own: str) -> list[OtherSession]:
    """The other planners running on this plan now, oldest first. The stale lock files of
    planners that were killed are removed on the way (their copies stay, to be offered)."""
    found: list[OtherSession] = []
    folder = plan_path.parent if str(plan_path.parent) else Path(".")
    try:
        entries = sorted(folder.iterdir())
    except OSError:
        return found
    for path in entries:
        session = session_of(path, plan_path, LOCK_SUFFIX)
        if session is None or session == own:
            continue
        if is_live(path):
            found.append(OtherSession(session, int(session.split("-", 1)[0])))
        else:
            path.unlink(missing_ok=True)
    return found


def is_live(path: Path) -> bool:
    """True while the planner that made the lock file `path` runs."""
    held = _held(path)
    if held is not None:
        return held
    try:
        pid_text, host = path.read_text(encoding="utf-8").split()
        pid = int(pid_text)
    except (OSError, ValueError):
        return False  # half-written by a planner killed while claiming it
    return host != socket.gethostname() or _pid_alive(pid)


def _held(path: Path) -> bool | None:
    """Whether another open file holds `path`'s lock; None where locks cannot be asked."""
    if sys.platform == "win32":
        return None
    try:
        descriptor = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return False
    except OSError:
        return None
    try:
        fcntl.flock(descriptor, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except OSError:
        return None
    finally:
        os.close(descriptor)  # also lets go of the shared lock just taken, if it was
    return False


def _pid_alive(pid: int) -> bool:
    if sys.platform == "win32":
        return True  # os.kill would end the process there; never take a lock for stale
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    except OSError:
        return False
    return True
