"""portplan uses no pydantic plugins, so its processes skip pydantic's search for them.

Pydantic looks for plugins (entry points of the `pydantic` group) when it builds the first
model, reading the metadata of every installed distribution. A valid plan is read without
pydantic (`model_base`), but a bad plan's errors and `portplan schema` build its models.
`portplan.cli.main` sets pydantic's documented switch `PYDANTIC_DISABLE_PLUGINS` unless the
user set it. Each test runs a command in a
fresh interpreter whose `importlib.metadata.entry_points` records what it is asked for.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

RUN_AND_RECORD = """
import contextlib, io, sys
import importlib.metadata

asked = []
real_entry_points = importlib.metadata.entry_points

def entry_points(**selection):
    asked.append(selection.get("group"))
    return real_entry_points(**selection)

importlib.metadata.entry_points = entry_points
from portplan.cli import main

with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    code = main(sys.argv[1:])
print(code, "pydantic" in asked)
"""


def run_recording(args: list[str], user_setting: str | None = None) -> tuple[str, bool]:
    """(exit status, whether pydantic looked for plugins) of `portplan ARGS`."""
    env = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    if user_setting is not None:
        env["PYDANTIC_DISABLE_PLUGINS"] = user_setting
    done = subprocess.run(
        [sys.executable, "-c", RUN_AND_RECORD, *args],
        capture_output=True,
        text=True,
        check=False,
        env=env,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 0, done.stderr
    status, searched = done.stdout.split()
    return status, searched == "True"


def test_a_check_does_not_search_for_pydantic_plugins(reference_plan_path: Path) -> None:
    status, searched = run_recording(["check", str(reference_plan_path)])
    assert status in ("0", "1")
    assert not searched


def test_wording_a_bad_plan_does_not_search_either(tmp_path: Path) -> None:
    bad = tmp_path / "ports.toml"
    bad.write_text('title = "t"\n[[projects]]\nname = "A"\nports = "1-10"\nport = 3\n')
    status, searched = run_recording(["check", str(bad)])
    assert status == "2"
    assert not searched


def test_the_planner_reads_its_plan_without_searching(reference_plan_path: Path) -> None:
    # Without a terminal the planner stops (exit 2) after reading and checking the plan,
    # which builds every model.
    status, searched = run_recording([str(reference_plan_path)])
    assert status == "2"
    assert not searched


def test_a_setting_of_the_users_own_is_kept() -> None:
    # An empty value disables no plugin: pydantic searches as it would without portplan's
    # default (this also shows that the recording sees a search when there is one).
    status, searched = run_recording(["schema"], user_setting="")
    assert status == "0"
    assert searched
