"""Opening the planner. Until the app lands, `portplan [PLAN]` prints the check report."""

from __future__ import annotations

import argparse

from portplan.cli import check


def run_app(plan: str | None) -> int:
    return check.run(argparse.Namespace(plan=plan, format="text"))
