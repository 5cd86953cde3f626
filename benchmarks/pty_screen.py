"""A program on a pseudo-terminal, its output kept as the screen a terminal would show
(`pyte`), for benchmarks that time keys as a person at a terminal sees them answered.

Times are taken at the read of each chunk of output, before the chunk is fed to the screen,
and a wait ends at the first chunk after which the screen shows what is expected: no quiet
window is added. Output is read as it comes (every chunk waiting is read before any is fed),
so the time spent feeding the screen delays the reading of a chunk only while another is
being fed.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import termios
import time
from collections.abc import Callable
from types import TracebackType

import pyte


class Terminal:
    def __init__(self, command: list[str], columns: int, lines: int, env: dict[str, str]):
        self.columns, self.lines = columns, lines
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
        env = {
            **env,
            "TERM": "xterm-256color",
            "COLUMNS": str(columns),
            "LINES": str(lines),
        }
        self.process = subprocess.Popen(
            command, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
        )
        os.close(slave)
        self.master = master
        self.screen = pyte.Screen(columns, lines)
        self.stream = pyte.ByteStream(self.screen)
        self.last_read = time.perf_counter()
        self.last_cpu = 0.0
        self._display: list[str] | None = None

    def __enter__(self) -> Terminal:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        os.close(self.master)

    @property
    def exited(self) -> bool:
        return self.process.poll() is not None

    # --- what the screen shows --------------------------------------------------------

    @property
    def display(self) -> list[str]:
        if self._display is None:
            self._display = self.screen.display
        return self._display

    def row(self, index: int) -> str:
        return self.display[index].strip()

    def shows(self, text: str) -> bool:
        return any(text in line for line in self.display)

    def dump(self) -> str:
        return "\n".join(self.display)

    # --- reading and writing ------------------------------------------------------------

    def _read(self, timeout: float) -> bool:
        """Read what has come within `timeout`: False if nothing came or the program ended."""
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return False
        chunks: list[bytes] = []
        while ready:
            try:
                data = os.read(self.master, 1 << 16)
            except OSError:  # the program has ended and its side of the pty is gone
                data = b""
            self.last_read = time.perf_counter()
            if not data:
                break
            chunks.append(data)
            ready, _, _ = select.select([self.master], [], [], 0)
        for data in chunks:
            self.stream.feed(data)
        self._display = None
        return bool(chunks)

    def wait_until(self, shown: Callable[[], bool], what: str, timeout: float = 20) -> None:
        deadline = time.perf_counter() + timeout
        while not shown():
            if time.perf_counter() > deadline:
                raise TimeoutError(f"timed out waiting for {what}; the screen:\n{self.dump()}")
            if not self._read(0.05) and self.exited:
                if shown():
                    return
                raise RuntimeError(f"the program ended while waiting for {what}")

    def press_until(
        self, keys: str, shown: Callable[[], bool], what: str, timeout: float = 20
    ) -> float:
        """Write `keys`; the seconds until the screen shows what is expected (and in
        `last_cpu`, the CPU seconds the program used meanwhile)."""
        cpu = self.cpu_seconds()
        written = time.perf_counter()
        os.write(self.master, keys.encode())
        self.wait_until(shown, what, timeout)
        self.last_cpu = self.cpu_seconds() - cpu
        return self.last_read - written

    def cpu_seconds(self) -> float:
        """The CPU time of all the program's threads so far (Linux's schedstat, in ns): on
        a busy machine the steadier figure."""
        total = 0
        try:
            for task in os.scandir(f"/proc/{self.process.pid}/task"):
                with open(f"{task.path}/schedstat") as stat:
                    total += int(stat.read().split()[0])
        except OSError:  # not Linux, or the program or a thread has ended
            pass
        return total / 1e9

    def quiet(self, window: float = 0.15) -> None:
        """Read until the program has written nothing for `window` seconds (between steps)."""
        while self._read(window):
            pass
