"""`portplan apply` end to end: the rebase-then-apply migration on the reference plan, the
exit statuses, and the safety rules (all files or none, changed-on-disk guard, read-only
files, files outside the folder, backups and modes)."""

from __future__ import annotations

import errno
import os
import re
import shutil
import stat
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

import portplan.apply.build
import portplan.apply.files
from portplan.apply import ApplyRefused, prepare, write_all
from tests.apply_helpers import NEW_TEXT, OLD_TEXT, lay_out, new_plan, old_plan, targets

RunCli = Callable[..., tuple[int, str, str]]

# A project folder of the reference plan's NEURECTOMY, written with its ports before a rebase.
NEURECTOMY_FILES = {
    "docker-compose.yml": (
        "# NEURECTOMY development stack\n"
        "services:\n"
        "  spectrum:\n"
        "    image: node:22\n"
        "    ports:\n"
        '      - "16000:5173"   # Vite\n'
        "  api:\n"
        "    ports:\n"
        "      - target: 8080\n"
        '        published: "16080"\n'
        "  postgres:\n"
        "    image: postgres:16\n"
        "    ports:\n"
        '      - "${PG_PORT:-5432}:5432"\n'
        "  redis:\n"
        "    ports: ['127.0.0.1:16500:6379']\n"
        "  nats:\n"
        "    ports:\n"
        '      - "16522-16523:4222-4223"\n'
    ),
    ".env": "PG_PORT=16432\r\nCORS_ORIGINS=http://localhost:16000,http://localhost:16001\r\n",
    "k8s/realtime.yaml": (
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: ws\n"
        "spec:\n  type: NodePort\n  ports:\n    - port: 80\n      nodePort: 16083  # ws\n"
        "---\n"
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ml\n"
        "spec:\n  template:\n    spec:\n      containers:\n        - name: ml\n"
        "          ports:\n            - containerPort: 8000\n              hostPort: 16081"
    ),
}
MOVED_PORTS = {16000, 16001, 16080, 16081, 16083, 16432, 16500, 16522, 16523}


def git(folder: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.email=t@example.com", "-c", "user.name=t", *args],
        cwd=folder,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def only_digits_differ(removed: list[str], added: list[str]) -> bool:
    return [re.sub("[0-9]+", "#", line) for line in removed] == [
        re.sub("[0-9]+", "#", line) for line in added
    ]


def test_rebase_then_apply_from_git_moves_every_port_and_nothing_else(
    reference_plan_path: Path, run_cli: RunCli, pinned_ephemeral: None
) -> None:
    plan = reference_plan_path
    text = plan.read_text(encoding="utf-8")
    anchor = 'description = "AI Development IDE/Platform"\n'
    plan.write_text(text.replace(anchor, anchor + 'paths = ["neurectomy"]\n', 1), "utf-8")
    folder = plan.parent / "neurectomy"
    lay_out(folder, dict(NEURECTOMY_FILES))
    git(plan.parent, "init", "-q", ".")
    git(plan.parent, "add", "-A")
    git(plan.parent, "commit", "-qm", "before")
    assert run_cli("scan", str(plan))[0] == 0

    assert run_cli("rebase", "NEURECTOMY", "17000", str(plan), "--write")[0] == 0
    code, out, err = run_cli("apply", str(plan), "--from", "git:HEAD")
    assert code == 1, err
    removed = [line[1:] for line in out.splitlines() if line.startswith("-") and line[1:2] != "-"]
    added = [line[1:] for line in out.splitlines() if line.startswith("+") and line[1:2] != "+"]
    assert len(removed) == len(added) > 0 and only_digits_differ(removed, added)
    assert git(plan.parent, "status", "--porcelain", "neurectomy") == ""  # a dry run

    code, out, _ = run_cli("apply", str(plan), "--from", "git:HEAD", "--write")
    assert code == 1 and "wrote" in out
    assert run_cli("scan", str(plan))[0] == 0  # no drift
    diff = git(plan.parent, "diff", "-U0", "--", "neurectomy")
    changed = [line for line in diff.splitlines() if line[:1] in "-+" and line[1:2] not in "-+"]
    old_lines = [line[1:] for line in changed if line.startswith("-")]
    new_lines = [line[1:] for line in changed if line.startswith("+")]
    assert only_digits_differ(old_lines, new_lines)
    # One changed line per line that held a moved port (two ports share the CORS line).
    holding = [
        line
        for content in NEURECTOMY_FILES.values()
        for line in content.splitlines()
        if any(str(port) in line for port in MOVED_PORTS)
    ]
    assert sorted(line.rstrip("\r") for line in old_lines) == sorted(holding)
    assert run_cli("apply", str(plan), "--from", "git:HEAD")[0] == 0  # nothing left to do


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """ports.toml (the moved plan), old.toml (before), and alpha/ with the old ports."""
    (tmp_path / "ports.toml").write_text(NEW_TEXT, encoding="utf-8")
    (tmp_path / "old.toml").write_text(OLD_TEXT, encoding="utf-8")
    lay_out(
        tmp_path / "alpha",
        {
            "compose.yml": "services:\n  web:\n    ports: ['15000:5173']\n",
            ".env": "PG_PORT=15432\n",
            "k8s/api.yaml": "apiVersion: v1\nkind: Pod\nmetadata: {name: api}\nspec:\n"
            "  containers:\n    - name: api\n      ports: [{containerPort: 80, hostPort: 15080}]\n",
        },
    )
    (tmp_path / "alpha" / "compose.yml").write_text(
        "services:\n  web:\n    ports: ['15000:5173']\n  db:\n    ports: ['${PG_PORT}:5432']\n",
        encoding="utf-8",
    )
    return tmp_path


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_a_dry_run_shows_the_diff_and_writes_nothing(project: Path, run_cli: RunCli) -> None:
    before = snapshot(project / "alpha")
    code, out, err = run_cli(
        "apply", "--plan", str(project / "ports.toml"), "--from", str(project / "old.toml")
    )
    assert code == 1
    assert "-    ports: ['15000:5173']" in out and "+    ports: ['16000:5173']" in out
    assert "+PG_PORT=16432" in out and "3 ports to change in 3 files" in out
    assert "run again with --write" in err
    assert snapshot(project / "alpha") == before


def test_write_keeps_backups_and_modes(project: Path, run_cli: RunCli) -> None:
    compose = project / "alpha" / "compose.yml"
    original = compose.read_bytes()
    compose.chmod(0o640)
    code, _, _ = run_cli(
        "apply", str(project / "ports.toml"), "--from", str(project / "old.toml"), "--write"
    )
    assert code == 1
    assert b"16000:5173" in compose.read_bytes()
    assert (project / "alpha" / "compose.yml.bak").read_bytes() == original
    assert stat.S_IMODE(compose.stat().st_mode) == 0o640
    assert (project / "alpha" / ".env").read_text() == "PG_PORT=16432\n"
    # The backups are not read as settings: the folder now agrees with the plan.
    assert run_cli("scan", str(project / "ports.toml"))[0] == 0


def test_nothing_to_do_exits_0(project: Path, run_cli: RunCli) -> None:
    args = ("apply", str(project / "ports.toml"), "--from", str(project / "old.toml"))
    assert run_cli(*args, "--write")[0] == 1
    code, out, _ = run_cli(*args)
    assert code == 0 and "nothing to change" in out


UNREADABLE = {
    "duplicate keys": b"services:\n  web:\n    ports: ['16000:5173']\n  web:\n    image: x\n",
    "not UTF-8": b"services:\n  web:\n    image: caf\xe9\n    ports: ['16000:5173']\n",
    "alias bomb": b"a: &a [x, x, x, x, x, x, x, x, x]\n"
    + b"".join(b"%c: &%c [*%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c]\n" % ((n, n) + (n - 1,) * 9)
               for n in range(ord("b"), ord("k")))
    + b"services:\n  web:\n    ports: ['16000:5173']\n    x: *j\n",
}  # fmt: skip


@pytest.mark.parametrize("content", list(UNREADABLE.values()), ids=list(UNREADABLE))
def test_unreadable_files_are_not_called_agreement(
    tmp_path: Path, run_cli: RunCli, content: bytes
) -> None:
    (tmp_path / "ports.toml").write_text(NEW_TEXT, encoding="utf-8")
    lay_out(tmp_path / "alpha", {"compose.yml": content})
    scanned = run_cli("scan", str(tmp_path / "ports.toml"))
    code, out, _ = run_cli("apply", str(tmp_path / "ports.toml"))
    assert code == scanned[0] == 1
    assert "the files say what the plan says" not in out
    assert "nothing to change; 0 items need a decision; 1 file could not be read in full" in out
    assert "files not read in full (1)" in out


def test_a_fifo_named_like_a_compose_file_is_not_called_agreement(
    tmp_path: Path, run_cli: RunCli
) -> None:
    (tmp_path / "ports.toml").write_text(NEW_TEXT, encoding="utf-8")
    (tmp_path / "alpha").mkdir()
    os.mkfifo(tmp_path / "alpha" / "compose.yml")
    code, out, _ = run_cli("apply", str(tmp_path / "ports.toml"))
    assert code == 1 and "1 file could not be read in full" in out


def test_without_from_only_unambiguous_fixes_are_made(tmp_path: Path, run_cli: RunCli) -> None:
    (tmp_path / "ports.toml").write_text(NEW_TEXT, encoding="utf-8")
    lay_out(
        tmp_path / "alpha",
        {
            "compose.yml": "services:\n"
            "  postgres:\n    ports: ['5432:5432']\n"  # PostgreSQL's, by name and by port
            "  cache:\n    ports: ['6380:6379']\n",  # no service answers to it
        },
    )
    code, out, _ = run_cli("apply", str(tmp_path / "ports.toml"), "--write")
    assert code == 1
    text = (tmp_path / "alpha" / "compose.yml").read_text()
    assert "'16432:5432'" in text and "'6380:6379'" in text
    assert "needs a decision (1)" in out and "port 6380" in out


def test_a_file_changed_since_the_scan_is_not_overwritten(tmp_path: Path) -> None:
    folder = tmp_path / "alpha"
    lay_out(
        folder,
        {
            "compose.yml": "services:\n  web:\n    ports: ['15000:5173']\n",
            ".env": "API_URL=http://localhost:15080\n",
        },
    )
    preparation = prepare(new_plan(), targets(folder), old_plan())
    (folder / "compose.yml").write_text("services: {}\n", encoding="utf-8")  # someone else
    env_before = (folder / ".env").read_bytes()
    with pytest.raises(ApplyRefused, match="changed on disk"):
        write_all(sorted(preparation.files, key=lambda file: file.label))
    assert (folder / "compose.yml").read_text() == "services: {}\n"
    assert (folder / ".env").read_bytes() == env_before
    assert not (folder / ".env.bak").exists()


def test_a_failed_write_puts_back_the_files_already_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "alpha"
    files = {
        ".env": "API_URL=http://localhost:15080\n",
        "compose.yml": "services:\n  web:\n    ports: ['15000:5173']\n",
        "compose.yml.bak": "an older copy\n",
    }
    lay_out(folder, files)
    preparation = prepare(new_plan(), targets(folder), old_plan())
    assert [file.label for file in preparation.files] == ["alpha/.env", "alpha/compose.yml"]
    real_write = portplan.apply.files.write_bytes_atomic
    calls: list[Path] = []

    def full_disk_on_the_second_file(path: Path, data: bytes, **kwargs: bool) -> None:
        calls.append(path)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_write(path, data, **kwargs)

    monkeypatch.setattr(portplan.apply.files, "write_bytes_atomic", full_disk_on_the_second_file)
    with pytest.raises(ApplyRefused, match="put back") as refused:
        write_all(preparation.files)
    assert "alpha/compose.yml: cannot be written" in str(refused.value)
    assert snapshot(folder) == {name: text.encode() for name, text in files.items()}


def test_an_edit_that_would_not_read_back_writes_nothing(
    project: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(project / "alpha")

    def off_by_one(text: str, edits: list[object]) -> str:
        return text.replace("15000", "16001").replace("15432", "16432").replace("15080", "16080")

    monkeypatch.setattr(portplan.apply.build, "new_text", off_by_one)
    code, out, err = run_cli(
        "apply", str(project / "ports.toml"), "--from", str(project / "old.toml"), "--write"
    )
    assert (code, out) == (2, "")
    assert "would not read back as intended" in err and "port 16000 is missing" in err
    assert len(err.splitlines()) == 1
    assert snapshot(project / "alpha") == before


def test_a_read_only_file_is_reported_and_left_alone(project: Path, run_cli: RunCli) -> None:
    env = project / "alpha" / ".env"
    env.chmod(0o444)
    code, out, _ = run_cli(
        "apply", str(project / "ports.toml"), "--from", str(project / "old.toml"), "--write"
    )
    assert code == 1
    assert "alpha/.env: read-only; not changed" in out
    assert env.read_text() == "PG_PORT=15432\n"
    assert "16000:5173" in (project / "alpha" / "compose.yml").read_text()


def test_a_file_outside_the_folder_is_never_written(tmp_path: Path) -> None:
    shared = tmp_path / "shared" / "compose.yml"
    lay_out(tmp_path / "shared", {"compose.yml": "services:\n  api:\n    ports: ['15080:80']\n"})
    folder = tmp_path / "alpha"
    lay_out(folder, {"compose.yml": "include:\n  - ../shared/compose.yml\n"})
    (folder / "linked.env").symlink_to(tmp_path / "shared" / "compose.yml")
    preparation = prepare(new_plan(), targets(folder), old_plan())
    write_all(preparation.files)
    assert preparation.files == []
    assert preparation.skipped == [
        f"{os.path.normpath(shared)}: outside the folders being applied; not changed"
    ]
    assert "15080" in shared.read_text()


def test_a_folder_name_cannot_print_a_line_of_its_own(project: Path, run_cli: RunCli) -> None:
    hostile = project / "a\n✓ nothing to change: the files say what the plan says\n"
    shutil.copytree(project / "alpha", hostile)
    code, out, _ = run_cli(
        "apply",
        str(hostile),
        "--project",
        "ALPHA",
        "--plan",
        str(project / "ports.toml"),
        "--from",
        str(project / "old.toml"),
    )
    assert code == 1
    assert not any(line.startswith("✓") for line in out.splitlines())
    assert "a\\n✓ nothing to change" in out  # the name, shown on the diff's header line
