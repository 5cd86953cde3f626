from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REFERENCE_PLAN = ROOT / "data" / "ports.toml"


@pytest.fixture
def reference_plan_path(tmp_path: Path) -> Path:
    """A private copy of data/ports.toml, so no test can touch the real one."""
    copy = tmp_path / "ports.toml"
    copy.write_bytes(REFERENCE_PLAN.read_bytes())
    return copy


@pytest.fixture
def pinned_ephemeral(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the CLI see the kernel-default Linux range whatever this machine's live value is."""
    import portplan.hazards

    monkeypatch.setattr(portplan.hazards, "read_linux_ephemeral_range", lambda *_: None)


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    """Run `portplan ARGS…` in-process; give back (exit code, stdout, stderr)."""
    from portplan.cli import main

    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run
