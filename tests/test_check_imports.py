"""`portplan check` imports only what a check needs: start-up is most of its time on a plan.

Writing, the stdlib TOML reader (kept for wording errors), subprocesses and the machine
report formats are loaded when a command uses them; these tests, each in a fresh
interpreter, fail when an import creeps back onto the path of a clean text check.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

# Each of these was once imported by every `portplan check` without being used.
NOT_ON_THE_CHECK_PATH = (
    "tomllib",
    "tomli_w",
    "subprocess",
    "json",
    "portplan.locate",
    "portplan.safe_write",
    "portplan.documents",
    "portplan.report.items",
    "portplan.report.plan_places",
)


def modules_after_check(args: list[str]) -> set[str]:
    code = (
        "import contextlib, io, sys\n"
        "from portplan.cli import main\n"
        "out, err = io.StringIO(), io.StringIO()\n"
        "with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):\n"
        f"    code = main({args!r})\n"
        "print(code)\n"
        "print('\\n'.join(sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    status, *modules = done.stdout.split()
    assert status in ("0", "1"), done.stdout
    return set(modules)


def test_a_text_check_imports_none_of_what_it_does_not_use(reference_plan_path: Path) -> None:
    loaded = modules_after_check(["check", str(reference_plan_path)])
    assert "portplan.analysis" in loaded  # the probe sees the check's own modules
    assert loaded.isdisjoint(NOT_ON_THE_CHECK_PATH), loaded & set(NOT_ON_THE_CHECK_PATH)


def test_the_machine_formats_still_load_what_they_need(reference_plan_path: Path) -> None:
    loaded = modules_after_check(["check", str(reference_plan_path), "--format", "json"])
    assert {"json", "portplan.report.items", "portplan.report.plan_places"} <= loaded


def test_a_bad_plan_is_worded_by_the_stdlib_reader(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("title = \n", encoding="utf-8")
    code = (
        "import contextlib, io, sys\n"
        "from portplan.cli import main\n"
        "err = io.StringIO()\n"
        "with contextlib.redirect_stderr(err):\n"
        f"    assert main(['check', {str(bad)!r}]) == 2\n"
        "print(err.getvalue())\n"
        "assert 'tomllib' in sys.modules\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "bad.toml:1:" in done.stdout and "invalid TOML" in done.stdout
