"""What a command does when its output cannot be written: one sentence on stderr, no traceback.

Standard output may be a full disk (`> /dev/full`), a device that fails, or closed
(`>&-`, which leaves `sys.stdout` as None). `portplan.cli.main` asks here, only after an
`OSError`, whether it was the output's; a broken pipe (`| head`) is handled there as before.
"""

from __future__ import annotations

import errno
import io
import os
import sys

CLOSED = "standard output is closed"


class ClosedOutput(io.TextIOBase):
    """Stands for a closed standard output: a command that writes nothing still runs; one
    that writes gets the OSError a write to a closed descriptor would give."""

    def __init__(self) -> None:
        super().__init__()
        self.written = False

    def write(self, text: str) -> int:
        if not text:
            return 0
        self.written = True
        raise OSError(errno.EBADF, CLOSED)

    def isatty(self) -> bool:
        return False

    def writable(self) -> bool:
        return True


def output_failed() -> bool:
    """Whether standard output cannot take what was written to it (the last OSError was
    the output's, not a file's the command read or wrote)."""
    stream = sys.stdout
    if isinstance(stream, ClosedOutput):
        return stream.written
    try:
        # What is still buffered fails again; with no buffer (PYTHONUNBUFFERED, or text
        # longer than the buffer) a write of nothing still fails on a full device.
        stream.flush()
        descriptor = stream.fileno()
    except io.UnsupportedOperation:
        return False  # an in-memory stream (a test's): no device to fail
    except OSError:
        return True
    try:
        os.write(descriptor, b"")
    except OSError:
        return True
    return False


def give_up_output(error: OSError) -> str:
    """The sentence for the user; what is still buffered for the output is dropped, so
    that the interpreter's last flush does not fail a second time with a traceback."""
    if not isinstance(sys.stdout, ClosedOutput):
        try:
            discard = os.open(os.devnull, os.O_WRONLY)
            os.dup2(discard, sys.stdout.fileno())
            os.close(discard)
        except (OSError, ValueError):
            pass  # no descriptor to replace: nothing is flushed to it at exit
    reason = error.strerror or str(error) or CLOSED
    return f"portplan: cannot write the output: {reason}"
