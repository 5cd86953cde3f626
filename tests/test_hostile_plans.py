"""Plans made to hurt: deep nesting, FIFOs and endless devices get one sentence and exit 2.

Each case runs as a real process with a timeout, because the failures they guard against
are a traceback from a `RecursionError`, a command that waits forever on a FIFO, and one
that reads `/dev/zero` until it dies of `MemoryError`.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

# Far beyond anything that terminates: every case below ends in well under a second.
TIMEOUT = 120

ONLY_FILES = "not a regular file; portplan reads only files"
GOOD = 'title = "x"\n[[projects]]\nname = "A"\nports = "20000-20999"\n'


def portplan(
    *args: str, cwd: Path, stdin: int | None = subprocess.DEVNULL
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "portplan", *args],
        stdin=stdin, capture_output=True, text=True, cwd=cwd, check=False, timeout=TIMEOUT,
    )  # fmt: skip


def one_sentence(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, result
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    [line] = result.stderr.splitlines()
    return line


NESTINGS = {
    "arrays": "x = " + "[" * 500 + "]" * 500 + "\n",
    "inline-tables": "x = " + "{a = " * 500 + "1" + "}" * 500 + "\n",
    "in-a-service": GOOD.replace('ports = "20000-20999"', "ports = " + "[" * 600 + "]" * 600),
}


@pytest.mark.parametrize("text", NESTINGS.values(), ids=list(NESTINGS))
@pytest.mark.parametrize("command", [["check"], []], ids=["check", "planner"])
def test_deep_nesting_is_one_line_and_exit_2(tmp_path: Path, command: list[str], text: str) -> None:
    plan = tmp_path / "deep.toml"
    plan.write_text(text, encoding="utf-8")
    before = plan.read_bytes()
    line = one_sentence(portplan(*command, plan.name, cwd=tmp_path))
    assert line == "deep.toml: arrays or tables nested too deep to be a plan"
    assert plan.read_bytes() == before


def test_deep_nesting_on_standard_input_of_diff(tmp_path: Path) -> None:
    (tmp_path / "plan.toml").write_text(GOOD, encoding="utf-8")
    deep = tmp_path / "deep.toml"
    deep.write_text(NESTINGS["arrays"], encoding="utf-8")
    with deep.open("rb") as stdin:
        line = one_sentence(portplan("diff", "-", "plan.toml", cwd=tmp_path, stdin=stdin.fileno()))
    assert line == "<stdin>: arrays or tables nested too deep to be a plan"


@pytest.mark.parametrize("command", [["check"], ["where", "20000"], ["next", "A"], []])
def test_a_fifo_as_the_plan_is_refused_without_waiting(tmp_path: Path, command: list[str]) -> None:
    os.mkfifo(tmp_path / "ports.toml")
    line = one_sentence(portplan(*command, "ports.toml", cwd=tmp_path))
    assert line == f"ports.toml: is a FIFO (named pipe), {ONLY_FILES}"


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
@pytest.mark.parametrize("command", [["check"], ["export", "--format", "json"], []])
def test_a_device_as_the_plan_is_refused(tmp_path: Path, command: list[str], device: str) -> None:
    line = one_sentence(portplan(*command, device, cwd=tmp_path))
    assert line == f"{device}: is a device or special file, {ONLY_FILES}"


def test_a_device_as_either_side_of_diff_is_refused(tmp_path: Path) -> None:
    (tmp_path / "plan.toml").write_text(GOOD, encoding="utf-8")
    line = one_sentence(portplan("diff", "/dev/zero", "plan.toml", cwd=tmp_path))
    assert line.startswith("/dev/zero: is a device")


def test_endless_standard_input_of_diff_stops_at_the_limit(tmp_path: Path) -> None:
    (tmp_path / "plan.toml").write_text(GOOD, encoding="utf-8")
    with open("/dev/zero", "rb") as zero:
        line = one_sentence(portplan("diff", "-", "plan.toml", cwd=tmp_path, stdin=zero.fileno()))
    assert line == "<stdin>: is larger than 64 MiB; not a plan portplan reads"
