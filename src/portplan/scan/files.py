"""Reading a file's text for a reader: only regular files, with a size limit; permissions,
encoding and anything else that is not a plain file become notes.

A FIFO named `.env` would block an ordinary `open` forever and `/dev/zero` would never end,
so the file is opened without blocking and checked on the open descriptor (no window for the
name to be swapped between a check and the read); only then is it read, and never more than
the limit.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from portplan.scan.uses import FileNote, Place

MAX_BYTES = 1024 * 1024
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)


def read_text(path: Path, place: Place) -> tuple[str | None, FileNote | None]:
    """The file's text, or None and a note saying why it was not read."""
    try:
        descriptor = os.open(path, _OPEN_FLAGS)
    except PermissionError:
        return None, FileNote("warning", place, "cannot be read (permission denied)")
    except OSError as error:
        return None, FileNote("warning", place, f"cannot be read ({error.strerror or error})")
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            return None, FileNote("warning", place, f"skipped: {_what(status.st_mode)}")
        if status.st_size > MAX_BYTES:
            size = status.st_size
            return None, FileNote("info", place, f"skipped: {size:,} bytes is over the 1 MiB limit")
        raw = _read_at_most(descriptor, MAX_BYTES + 1)
    except OSError as error:
        return None, FileNote("warning", place, f"cannot be read ({error.strerror or error})")
    finally:
        os.close(descriptor)
    if len(raw) > MAX_BYTES:  # it grew while we looked
        return None, FileNote("info", place, "skipped: over the 1 MiB limit")
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return None, FileNote("warning", Place(place.label, line), "is not UTF-8 text")


def _read_at_most(descriptor: int, limit: int) -> bytes:
    chunks: list[bytes] = []
    remaining = limit
    while remaining > 0 and (chunk := os.read(descriptor, min(remaining, 1 << 20))):
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def _what(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO), not a regular file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device, not a regular file"
    if stat.S_ISSOCK(mode):
        return "a socket, not a regular file"
    if stat.S_ISDIR(mode):
        return "a folder, not a regular file"
    return "not a regular file"
