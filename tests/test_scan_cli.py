"""`portplan scan` end to end: output, JSON and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from portplan.cli import main
from tests.scan_helpers import PLAN_TEXT, write


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PORTPLAN_FILE", raising=False)
    write(tmp_path / "plan.toml", PLAN_TEXT)
    write(
        tmp_path / "alpha" / "docker-compose.yml",
        "services:\n  web: {ports: ['16000:3000', '16080:80', '16432:5432', '16450:1/udp']}\n",
    )
    write(tmp_path / "beta" / ".env", "WEB_URL=http://localhost:26000/\n")
    return tmp_path


def test_clean_projects_exit_0(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["scan", "--plan", "plan.toml"]) == 0
    out = capsys.readouterr().out
    assert "alpha → ALPHA: 1 file, 4 host ports" in out
    assert "✓ alpha/docker-compose.yml:2  16432/tcp" in out
    assert out.rstrip().endswith("✓ files agree with the plan: 0 errors, 0 warnings, 0 info")


def test_drift_exits_1_and_names_file_and_line(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(workspace / "beta" / "compose.yaml", "services:\n  a:\n    ports: ['16000:80']\n")
    assert main(["scan", "--plan", "plan.toml"]) == 1
    out = capsys.readouterr().out
    assert "✗ beta/compose.yaml:3  16000/tcp" in out
    assert "beta/compose.yaml:3: port 16000 is inside another project's range: ALPHA" in out
    assert "[PP202 cross-project]" in out


def test_json_format(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(workspace / "alpha" / ".env", "EXTRA_URL=http://localhost:16099/\n")
    assert main(["scan", "alpha", "--plan", "plan.toml", "--format", "json"]) == 1
    document = json.loads(capsys.readouterr().out)
    assert [folder["project"] for folder in document["result"]["folders"]] == ["ALPHA"]
    [finding] = document["findings"]
    assert (finding["kind"], finding["file"], finding["line"], finding["ports"]) == (
        "unplanned-port",
        "alpha/.env",
        1,
        [16099],
    )
    assert document["summary"] == {"error": 0, "warning": 1, "info": 0, "accepted": 0}
    assert document["result"]["file_problems"] == 0


def test_untied_folder(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(workspace / "misc" / "compose.yaml", "services:\n  a: {ports: ['26000:80']}\n")
    assert main(["scan", "misc", "--plan", "plan.toml"]) == 0
    assert "misc (no project)" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["scan", "missing", "--plan", "plan.toml"], "missing: no such folder"),
        (["scan", "alpha", "--plan", "plan.toml", "--project", "NOPE"], "no project or tier"),
        (["scan", "--plan", "absent.toml"], "absent.toml: no such file"),
        (["scan", "--plan", "alpha"], "alpha: is a directory"),
    ],
)
def test_bad_arguments_exit_2(
    workspace: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert message in captured.err
    assert "Traceback" not in captured.err
    assert captured.out == ""
