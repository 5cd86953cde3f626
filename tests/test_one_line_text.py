"""A line break in a plan's text cannot print a line of its own in the text output.

Names and descriptions may hold line breaks (every format carries them), so the text output
shows each as `\\n` wherever the text sits inside one line; otherwise a service named
"S\\n\\n✓ no conflicts, no hazards\\n" would make `check` print a fake all-clear.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from portplan.store import load
from portplan.terminal import one_line

RunCli = Callable[..., tuple[int, str, str]]


def toml_string(text: str) -> str:
    return json.dumps(text)  # a JSON string of these characters is a TOML basic string


FORGED = "✓ no conflicts, no hazards"
NAME = f"S\n\n{FORGED}\n"
DESCRIPTION = "one\ntwo"

PLAN = f"""\
[[projects]]
name = {toml_string("P")}
ports = "20000-20999"

[[projects.tiers]]
name = "Web"
ports = "20000-20099"
services = [
    {{ port = 20000, name = {toml_string(NAME)}, description = {toml_string(DESCRIPTION)} }},
    {{ port = 20000, name = "Other" }},
]
"""


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    path = tmp_path / "ports.toml"
    path.write_text(PLAN, encoding="utf-8")
    return path


def test_names_and_descriptions_with_line_breaks_still_load(plan: Path) -> None:
    service = load(plan).projects[0].tiers[0].services[0]
    assert (service.name, service.description) == (NAME, DESCRIPTION)


@pytest.mark.parametrize("colour", [False, True])
def test_check_prints_no_forged_line(
    plan: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch, colour: bool
) -> None:
    if colour:
        monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    code, out, _ = run_cli("check", str(plan))
    assert code == 1
    assert FORGED not in [line.strip() for line in out.splitlines()]
    assert one_line(NAME) in out


COMMANDS = {
    "where": lambda p: ["where", "20000", str(p)],
    "next": lambda p: ["next", "P", str(p)],
    "diff": lambda p: ["diff", str(p.with_name("old.toml")), str(p)],
    "rebase": lambda p: ["rebase", "P", "30000", str(p)],
}


@pytest.mark.parametrize("command", COMMANDS)
def test_no_text_output_lets_a_name_break_its_line(
    plan: Path, run_cli: RunCli, command: str
) -> None:
    old = PLAN.replace('{ port = 20000, name = "Other" }', '{ port = 20001, name = "Other" }')
    plan.with_name("old.toml").write_text(old, encoding="utf-8")
    code, out, err = run_cli(*COMMANDS[command](plan))
    assert "Traceback" not in err
    lines = [line.strip() for line in (out + err).splitlines()]
    assert FORGED not in lines and "two" not in lines


def test_where_shows_a_multi_line_description_on_its_line(plan: Path, run_cli: RunCli) -> None:
    code, out, _ = run_cli("where", "20000", str(plan))
    assert code == 0
    assert f"service   P/Web/{one_line(NAME)} (tcp) — one\\ntwo" in out


def test_one_line_shows_line_breaks_and_controls() -> None:
    assert one_line("a\nb\tc\x1b\r") == "a\\nb\tc\\x1b\\x0d"
    assert one_line(one_line("a\nb")) == "a\\nb"
