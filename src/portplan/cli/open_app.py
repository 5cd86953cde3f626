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
    app.run()
    return 0
