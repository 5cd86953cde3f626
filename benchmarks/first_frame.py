"""How long a Textual program takes, as a whole process, to put its first full screen on a
terminal: the harness bench_tui.py measures the planner and its floor with.

The program runs in a pseudo-terminal of 120x36, as a person would start it. It answers
Textual's question whether the terminal draws synchronised updates (as modern terminals
do), so every frame arrives between `ESC[?2026h` and `ESC[?2026l`. The first frame is the
end of the first update after which every part of the screen the caller names (a few words
each part shows: title, panes, footer) has been drawn. Textual draws a screen in a few
updates (the footer's keys and the header's title come a frame after the panes), so the
words count across updates, and both programs are judged by the same rule.

Bytecode is cached, as in any installed package (PYTHONDONTWRITEBYTECODE is cleared).
"""

from __future__ import annotations

import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import tempfile
import termios
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

COLUMNS, LINES = 120, 36
SYNC_QUERY = b"\x1b[?2026$p"
SYNC_SUPPORTED = b"\x1b[?2026;2$y"  # DECRPM: mode 2026 is supported, currently off
SYNC_END = b"\x1b[?2026l"
QUIT = b"\x11"  # ctrl+q
# Escape sequences: CSI (colours, cursor moves, modes) and OSC (titles, pointer shapes).
ESCAPES = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[=>]")
TIMEOUT = 60.0


class NoFrame(RuntimeError):
    """The program ended or timed out before showing every part asked for."""


def terminal_env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    for name in ("NO_COLOR", "TEXTUAL", "COLUMNS", "LINES"):
        env.pop(name, None)
    # A settings file of the user's (a remembered theme) must not change what is measured.
    env.update(
        TERM="xterm-256color",
        COLORTERM="truecolor",
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_STATE_HOME=str(home / "state"),
        XDG_DATA_HOME=str(home / "data"),
        XDG_CACHE_HOME=str(home / "cache"),
    )
    return env


class Timing(NamedTuple):
    wall: float  # seconds from the start
    cpu: float  # seconds of CPU (user + system, every thread) the program used by then


def first_frame(
    command: Sequence[str],
    shows: Sequence[bytes],
    *,
    env: dict[str, str],
    cwd: Path,
    timeout: float = TIMEOUT,
) -> Timing:
    """Time from starting `command` in a terminal until the end of the first update after
    which every byte string in `shows` has been drawn (escapes left out)."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
    started = time.perf_counter()
    process = subprocess.Popen(
        list(command),
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        cwd=cwd,
        start_new_session=True,
    )
    os.close(slave)
    try:
        arrived = _watch(master, process, shows, started, timeout)
        return Timing(arrived - started, cpu_seconds(process.pid))
    finally:
        _stop(master, process)


def cpu_seconds(pid: int) -> float:
    """The CPU time a running process has used so far (from /proc, in clock ticks)."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def process_run(command: Sequence[str], *, env: dict[str, str], cwd: Path) -> Timing:
    """Time to run `command` to its end, its output thrown away (no terminal)."""
    started = time.perf_counter()
    process = subprocess.Popen(list(command), cwd=cwd, env=env, stdout=subprocess.DEVNULL)
    _, _, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = 0  # reaped here: Popen must not wait for it again
    return Timing(wall, usage.ru_utime + usage.ru_stime)


def _watch(
    master: int,
    process: subprocess.Popen[bytes],
    shows: Sequence[bytes],
    t0: float,
    timeout: float,
) -> float:
    missing = set(shows)
    raw = b""  # what has arrived and not yet been looked at as text
    text = b""  # what has been drawn since the last word was found, escapes left out
    answered = False
    while time.perf_counter() - t0 < timeout:
        ready, _, _ = select.select([master], [], [], 0.5)
        if not ready:
            if process.poll() is not None:
                break
            continue
        try:
            chunk = os.read(master, 1 << 16)
        except OSError:  # the program closed the terminal
            break
        arrived = time.perf_counter()
        raw += chunk
        if not answered and SYNC_QUERY in raw:
            os.write(master, SYNC_SUPPORTED)
            answered = True
        # Only whole updates are read as text: an escape cut between two reads is kept.
        while (end := raw.find(SYNC_END)) >= 0:
            update, raw = raw[:end], raw[end + len(SYNC_END) :]
            text += ESCAPES.sub(b"", update)
            missing -= {word for word in missing if word in text}
            if not missing:
                return arrived
    raise NoFrame(f"never drawn: {sorted(missing)}; last text {text[-300:]!r}")


def _stop(master: int, process: subprocess.Popen[bytes]) -> None:
    """Quit as a person would (ctrl+q), reading what the program still writes so that a
    full terminal never blocks it on its way out; kill it if it does not go."""
    try:
        os.write(master, QUIT)
        deadline = time.perf_counter() + 60
        while process.poll() is None and time.perf_counter() < deadline:
            if select.select([master], [], [], 0.1)[0]:
                os.read(master, 1 << 16)
    except OSError:
        pass
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        os.close(master)


def first_frame_instructions(
    command: Sequence[str], shows: Sequence[bytes], *, env: dict[str, str], cwd: Path
) -> int:
    """Instructions the program executes (valgrind's cachegrind, no cache simulation) from
    its start through its first full screen and its quit right after: a figure a busy
    machine does not change."""
    with _counted(command) as (counted, log):
        first_frame(counted, shows, env=env, cwd=cwd, timeout=30 * TIMEOUT)
        return _count(log, command)


def process_instructions(command: Sequence[str], *, env: dict[str, str], cwd: Path) -> int:
    """Instructions `command` executes to its end, its output thrown away (no terminal)."""
    with _counted(command) as (counted, log):
        subprocess.run(counted, cwd=cwd, env=env, stdout=subprocess.DEVNULL, check=False)
        return _count(log, command)


@contextmanager
def _counted(command: Sequence[str]) -> Iterator[tuple[list[str], Path]]:
    with tempfile.TemporaryDirectory(prefix="first-frame-") as folder:
        log = Path(folder) / "valgrind.log"
        valgrind = ["valgrind", "--tool=cachegrind", "--cache-sim=no"]
        valgrind += ["--cachegrind-out-file=/dev/null", f"--log-file={log}"]
        yield [*valgrind, *command], log


def _count(log: Path, command: Sequence[str]) -> int:
    found = re.search(r"I\s+refs:\s+([\d,]+)", log.read_text())
    if found is None:
        raise NoFrame(f"valgrind gave no count for {list(command)}")
    return int(found[1].replace(",", ""))
