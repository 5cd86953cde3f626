"""Touching the user's files: which may be written, and writing all of them or none.

A file is written only when it is inside one of the folders being applied (a symbolic link
out of them, or a file an `include:` names elsewhere, is never written through) and is
writable (a read-only file is reported and left alone). Each write goes through
`portplan.safe_write`, keeping the old file as `.bak` as plan saves do. Just before each
write the file is read again: one that changed since it was scanned is not overwritten. If a
write fails, or reads back wrong, every file already written gets its old bytes (and its old
`.bak`) back, so an apply changes all of its files or none of them.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from portplan.apply.textedits import FileEdit
from portplan.safe_write import backup_path, write_bytes_atomic
from portplan.scan.files import MAX_BYTES


class ApplyRefused(Exception):
    """Nothing was written, for the reason given (one sentence naming the file)."""


def outside(path: Path, folders: Sequence[Path]) -> bool:
    """True when the file, links followed, is in none of the folders (links followed too)."""
    real = Path(os.path.realpath(path))
    for folder in folders:
        root = Path(os.path.realpath(folder))
        if real == root or real.is_relative_to(root):
            return False
    return True


def read_only(path: Path) -> bool:
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False  # gone: the read before the write says so
    # Root may write anything: a file without a single write bit is read-only all the same.
    writable_bits = stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH
    return not os.access(path, os.W_OK) or not mode & writable_bits


def current_bytes(path: Path) -> bytes | None:
    """The file's bytes now, or None when it is no longer a regular file that can be read."""
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            return None
        with os.fdopen(descriptor, "rb", closefd=False) as stream:
            return stream.read(MAX_BYTES + 1)
    except OSError:
        return None
    finally:
        os.close(descriptor)


@dataclass(slots=True)
class _Written:
    file: FileEdit
    old_backup: bytes | None  # the `.bak` that was there before, if any


def write_all(files: Sequence[FileEdit]) -> None:
    """Write every file, or (ApplyRefused) leave every one as it was."""
    done: list[_Written] = []
    for file in files:
        problem = _write_one(file, done)
        if problem is not None:
            restored = _restore(done)
            undone = f"; the {len(done)} file(s) written before it were put back" if done else ""
            raise ApplyRefused(f"{file.label}: {problem}; nothing was changed{undone}{restored}")


def _write_one(file: FileEdit, done: list[_Written]) -> str | None:
    if current_bytes(file.path) != file.raw:
        return "changed on disk since it was read; not overwritten (run apply again)"
    backup = backup_path(file.path)
    try:
        old_backup = backup.read_bytes() if backup.is_file() else None
    except OSError as error:
        return f"its backup {backup.name} cannot be read ({error.strerror or error})"
    try:
        write_bytes_atomic(file.path, file.new_raw, keep_backup=True)
    except OSError as error:
        return f"cannot be written ({error.strerror or error})"
    done.append(_Written(file, old_backup))
    if current_bytes(file.path) != file.new_raw:
        return "did not read back as written"
    return None


def _restore(done: list[_Written]) -> str:
    """Put back what was written; a sentence for any file that could not be put back."""
    failed = []
    for written in reversed(done):
        file = written.file
        try:
            write_bytes_atomic(file.path, file.raw)
            backup = backup_path(file.path)
            if written.old_backup is None:
                backup.unlink(missing_ok=True)
            else:
                write_bytes_atomic(backup, written.old_backup)
        except OSError as error:
            failed.append(f"{file.label} ({error.strerror or error})")
    if not failed:
        return ""
    return "; could not put back " + ", ".join(failed) + " (its .bak holds the old text)"
