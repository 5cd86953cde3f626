"""`portplan [PLAN]`: the only command path that imports Textual.

The planner starts only on a plan that exists or a new one (a name ending in .toml, so that
a mistyped file name does not make an empty plan), read without error, and with a terminal
on stdin and stdout (without one, Textual would wait for keys that never come).
"""

from __future__ import annotations

import sys
from pathlib import Path

from portplan.errors import UsageError
from portplan.store import resolve_plan_path

NEW_PLAN_SUFFIX = ".toml"

# Textual writes each frame to the terminal from a thread of its own. While the app works on,
# that thread waits for the interpreter's lock up to the switch interval (5 ms by default)
# before each of a frame's writes: 6-10 ms of a typical answer to a key, 30 ms at worst, on
# 61,440 services (benchmarks/README.md). At 1 ms it gets its turn promptly; the interval only
# counts while another thread is waiting for the lock, so the app pays nothing for it.
OUTPUT_TURN = 0.001


def planner_path(given: str | None) -> Path:
    """The plan the planner opens; a UsageError when it is neither there nor a new plan."""
    path = resolve_plan_path(given)
    if not path.exists() and path.suffix.lower() != NEW_PLAN_SUFFIX:
        raise UsageError(
            f"{path}: no such plan file (a new plan is started only for a "
            f"name ending in {NEW_PLAN_SUFFIX})"
        )
    return path


def require_terminal() -> None:
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UsageError(
            "the planner needs a terminal, and stdin or stdout is not one; "
            "in a script, use `portplan check` and the other commands"
        )


def run_app(plan: str | None) -> int:
    from portplan.tui.app import create_app

    # The plan is read first, so that a bad file is reported as such, terminal or not.
    app = create_app(planner_path(plan))
    require_terminal()
    before = sys.getswitchinterval()
    sys.setswitchinterval(min(before, OUTPUT_TURN))
    try:
        app.run()
    finally:
        sys.setswitchinterval(before)
    return 0
