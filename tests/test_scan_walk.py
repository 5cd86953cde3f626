"""The scan's walker finds exactly what the `os.walk` walker it replaced found.

`find_files` lists each folder once with `os.scandir` and uses what it already knows of each
entry (a folder, a link) instead of asking the file system again per name. The oracle below
is the walker as it was, on `os.walk`; random trees of folders, files of every kind, backup
copies, skipped folders, links to files and folders inside and outside the scanned folder,
broken links and folders that cannot be listed (`z-z`) must give the same files, labels,
kinds and notes, in the same order.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from unittest import mock

from hypothesis import given
from hypothesis import strategies as st

from portplan.scan.registry import kind_of
from portplan.scan.uses import FileNote, Place
from portplan.scan.walk import (
    BACKUP_SUFFIX,
    SKIPPED_FOLDERS,
    FoundFile,
    _link_refusal,
    find_files,
    join_label,
)


def walked_with_os_walk(root: Path, label: str) -> tuple[list[FoundFile], list[FileNote]]:
    """The walker before `scandir`: the reference."""
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

    for folder, subfolders, files in os.walk(root, followlinks=False, onerror=unreadable):
        relative_folder = os.path.relpath(folder, root)
        relative_folder = "" if relative_folder == "." else relative_folder
        kept: list[str] = []
        for name in sorted(subfolders):
            full = Path(folder, name)
            if name in SKIPPED_FOLDERS:
                continue
            if full.is_symlink():
                if reason := _link_refusal(full, real_root, "folder"):
                    where = join_label(label, os.path.join(relative_folder, name))
                    notes.append(FileNote("info", Place(where), reason))
                continue
            kept.append(name)
        subfolders[:] = kept
        for name in sorted(files):
            kind = None if name.endswith(BACKUP_SUFFIX) else kind_of(name)
            if kind is None:
                continue
            full = Path(folder, name)
            file_label = join_label(label, os.path.join(relative_folder, name))
            if full.is_symlink() and (reason := _link_refusal(full, real_root, "file")):
                notes.append(FileNote("info", Place(file_label), reason))
                continue
            found.append(FoundFile(full, file_label, kind))
    found.sort(key=lambda item: item.label)
    return found, notes


@contextmanager
def unlistable(name: str) -> Iterator[None]:
    """Folders called `name` cannot be listed (as a folder without read permission, which
    the suite's user may be able to read anyway): both walkers list through `os.scandir`."""
    real = os.scandir

    def scandir(path: Any) -> Any:
        if os.path.basename(os.fspath(path)) == name:
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real(path)

    with mock.patch.object(os, "scandir", scandir):
        yield


FOLDERS = ["a", "b", "k8s", "B", "node_modules", ".git", "deploy", "z-z"]
FILES = [
    "compose.yaml",
    "docker-compose.override.yml",
    "Compose.YML",
    ".env",
    ".env.local",
    "prod.env",
    ".env.bak",
    "compose.yaml.bak",
    "deploy.yaml",
    "values.json",
    "README.md",
    "main.py",
]
# (kind, where, name, target): a folder or file at `where`, or a link to `target`.
steps = st.lists(
    st.tuples(
        st.sampled_from(["folder", "file", "file", "link"]),
        st.lists(st.sampled_from(FOLDERS), max_size=3).map("/".join),
        st.sampled_from(FOLDERS + FILES),
        st.sampled_from(["inside-file", "inside-folder", "outside", "missing", "self"]),
    ),
    max_size=25,
)


def build(root: Path, outside: Path, plan: list[tuple[str, str, str, str]]) -> None:
    (outside / "elsewhere").mkdir(parents=True, exist_ok=True)
    (outside / "compose.yaml").write_text("services: {}\n", encoding="utf-8")
    root.mkdir()
    for kind, where, name, target in plan:
        folder = root / where
        ancestors = [root.joinpath(*Path(where).parts[:n]) for n in range(len(Path(where).parts))]
        if any(p.is_symlink() or (p.exists() and not p.is_dir()) for p in [*ancestors, folder]):
            continue  # a link or a file where a folder should be: leave it as it is
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / name
        if os.path.lexists(path):
            continue
        if kind == "folder":
            path.mkdir()
        elif kind == "file":
            path.write_text("x\n", encoding="utf-8")
        else:
            pointed = {
                "inside-file": root / "compose.yaml",
                "inside-folder": root / "a",
                "outside": outside / ("elsewhere" if name in FOLDERS else "compose.yaml"),
                "missing": root / "nothing-here",
                "self": path,
            }[target]
            os.symlink(pointed, path)


def test_a_folder_that_cannot_be_listed_is_a_note_as_before(tmp_path: Path) -> None:
    build(tmp_path / "root", tmp_path / "out", [("file", "a/z-z", "compose.yaml", "self")])
    with unlistable("z-z"):
        found = find_files(tmp_path / "root", "p")
        assert found == walked_with_os_walk(tmp_path / "root", "p")
    assert [str(note) for note in found[1]] == [
        "p/a/z-z: folder cannot be read (Permission denied)"
    ]


@given(plan=steps, label=st.sampled_from(["proj", "./proj/", "../x", "."]))
def test_the_same_files_and_notes_as_the_os_walk_walker(
    plan: list[tuple[str, str, str, str]], label: str
) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        root, outside = Path(scratch, "root"), Path(scratch, "outside")
        build(root, outside, plan)
        with unlistable("z-z"):
            assert find_files(root, label) == walked_with_os_walk(root, label)
