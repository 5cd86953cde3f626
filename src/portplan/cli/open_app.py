"""`portplan [PLAN]`: the only command path that imports Textual."""

from __future__ import annotations

from portplan.store import resolve_plan_path


def run_app(plan: str | None) -> int:
    from portplan.tui.app import create_app

    app = create_app(resolve_plan_path(plan))
    app.run()
    return 0
