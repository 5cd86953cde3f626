"""Output that cannot be written — a full device, a closed standard output — is one sentence
on stderr and a non-zero exit, never a traceback (as a broken pipe is not one either)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PLAN = str(ROOT / "data" / "ports.toml")
DOCUMENT = str(ROOT / "data" / "master-port-assignments.md")

COMMANDS = {
    "check": ["check", PLAN],
    "export": ["export", "--format", "md", PLAN],
    "import": ["import", DOCUMENT],
    "next": ["next", "NEURECTOMY", PLAN],
    "version": ["--version"],
    # argparse writes these and leaves by SystemExit; unbuffered, it dropped a failed write.
    "command help": ["check", "-h"],
    "overview help": ["-h"],
    "help topic": ["help", "check"],
    "json error": ["check", "--format", "json", str(ROOT / "no-such-plan.toml")],
}

needs_dev_full = pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full")


def portplan(
    args: list[str], *, unbuffered: bool, **how: object
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONUNBUFFERED": "1" if unbuffered else ""}
    return subprocess.run(
        [sys.executable, "-m", "portplan", *args],
        stderr=subprocess.PIPE,
        text=True,
        check=False,
        env=env,
        cwd=ROOT,
        **how,  # type: ignore[call-overload]
    )


@needs_dev_full
@pytest.mark.parametrize("unbuffered", [True, False], ids=["unbuffered", "buffered"])
@pytest.mark.parametrize("args", list(COMMANDS.values()), ids=list(COMMANDS))
def test_a_full_device_is_one_sentence(args: list[str], unbuffered: bool) -> None:
    with open("/dev/full", "w", encoding="utf-8") as full:
        done = portplan(args, unbuffered=unbuffered, stdout=full)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr
    assert done.stderr.splitlines()[-1] == (
        "portplan: cannot write the output: No space left on device"
    )


@pytest.mark.parametrize("args", list(COMMANDS.values()), ids=list(COMMANDS))
def test_a_closed_standard_output_is_one_sentence(args: list[str]) -> None:
    done = portplan(args, unbuffered=False, preexec_fn=lambda: os.close(1))
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.splitlines()[-1] == (
        "portplan: cannot write the output: standard output is closed"
    )


def test_a_command_that_writes_nothing_runs_with_standard_output_closed(tmp_path: Path) -> None:
    out = tmp_path / "plan.md"
    done = portplan(
        ["export", "--format", "md", PLAN, "-o", str(out)],
        unbuffered=False,
        preexec_fn=lambda: os.close(1),
    )
    assert (done.returncode, done.stderr) == (0, "")
    assert out.read_text(encoding="utf-8").startswith("#")


def test_an_error_that_is_not_the_outputs_still_reaches_the_user(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from portplan.cli import check, main

    def fail(args: object) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(check, "run", fail)
    with pytest.raises(OSError, match="No space left"):
        main(["check", PLAN])
