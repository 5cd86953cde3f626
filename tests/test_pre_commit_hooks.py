"""The hooks of .pre-commit-hooks.yaml, installed the way a user's repository installs them.

`pre-commit try-repo` builds the hook environment from this checkout (a virtualenv with
`pip install .`, honouring the machine's pip configuration), then runs the hooks in a
temporary repository: they must fail on a bad plan and drifting files and pass on good ones.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from tests.scan_helpers import PLAN_TEXT

ROOT = Path(__file__).resolve().parents[1]
HOOKS = {hook["id"]: hook for hook in YAML(typ="safe").load(ROOT / ".pre-commit-hooks.yaml")}


@pytest.mark.parametrize(
    ("hook", "path", "runs"),
    [
        ("portplan-check", "ports.toml", True),
        ("portplan-check", "data/ports.toml", True),
        ("portplan-check", "ports.toml.bak", False),
        ("portplan-check", "compose.yaml", False),
        ("portplan-scan", "compose.yaml", True),
        ("portplan-scan", "svc/docker-compose.override.yml", True),
        ("portplan-scan", "svc/.env", True),
        ("portplan-scan", "svc/.env.local", True),
        ("portplan-scan", "svc/app.env", True),
        ("portplan-scan", "k8s/deployment.yaml", True),
        ("portplan-scan", "data/ports.toml", True),
        ("portplan-scan", "README.md", False),
        ("portplan-scan", "src/environment.py", False),
    ],
)
def test_each_hook_runs_when_its_files_change(hook: str, path: str, runs: bool) -> None:
    # pre-commit matches `files` with re.search against the path from the repository root.
    assert bool(re.search(HOOKS[hook]["files"], path)) is runs


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=test", "-c", "user.email=test@example.com", *args],
        cwd=repo,
        check=True,
        capture_output=True,
    )


def try_repo(repo: Path, home: Path) -> subprocess.CompletedProcess[str]:
    """Every hook of this checkout (uncommitted edits included) on every file of `repo`.

    try-repo installs into a fresh temporary store on each call, so each call costs one
    environment build: the test makes two.
    """
    environment = {**os.environ, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1"}
    environment.pop("PORTPLAN_FILE", None)
    command = [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "--all-files"]
    return subprocess.run(
        command, cwd=repo, env=environment, capture_output=True, text=True, timeout=900
    )


def test_try_repo_fails_on_a_bad_plan_and_drift_and_passes_on_good_ones(tmp_path: Path) -> None:
    repo, home = tmp_path / "repo", tmp_path / "pre-commit-home"
    repo.mkdir()
    git(repo, "init", "-q")
    clashing = PLAN_TEXT.replace("{ port = 16080, ", "{ port = 16000, ")
    (repo / "ports.toml").write_text(clashing, encoding="utf-8")
    (repo / "alpha").mkdir()
    compose = repo / "alpha" / "compose.yaml"
    compose.write_text("services:\n  web:\n    ports: ['16000:80', '26000:80']\n")
    (repo / "beta").mkdir()
    (repo / "beta" / ".env").write_text("WEB_PORT=26000\n")
    git(repo, "add", ".")

    result = try_repo(repo, home)
    assert result.returncode == 1, result.stdout + result.stderr
    assert re.search(r"^portplan check\.+Failed$", result.stdout, re.M), result.stdout
    assert re.search(r"^portplan scan\.+Failed$", result.stdout, re.M), result.stdout
    assert "duplicate-port" in result.stdout and "cross-project" in result.stdout

    (repo / "ports.toml").write_text(PLAN_TEXT, encoding="utf-8")
    compose.write_text("services:\n  web:\n    ports: ['16000:80', '16080:8080']\n")
    git(repo, "add", ".")
    result = try_repo(repo, home)
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"^portplan check\.+Passed$", result.stdout, re.M), result.stdout
    assert re.search(r"^portplan scan\.+Passed$", result.stdout, re.M), result.stdout
