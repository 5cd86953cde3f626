"""One command line: the plan given the same way everywhere, --quiet, exit statuses in every
--help and the README, and completion scripts generated from the parsers."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from portplan.cli import COMMANDS, EXIT_STATUS, main
from tests.scan_helpers import PLAN_TEXT, write

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "plan.toml", PLAN_TEXT)
    write(tmp_path / "alpha" / "compose.yaml", "services:\n  web: {ports: ['16000:80']}\n")
    write(tmp_path / "beta" / ".env", "WEB_PORT=26000\n")
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# Each command with its other arguments; PLAN goes positionally or as --plan.
WITH_A_PLAN = [
    ["check"],
    ["where", "16000"],
    ["next", "ALPHA/Web"],
    ["rebase", "BETA", "27000"],
    ["export", "--format", "csv"],
    ["scan"],
]


@pytest.mark.parametrize("argv", WITH_A_PLAN)
def test_plan_positional_option_and_default_search_agree(
    workspace: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    positional = run(capsys, *argv, "plan.toml")
    option = run(capsys, *argv, "--plan", "plan.toml")
    assert positional == option
    assert positional[0] in (0, 1), positional
    # Found by the default search, as ./ports.toml, without naming it at all.
    (workspace / "plan.toml").rename(workspace / "ports.toml")
    found = run(capsys, *argv)
    assert found[0] == positional[0]
    assert found[1] == positional[1].replace("plan.toml", "ports.toml")


@pytest.mark.parametrize("argv", WITH_A_PLAN)
def test_two_different_plans_are_refused_in_one_line(
    workspace: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    write(workspace / "other.toml", PLAN_TEXT)
    code, out, err = run(capsys, *argv, "plan.toml", "--plan", "other.toml")
    assert (code, out) == (2, "")
    assert err == "portplan: two plans given: 'plan.toml' and --plan 'other.toml'; give one\n"


def test_quiet_leaves_only_the_report(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "check", "plan.toml", "--format", "json", "--quiet")
    assert (code, err) == (0, "") and json.loads(out)["command"] == "check"
    code, out, err = run(capsys, "check", "plan.toml", "-q")
    assert (code, out, err) == (0, "", "")
    code, out, err = run(capsys, "rebase", "BETA", "27000", "plan.toml", "-q")
    assert code == 0 and err == "" and out.startswith("rebase BETA to 27000")


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_help_states_the_exit_status(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main([name, "--help"])
    assert stopped.value.code == 0
    help_text = " ".join(capsys.readouterr().out.split())
    assert "Exit status:" in help_text
    assert "--quiet" in help_text


def test_the_readme_lists_every_commands_exit_status() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("### Exit status") :]
    for name in COMMANDS:
        assert re.search(rf"^\| `{name}` \|", table, re.M), name
    assert set(EXIT_STATUS) == set(COMMANDS)


def completion(shell: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "portplan", "completion", shell],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def bash_complete(script: str, line: str) -> list[str]:
    """What bash offers for `line` (the word after its last space being completed)."""
    words = line.split(" ")
    program = (
        f"{script}\n"
        f"COMP_WORDS=({' '.join(repr(word) for word in words)})\n"
        f"COMP_CWORD={len(words) - 1}\n"
        f"COMP_LINE={line!r}\nCOMP_POINT={len(line)}\n"
        "_shtab_portplan\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    result = subprocess.run(["bash", "-c", program], capture_output=True, text=True, check=True)
    return sorted(word.strip() for word in result.stdout.splitlines() if word.strip())


def test_bash_completes_commands_options_and_choices() -> None:
    script = completion("bash")
    assert bash_complete(script, "portplan ch") == ["check"]
    assert {"--fail-on", "--format"} <= set(bash_complete(script, "portplan check --f"))
    assert bash_complete(script, "portplan check --format s") == ["sarif"]
    assert bash_complete(script, "portplan completion f") == ["fish"]


def test_zsh_and_fish_scripts_know_every_command() -> None:
    zsh, fish = completion("zsh"), completion("fish")
    assert zsh.startswith("#compdef portplan")
    for name in COMMANDS:
        assert f"-a {name} " in fish, name
        assert re.search(rf"^\s+{name}:'", zsh, re.M), name
    assert "-l format -x -a 'text json github sarif'" in fish
    assert "'__fish_seen_subcommand_from check' -l fail-on -x -a 'error warning'" in fish


def test_an_unknown_shell_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["completion", "powershell"])
    assert stopped.value.code == 2
    assert "invalid choice: 'powershell'" in capsys.readouterr().err
