"""Writes that cannot hurt: links, backups, modes and the targets of `-o` survive every save.

Each test here failed before `portplan.safe_write`: a symlinked plan became a regular file, a
full disk truncated the `.bak`, a new plan got mode 0600, a hard link kept the old text, and
`export -o`/`import -o` replaced whatever sat at the path.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from portplan import safe_write
from portplan.safe_write import write_text_atomic
from portplan.store import load, save

RunCli = Callable[..., tuple[int, str, str]]

PLAN = """\
# ask #infra before changing
title = "Writes"

[[projects]]
name = "Alpha"
ports = "20000-20999"

[[projects.tiers]]
name = "Web"
ports = "20000-20099"
services = [
    { port = 20000, name = "Frontend" },  # public
]
"""

DOCUMENT = """\
# MASTER PORT ASSIGNMENTS - All Projects

## PORT RANGE ALLOCATIONS

| Port Range      | Project | Description |
| --------------- | ------- | ----------- |
| **16000-16999** | ALPHA   | First       |

## ALPHA (16000-16999)

### Web (16000-16099)

| Port      | Service | Description |
| --------- | ------- | ----------- |
| **16000** | UI      | Frontend    |
"""


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def moved(path: Path) -> None:
    """Save the plan at `path` with Frontend moved to 20001 (through the layout-keeping save)."""
    text = path.read_text(encoding="utf-8")
    plan = load(path)
    new = plan.model_copy(deep=True)
    new.projects[0].tiers[0].services[0].port = 20001
    from portplan.store import loads

    save(new, path, (text, loads(text)))


# --- symbolic and hard links ---------------------------------------------------------------


def test_a_save_through_a_symlink_updates_the_target_and_keeps_the_link(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "ports.toml"
    target.write_text(PLAN, encoding="utf-8")
    link = tmp_path / "ports.toml"
    link.symlink_to(Path("real") / "ports.toml")
    moved(link)
    assert link.is_symlink() and os.readlink(link) == str(Path("real") / "ports.toml")
    assert "port = 20001" in target.read_text(encoding="utf-8")
    # The backup and every temporary file live beside the real file, not beside the link.
    assert (tmp_path / "real" / "ports.toml.bak").read_text(encoding="utf-8") == PLAN
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ports.toml", "real"]
    assert sorted(p.name for p in (tmp_path / "real").iterdir()) == ["ports.toml", "ports.toml.bak"]


def test_rebase_write_through_a_symlink_keeps_the_link(tmp_path: Path, run_cli: RunCli) -> None:
    target = tmp_path / "shared.toml"
    target.write_text(PLAN, encoding="utf-8")
    link = tmp_path / "ports.toml"
    link.symlink_to(target)
    code, _, err = run_cli("rebase", "Alpha", "30000", str(link), "--write")
    assert code == 0, err
    assert link.is_symlink()
    assert 'ports = "30000-30999"' in target.read_text(encoding="utf-8")


def test_a_hard_linked_plan_keeps_its_link(tmp_path: Path) -> None:
    plan = tmp_path / "ports.toml"
    plan.write_text(PLAN, encoding="utf-8")
    other = tmp_path / "other-name.toml"
    os.link(plan, other)
    moved(plan)
    assert plan.stat().st_ino == other.stat().st_ino and plan.stat().st_nlink == 2
    assert other.read_bytes() == plan.read_bytes()
    assert "port = 20001" in other.read_text(encoding="utf-8")
    assert (tmp_path / "ports.toml.bak").read_text(encoding="utf-8") == PLAN
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "other-name.toml",
        "ports.toml",
        "ports.toml.bak",
    ]


# --- a full disk ---------------------------------------------------------------------------


class DiskFull:
    """Make the `fail_at`-th write of the save write half its bytes, then raise ENOSPC."""

    def __init__(self, fail_at: int) -> None:
        self.fail_at = fail_at
        self.writes = 0
        self.failed = False

    def wrap(self, stream: Any) -> Any:
        faults = self
        real_write = stream.write

        def write(data: bytes) -> int:
            faults.writes += 1
            if faults.writes == faults.fail_at:
                faults.failed = True
                real_write(data[: len(data) // 2])
                stream.flush()
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            return int(real_write(data))

        stream.write = write
        return stream


def _install(monkeypatch: pytest.MonkeyPatch, faults: DiskFull) -> None:
    real_fdopen, real_open = os.fdopen, open

    def fdopen(*args: Any, **kwargs: Any) -> Any:
        return faults.wrap(real_fdopen(*args, **kwargs))

    def opener(*args: Any, **kwargs: Any) -> Any:
        return faults.wrap(real_open(*args, **kwargs))

    monkeypatch.setattr(safe_write.os, "fdopen", fdopen)
    # The in-place rewrite of a hard-linked file opens it with the built-in `open`.
    monkeypatch.setattr(safe_write, "open", opener, raising=False)


@pytest.mark.parametrize("hard_linked", [False, True], ids=["plain", "hard-linked"])
@pytest.mark.parametrize("fail_at", [1, 2, 3])
def test_a_full_disk_leaves_the_plan_and_the_backup_as_they_were(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fail_at: int, hard_linked: bool
) -> None:
    plan = tmp_path / "ports.toml"
    plan.write_text(PLAN, encoding="utf-8")
    backup = tmp_path / "ports.toml.bak"
    backup.write_text("# the previous backup\n" + PLAN, encoding="utf-8")
    if hard_linked:
        os.link(plan, tmp_path / "other.toml")
    before = {path.name: path.read_bytes() for path in tmp_path.iterdir()}
    faults = DiskFull(fail_at)
    _install(monkeypatch, faults)
    try:
        moved(plan)
    except OSError as error:
        assert error.errno == errno.ENOSPC
    monkeypatch.undo()
    if not faults.failed:
        # Fewer writes than `fail_at`: this save did not need that many, and succeeded.
        assert fail_at == 3 and not hard_linked
        return
    assert {path.name: path.read_bytes() for path in tmp_path.iterdir()} == before


# --- modes ---------------------------------------------------------------------------------


@pytest.mark.usefixtures("umask_022")
def test_a_new_file_gets_0666_minus_the_umask(tmp_path: Path) -> None:
    path = tmp_path / "new.toml"
    write_text_atomic(path, PLAN)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


@pytest.mark.usefixtures("umask_022")
def test_import_creates_a_plan_readable_by_others(tmp_path: Path, run_cli: RunCli) -> None:
    document = tmp_path / "ports.md"
    document.write_text(DOCUMENT, encoding="utf-8")
    code, _, err = run_cli("import", str(document), "-o", str(tmp_path / "ports.toml"))
    assert code == 0, err
    assert stat.S_IMODE((tmp_path / "ports.toml").stat().st_mode) == 0o644


def test_a_new_file_follows_a_strict_umask(tmp_path: Path) -> None:
    old = os.umask(0o077)
    try:
        write_text_atomic(tmp_path / "new.toml", PLAN)
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.toml").stat().st_mode) == 0o600


@pytest.mark.parametrize("mode", [0o640, 0o604, 0o664])
def test_an_existing_file_keeps_its_mode_and_owner(tmp_path: Path, mode: int) -> None:
    plan = tmp_path / "ports.toml"
    plan.write_text(PLAN, encoding="utf-8")
    plan.chmod(mode)
    owner = (plan.stat().st_uid, plan.stat().st_gid)
    moved(plan)
    status = plan.stat()
    assert stat.S_IMODE(status.st_mode) == mode
    assert (status.st_uid, status.st_gid) == owner
    assert stat.S_IMODE((tmp_path / "ports.toml.bak").stat().st_mode) == mode


# --- what `-o` may replace -----------------------------------------------------------------


def _fifo(tmp_path: Path) -> Path:
    path = tmp_path / "out"
    os.mkfifo(path)
    return path


def _link_elsewhere(tmp_path: Path) -> Path:
    (tmp_path / "elsewhere").mkdir()
    outside = tmp_path / "elsewhere" / "precious.txt"
    outside.write_text("precious\n")
    path = tmp_path / "out"
    path.symlink_to(outside)
    return path


def _read_only(tmp_path: Path) -> Path:
    path = tmp_path / "out"
    path.write_text("read-only content\n")
    path.chmod(0o444)
    return path


def _snapshot(tmp_path: Path) -> dict[str, bytes | str]:
    found: dict[str, bytes | str] = {}
    for path in sorted(tmp_path.rglob("*")):
        status = path.lstat()
        if stat.S_ISREG(status.st_mode):
            found[str(path)] = path.read_bytes() + oct(status.st_mode).encode()
        else:
            found[str(path)] = oct(status.st_mode)
    return found


TARGETS = {"fifo": _fifo, "symlink": _link_elsewhere, "read-only": _read_only}


@pytest.mark.parametrize("make", TARGETS.values(), ids=list(TARGETS))
@pytest.mark.parametrize("command", ["export", "import"])
def test_dash_o_refuses_anything_but_a_regular_file_or_a_new_path(
    tmp_path: Path, run_cli: RunCli, command: str, make: Callable[[Path], Path]
) -> None:
    source = tmp_path / "ports.toml"
    source.write_text(PLAN, encoding="utf-8")
    document = tmp_path / "ports.md"
    document.write_text(DOCUMENT, encoding="utf-8")
    target = make(tmp_path)
    before = _snapshot(tmp_path)
    if command == "export":
        args = ["export", str(source), "--format", "json", "-o", str(target)]
    else:
        args = ["import", str(document), "-o", str(target)]
    code, out, err = run_cli(*args)
    assert (code, out) == (2, "")
    assert len(err.splitlines()) == 1 and err.startswith(f"portplan: will not write {target}")
    assert _snapshot(tmp_path) == before


@pytest.mark.parametrize("text", ["", "# Master port assignments\n\nNothing assigned yet.\n"])
def test_importing_a_document_without_projects_writes_nothing(
    tmp_path: Path, run_cli: RunCli, text: str
) -> None:
    document = tmp_path / "empty.md"
    document.write_text(text, encoding="utf-8")
    plan = tmp_path / "ports.toml"
    plan.write_text(PLAN, encoding="utf-8")
    before = _snapshot(tmp_path)
    code, out, err = run_cli("import", str(document), "-o", str(plan))
    assert code != 0 and out == ""
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert _snapshot(tmp_path) == before
