"""Writing a user's file so that no failure can hurt it, its backup, its link or its mode.

A save goes to a temporary file in the real file's own folder (through a symbolic link, so the
link keeps pointing at the updated file), is flushed to disk, and only then replaces anything:
first the `.bak` (a complete copy of the old file, also written aside first), then the file;
should that last step fail, the previous `.bak` is put back. A full disk or a crash at any
moment leaves the old file and the old backup as they were. New files get the usual `0666 &
~umask`; an existing file keeps its mode, owner and group. A file with more than one hard link
is rewritten in place once the new text and the backup are safely on disk, so every name keeps
showing the same, new text.
"""

from __future__ import annotations

import os
import secrets
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from portplan.errors import UsageError

__all__ = ["backup_path", "check_output_target", "write_bytes_atomic", "write_text_atomic"]


def write_text_atomic(path: Path, text: str, *, keep_backup: bool = False) -> None:
    """Replace `path` with `text` all at once; with `keep_backup`, the old file becomes .bak."""
    write_bytes_atomic(path, text.encode("utf-8"), keep_backup=keep_backup)


def backup_path(path: Path) -> Path:
    """Where a save with `keep_backup` keeps the old file: beside the real file, `.bak` added."""
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    return target.with_name(target.name + ".bak")


def write_bytes_atomic(path: Path, data: bytes, *, keep_backup: bool = False) -> None:
    """`write_text_atomic` for bytes: a file whose encoding (a byte order mark) is kept."""
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    folder = target.parent if str(target.parent) else Path(".")
    folder.mkdir(parents=True, exist_ok=True)
    try:
        status: os.stat_result | None = target.stat()
    except FileNotFoundError:
        status = None
    written = _write_aside(folder, target.name, data, status)
    hard_linked = status is not None and status.st_nlink > 1
    try:
        if keep_backup and status is not None:
            backup = _write_aside(folder, target.name, target.read_bytes(), status)
            with _replaced_backup(target.with_name(target.name + ".bak"), backup):
                _commit(target, written, data, hard_linked)
        else:
            _commit(target, written, data, hard_linked)
    finally:
        written.unlink(missing_ok=True)
    _fsync_folder(folder)


def _commit(target: Path, written: Path, data: bytes, hard_linked: bool) -> None:
    """The one step that makes the new text the file's: a rename, or for a hard-linked
    file an in-place rewrite (which puts the old text back if it fails)."""
    if hard_linked:
        _rewrite_in_place(target, data)
    else:
        os.replace(written, target)


@contextmanager
def _replaced_backup(bak: Path, backup: Path) -> Iterator[None]:
    """Make `backup` the `.bak` for the time of the body; if the body fails, the previous
    `.bak` (kept aside under a temporary name, a hard link where the file system has them)
    is put back, so a failed save leaves the backup as it was too."""
    previous: Path | None = None
    try:
        if bak.exists():
            previous = _keep_aside(bak)
        os.replace(backup, bak)
    except BaseException:
        backup.unlink(missing_ok=True)
        if previous is not None:
            previous.unlink(missing_ok=True)
        raise
    try:
        yield
    except BaseException:
        if previous is None:
            bak.unlink(missing_ok=True)
        else:
            os.replace(previous, bak)  # if even this fails, the old backup stays aside
        raise
    if previous is not None:
        previous.unlink(missing_ok=True)


def _keep_aside(path: Path) -> Path:
    """A second name for `path`'s current content, beside it, that a replace leaves alone."""
    for _ in range(100):
        aside = path.with_name(f".{path.name}.{secrets.token_hex(4)}.previous")
        try:
            os.link(path, aside)
        except FileExistsError:
            continue
        except OSError:
            break  # no hard links here (some network and FAT file systems): copy it
        return aside
    return _write_aside(path.parent, path.name, path.read_bytes(), path.stat())


def _write_aside(folder: Path, name: str, data: bytes, status: os.stat_result | None) -> Path:
    """`data` in a new temporary file beside `name`, flushed, with the mode the file should get."""
    handle, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
    path = Path(temporary)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if status is None:
            os.chmod(path, 0o666 & ~_umask())
        else:
            os.chmod(path, stat.S_IMODE(status.st_mode))
            _keep_owner(path, status)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


def _keep_owner(path: Path, status: os.stat_result) -> None:
    # Only root (or the owner, for a group it belongs to) may give a file away; anyone else
    # writing someone else's file in a shared folder makes a file of their own, as editors do.
    if not hasattr(os, "chown"):
        return
    try:
        os.chown(path, status.st_uid, status.st_gid)
    except PermissionError:
        try:
            os.chown(path, -1, status.st_gid)
        except PermissionError:
            pass


def _rewrite_in_place(target: Path, data: bytes) -> None:
    """Overwrite a hard-linked file's content, putting the old content back if that fails."""
    old = target.read_bytes()
    try:
        with open(target, "r+b") as stream:
            stream.write(data)
            stream.truncate()
            stream.flush()
            os.fsync(stream.fileno())
    except BaseException:
        with open(target, "r+b") as stream:
            stream.write(old)
            stream.truncate()
        raise


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _fsync_folder(folder: Path) -> None:
    # Makes the rename itself durable; not every platform lets a folder be opened.
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def check_output_target(path: Path) -> None:
    """Refuse, in one sentence, to write an output anywhere but a regular file or a new path."""
    try:
        status = path.lstat()
    except FileNotFoundError:
        return
    except OSError as error:
        raise UsageError(f"cannot write {path}: {error.strerror}") from None
    mode = status.st_mode
    if stat.S_ISLNK(mode):
        raise UsageError(
            f"will not write {path}: it is a symbolic link (to {os.readlink(path)}); "
            "name the file itself"
        )
    if not stat.S_ISREG(mode):
        kind = _kind(mode)
        raise UsageError(f"will not write {path}: it is {kind}, not a regular file")
    # Root may write anything: a file without a single write bit is read-only all the same.
    if not os.access(path, os.W_OK) or not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        raise UsageError(f"will not write {path}: it is read-only")


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"
