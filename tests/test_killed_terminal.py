"""A planner killed mid-session (SIGKILL, as when a terminal or an SSH session dies) loses
nothing: the real `portplan` runs on a pseudo-terminal, makes an edit, is killed, and the
next start offers the edit back."""

from __future__ import annotations

import fcntl
import os
import pty
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Callable
from pathlib import Path

from portplan.recovery import recovery_copies
from portplan.store import load
from portplan.tui.modals.safety import RecoveryDialog
from portplan.tui.screens.planner import PlannerScreen
from tests.tui_helpers import SIZE, make_app, run, wait_for

DOWN = b"\x1b[B"


def _until(condition: Callable[[], bool], what: str, seconds: float = 30.0) -> None:
    """Poll a condition of another process; fail naming what never happened."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for: {what}")


class Terminal:
    """`portplan PLAN` on a 120×36 pseudo-terminal, its screen output collected."""

    def __init__(self, plan: Path) -> None:
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", SIZE[1], SIZE[0], 0, 0))
        env = {
            **os.environ,
            "TERM": "xterm-256color",
            "COLUMNS": str(SIZE[0]),
            "LINES": str(SIZE[1]),
        }
        self.process = subprocess.Popen(
            [sys.executable, "-m", "portplan", str(plan)],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
        )
        os.close(slave)
        self.master = master
        self.output = bytearray()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.output.extend(chunk)

    def type(self, *keys: bytes) -> None:
        for key in keys:
            os.write(self.master, key)

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        os.close(self.master)


def _release_first_service(terminal: Terminal, steps: int = 2) -> None:
    _until(lambda: b"Release" in terminal.output, "the planner's footer")
    # The cursor starts on NEURECTOMY; two steps down is its first service.
    terminal.type(*[DOWN] * steps, b"d")
    _until(lambda: b"Release port" in terminal.output, "the release question")
    terminal.type(b"y")


def test_killed_planner_offers_its_edit_back(reference_plan_path: Path) -> None:
    before = reference_plan_path.read_bytes()
    terminal = Terminal(reference_plan_path)
    try:
        _release_first_service(terminal)
        _until(lambda: bool(recovery_copies(reference_plan_path)), "the recovery copy")
    finally:
        terminal.kill()
    (copy,) = recovery_copies(reference_plan_path)
    assert copy.name.startswith(f".{reference_plan_path.name}.{terminal.process.pid}-")

    assert terminal.process.returncode == -signal.SIGKILL
    assert reference_plan_path.read_bytes() == before  # the file itself was never written
    assert sum(1 for _ in load(copy).services()) == 67

    async def restart() -> None:
        app = make_app(reference_plan_path)
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, RecoveryDialog), "the offer")
            await pilot.press("r")
            await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "restored")
            session = app.screen.session
            assert session.modified
            assert sum(1 for _ in session.plan.services()) == 67
            assert "Spectrum Workspace" not in {s.name for _, _, s in session.plan.services()}

    run(restart)


def test_of_two_planners_the_killed_ones_copy_is_offered_and_the_running_ones_is_not(
    reference_plan_path: Path,
) -> None:
    running = Terminal(reference_plan_path)
    killed = Terminal(reference_plan_path)
    try:
        _release_first_service(running, steps=3)  # the second service, Desktop App
        _release_first_service(killed)
        _until(lambda: len(recovery_copies(reference_plan_path)) == 2, "both copies")
        killed.kill()
        theirs = next(
            path
            for path in recovery_copies(reference_plan_path)
            if f".{running.process.pid}-" in path.name
        )
        before = theirs.read_bytes()

        async def restart() -> None:
            app = make_app(reference_plan_path)
            async with app.run_test(size=SIZE, notifications=True) as pilot:
                await wait_for(pilot, lambda: isinstance(app.screen, RecoveryDialog), "the offer")
                dialog = app.screen
                assert isinstance(dialog, RecoveryDialog) and dialog.of == 1
                assert f".{killed.process.pid}-" in dialog.recovery.path.name
                notice = f"another portplan has this plan open (pid {running.process.pid})"
                await wait_for(
                    pilot,
                    lambda: any(notice in str(t.render()) for t in app.screen.query("Toast")),
                    "the notice of the running planner",
                )
                await pilot.press("r")
                await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "restored")
                names = {s.name for _, _, s in app.screen.session.plan.services()}
                assert "Spectrum Workspace" not in names and "Desktop App (Dev)" in names

        run(restart)
        assert theirs.read_bytes() == before and running.process.poll() is None
    finally:
        running.kill()
        if killed.process.poll() is None:
            killed.kill()
