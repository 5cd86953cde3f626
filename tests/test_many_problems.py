"""A plan with thousands of problems: the first 50 in text, every one in JSON, each located.

5,000 bad ports used to print 5,000 lines and take half a minute (every problem re-read the
file to find its line); the time is measured in benchmarks, the lines are checked here.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

RunCli = Callable[..., tuple[int, str, str]]
COUNT = 5000
FIRST_SERVICE_LINE = 9


def bad_plan(tmp_path: Path) -> Path:
    head = [
        'title = "Many bad ports"',
        "[[projects]]",
        'name = "A"',
        'ports = "20000-29999"',
        "[[projects.tiers]]",
        'name = "T"',
        'ports = "20000-29999"',
        "services = [",
    ]
    services = [f'    {{ port = 70000, name = "s{i}" }},' for i in range(COUNT)]
    path = tmp_path / "ports.toml"
    path.write_text("\n".join([*head, *services, "]"]) + "\n", encoding="utf-8")
    return path


def test_text_shows_the_first_50_and_counts_the_rest(tmp_path: Path, run_cli: RunCli) -> None:
    path = bad_plan(tmp_path)
    code, out, err = run_cli("check", str(path))
    assert (code, out) == (2, "")
    lines = err.splitlines()
    assert len(lines) == 51
    assert lines[0] == (
        f"{path}:{FIRST_SERVICE_LINE}: projects[0].tiers[0].services[0].port: "
        "70000 is not a port (1-65535)"
    )
    assert lines[49].startswith(f"{path}:{FIRST_SERVICE_LINE + 49}: ")
    assert lines[50] == "… and 4,950 more (use --format json for all)"


def test_json_lists_every_problem_at_its_line(tmp_path: Path, run_cli: RunCli) -> None:
    path = bad_plan(tmp_path)
    code, out, err = run_cli("check", str(path), "--format", "json")
    assert code == 2
    error = json.loads(out)["error"]
    assert error["file"] == str(path)
    problems = error["problems"]
    assert len(problems) == COUNT
    assert [problem["line"] for problem in problems] == [
        FIRST_SERVICE_LINE + index for index in range(COUNT)
    ]
    assert problems[-1]["place"] == f"projects[0].tiers[0].services[{COUNT - 1}].port"
    assert err.splitlines()[-1] == "… and 4,950 more (use --format json for all)"


def test_a_few_problems_are_all_shown(tmp_path: Path, run_cli: RunCli) -> None:
    path = bad_plan(tmp_path)
    text = path.read_text(encoding="utf-8").replace("port = 70000", "port = 20000")
    path.write_text(text.replace('port = 20000, name = "s7"', 'port = 70000, name = "s7"'))
    code, _, err = run_cli("check", str(path))
    assert code == 2
    assert err.splitlines() == [
        f"{path}:{FIRST_SERVICE_LINE + 7}: projects[0].tiers[0].services[7].port: "
        "70000 is not a port (1-65535)"
    ]
