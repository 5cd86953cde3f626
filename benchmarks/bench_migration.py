"""How fast the migration tools are: `diff_plans`, Markdown export and Markdown import.

    .venv/bin/python benchmarks/bench_migration.py [--plans benchmarks/plans]

Uses the plans `generate.py` writes. For each, the "after" plan moves every third service of
every other project by one port, so the diff has real work; the median of five runs counts.
Speed is measured here, never asserted in the tests.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from portplan.changes import diff_plans
from portplan.exporters import export
from portplan.markdown import import_markdown
from portplan.model import MAX_PORT, Plan
from portplan.store import load

RUNS = 5


def median_seconds(action: Callable[..., object], *arguments: object) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        action(*arguments)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def moved(plan: Plan) -> Plan:
    after = plan.model_copy(deep=True)
    for project in after.projects[::2]:
        for tier in project.tiers:
            for service in tier.services[::3]:
                service.port = min(MAX_PORT, service.port + 1)
    return after


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=Path, default=Path(__file__).parent / "plans")
    args = parser.parse_args()
    files = sorted(args.plans.glob("plan-*.toml"))
    if not files:
        raise SystemExit(f"no plans in {args.plans}: run benchmarks/generate.py first")
    print(f"{'services':>9} {'changes':>8} {'diff':>8} {'export md':>10} {'import md':>10}")
    for path in files:
        plan = load(path)
        after = moved(plan)
        document = export(plan, "md")
        if import_markdown(document).plan != plan:
            raise SystemExit(f"{path}: the Markdown round trip changed the plan")
        services = sum(1 for _ in plan.services())
        changes = len(diff_plans(plan, after))
        print(
            f"{services:>9,} {changes:>8,} "
            f"{median_seconds(diff_plans, plan, after):>7.3f}s "
            f"{median_seconds(export, plan, 'md'):>9.3f}s "
            f"{median_seconds(import_markdown, document):>9.3f}s"
        )


if __name__ == "__main__":
    main()
