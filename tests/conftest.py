"""Fixtures shared by the whole suite, and the environment every test runs in.

The suite pins the terminal and the user's folders itself, so that a user's `NO_COLOR`,
`FORCE_COLOR`, narrow terminal, `PORTPLAN_FILE` or config cannot change what a test sees —
neither in this process (the app, the CLI, argparse's help) nor in the `portplan` processes
that tests start, which inherit this environment.
"""

from __future__ import annotations

import gc
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parents[1]
REFERENCE_PLAN = ROOT / "data" / "ports.toml"

# What a terminal looks like to every test: 80×24, colour capable, nothing forced.
PINNED_ENVIRONMENT = {"TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24"}
# Read by rich, Textual or portplan to change colour, size, theme or the plan opened.
UNSET_ENVIRONMENT = (
    "NO_COLOR",
    "FORCE_COLOR",
    "CLICOLOR",
    "CLICOLOR_FORCE",
    "COLORTERM",
    "TTY_COMPATIBLE",
    "TTY_INTERACTIVE",
    "JUPYTER_COLUMNS",
    "JUPYTER_LINES",
    "PORTPLAN_FILE",
    # Textual's own settings (the snapshot plugin's TEXTUAL_SNAPSHOT_* are its business).
    "TEXTUAL_THEME",
    "TEXTUAL_FILTERS",
    "TEXTUAL_COLOR_SYSTEM",
    "TEXTUAL_ANIMATIONS",
    "TEXTUAL_DIM_FACTOR",
    "TEXTUAL_DRIVER",
    "TEXTUAL_PRESS",
    "TEXTUAL_SCREENSHOT",
    "TEXTUAL_FPS",
)
# The user's folders, pointed at a fresh, empty tree for the run. The cache stays the user's:
# what is cached changes no result, and tests that build environments (pre-commit try-repo)
# would otherwise download and build everything afresh on every run.
HOME_FOLDERS = {
    "HOME": "home",
    "XDG_CONFIG_HOME": "home/.config",
    "XDG_STATE_HOME": "home/.local/state",
    "XDG_DATA_HOME": "home/.local/share",
}

# Property tests: a quick pass for the README's `python3 dev.py test`, a thorough one where
# `.ci/run` sets HYPOTHESIS_PROFILE=ci. Tests set no example counts of their own, so one
# switch scales them all; plans are built per example, hence no deadline.
HYPOTHESIS_PROFILE_VARIABLE = "HYPOTHESIS_PROFILE"
_PROPERTY_TESTS = settings(
    deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
settings.register_profile("dev", _PROPERTY_TESTS, max_examples=25)
settings.register_profile("ci", _PROPERTY_TESTS, max_examples=150, print_blob=True)
settings.load_profile(os.environ.get(HYPOTHESIS_PROFILE_VARIABLE, "dev"))

_pinned: pytest.MonkeyPatch | None = None
_home_root: Path | None = None


def pytest_configure(config: pytest.Config) -> None:
    """Pin the environment before any test is collected (per process: each xdist worker too)."""
    global _pinned, _home_root
    _pinned = pytest.MonkeyPatch()
    _home_root = Path(tempfile.mkdtemp(prefix="portplan-tests-"))
    user_home = Path.home()
    _pinned.setenv("XDG_CACHE_HOME", os.environ.get("XDG_CACHE_HOME") or str(user_home / ".cache"))
    # pip's user configuration (a private index, a proxy) is what lets the tests that install
    # this checkout reach packages at all; it moves with HOME unless named.
    user_pip_config = [
        Path(os.environ.get("XDG_CONFIG_HOME") or user_home / ".config") / "pip" / "pip.conf",
        user_home / ".pip" / "pip.conf",
    ]
    found = next((path for path in user_pip_config if path.is_file()), None)
    if found is not None and "PIP_CONFIG_FILE" not in os.environ:
        _pinned.setenv("PIP_CONFIG_FILE", str(found))
    for name in UNSET_ENVIRONMENT:
        _pinned.delenv(name, raising=False)
    for name, value in PINNED_ENVIRONMENT.items():
        _pinned.setenv(name, value)
    for name, relative in HOME_FOLDERS.items():
        folder = _home_root / relative
        folder.mkdir(parents=True, exist_ok=True)
        _pinned.setenv(name, str(folder))


def pytest_unconfigure(config: pytest.Config) -> None:
    if _pinned is not None:
        _pinned.undo()
    if _home_root is not None:
        shutil.rmtree(_home_root, ignore_errors=True)


@pytest.fixture(autouse=True)
def _collector_running() -> None:
    """Every test starts with Python's cyclic collector on, as a process does: an app closed
    between an edit and its frame leaves it paused (its resume was to come with that frame),
    and a later pilot test in the same worker would wait for it in vain."""
    gc.enable()


@pytest.fixture(autouse=True)
def _yaml_fast_path_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every YAML text a test has the scan read is read by both paths: the fast path's
    documents must be ruamel's, lines and columns included (tests/yaml_compare.py)."""
    from portplan.scan import yamltext
    from tests.yaml_compare import check_fast_path

    monkeypatch.setattr(yamltext, "fast_documents", check_fast_path)


@pytest.fixture
def reference_plan_path(tmp_path: Path) -> Path:
    """A private copy of data/ports.toml, so no test can touch the real one."""
    copy = tmp_path / "ports.toml"
    copy.write_bytes(REFERENCE_PLAN.read_bytes())
    return copy


@pytest.fixture
def pinned_ephemeral(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the CLI see the kernel-default Linux range, no kernel reservation and no Windows
    exclusion, whatever this machine's live values are."""
    import portplan.environment
    import portplan.hazards

    monkeypatch.setattr(portplan.hazards, "read_linux_ephemeral_range", lambda *_: None)
    monkeypatch.setattr(portplan.environment, "read_linux_reserved_ports", lambda *_: ())
    monkeypatch.setattr(portplan.environment, "read_windows_excluded_live", lambda: ())


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    """Run `portplan ARGS…` in-process; give back (exit code, stdout, stderr)."""
    from portplan.cli import main

    def run(*args: str) -> tuple[int, str, str]:
        code = main(list(args))
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run
