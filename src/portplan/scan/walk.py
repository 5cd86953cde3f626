"""Finding the files to read under a folder, without leaving it.

Symbolic links are never followed out of the scanned folder: a link to a file inside it is
read under the link's name, a link to a folder is not descended (whatever it points to inside
the folder is walked anyway, and this keeps a loop of links from walking forever). Folders of
tools and dependencies (`.git`, `node_modules`, virtual environments) are not configuration
of the project and are left out, and so are `*.bak` files: the copies a save keeps.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from portplan.scan.kinds import FileKind
from portplan.scan.registry import kind_of
from portplan.scan.uses import FileNote, Place

SKIPPED_FOLDERS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        ".venv",
        "venv",
        "__pycache__",
        ".tox",
        ".nox",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".cache",
    }
)


BACKUP_SUFFIX = ".bak"


@dataclass(frozen=True, slots=True)
class FoundFile:
    path: Path
    label: str
    kind: FileKind


def join_label(base: str, relative: str) -> str:
    return os.path.normpath(os.path.join(base, relative)) if relative else os.path.normpath(base)


def find_files(root: Path, label: str) -> tuple[list[FoundFile], list[FileNote]]:
    """Files worth reading under `root`, sorted by path; notes for what was left out."""
    found: list[FoundFile] = []
    notes: list[FileNote] = []
    real_root = root.resolve()

    def unreadable(error: OSError) -> None:
        where = os.path.relpath(error.filename, root) if error.filename else "."
        notes.append(
            FileNote(
                "warning",
                Place(join_label(label, where)),
                f"folder cannot be read ({error.strerror or error})",
            )
        )

    # Top down, each folder's entries in name order, as `os.walk` would go, but with what
    # `scandir` already knows of each entry (a folder? a link?) instead of a `stat` per name.
    pending: list[tuple[str, str]] = [(os.fspath(root), "")]
    while pending:
        folder, relative_folder = pending.pop()
        entries = _entries(folder, unreadable)
        if entries is None:
            continue
        kept: list[tuple[str, str]] = []
        for name, is_folder, is_link in entries:
            if not is_folder:
                continue
            if name in SKIPPED_FOLDERS:
                continue
            if is_link:
                if reason := _link_refusal(Path(folder, name), real_root, "folder"):
                    where = join_label(label, os.path.join(relative_folder, name))
                    notes.append(FileNote("info", Place(where), reason))
                continue
            kept.append((os.path.join(folder, name), os.path.join(relative_folder, name)))
        for name, is_folder, is_link in entries:
            if is_folder:
                continue
            # `.env.bak` looks like an env file, but it is the copy a save keeps, not settings.
            kind = None if name.endswith(BACKUP_SUFFIX) else kind_of(name)
            if kind is None:
                continue
            full = Path(folder, name)
            file_label = join_label(label, os.path.join(relative_folder, name))
            if is_link and (reason := _link_refusal(full, real_root, "file")):
                notes.append(FileNote("info", Place(file_label), reason))
                continue
            found.append(FoundFile(full, file_label, kind))
        pending.extend(reversed(kept))  # the first subfolder is walked next
    found.sort(key=lambda item: item.label)
    return found, notes


def _entries(
    folder: str, unreadable: Callable[[OSError], None]
) -> list[tuple[str, bool, bool]] | None:
    """(name, is a folder (links followed), is a symbolic link) of each entry, by name."""
    entries: list[tuple[str, bool, bool]] = []
    try:
        with os.scandir(folder) as listing:
            for entry in listing:
                try:
                    is_folder = entry.is_dir()
                except OSError:
                    is_folder = False
                try:
                    is_link = entry.is_symlink()
                except OSError:
                    is_link = False
                entries.append((entry.name, is_folder, is_link))
    except OSError as error:
        unreadable(error)
        return None
    entries.sort()
    return entries


def _link_refusal(link: Path, real_root: Path, what: str) -> str | None:
    """Why a symbolic link is not followed, or None for a link to a place inside the folder."""
    try:
        target = link.resolve(strict=True)
    except (OSError, RuntimeError):
        return "broken symbolic link (or a loop of links); not followed"
    if target == real_root or target.is_relative_to(real_root):
        return None
    return f"symbolic link to a {what} outside the scanned folder; not followed"
