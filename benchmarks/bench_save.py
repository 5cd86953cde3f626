"""How long a save takes: the layout-keeping save beside the canonical writer it replaced.

For each plan (the reference plan and the generated ones, see generate.py) one service is
moved, then the plan is saved both ways into a temporary folder, alternately, and the median
counts. *keep layout* is the whole save as the planner and `rebase --write` do it: locate the
spans, edit them, read the result back (tomllib + validation) and compare it with the plan in
memory, then write atomically with the .bak. *canonical* is `tomli_w` plus the same write.
*parse* is a bare `tomllib.loads` of the file, the floor any verified save stands on.

    .venv/bin/python benchmarks/bench_save.py
"""

from __future__ import annotations

import gc
import statistics
import sys
import tempfile
import time
import tomllib
from pathlib import Path

from portplan.edits import MoveService
from portplan.model import ServiceRef
from portplan.store import dumps, read_text, save, write_text_atomic

HERE = Path(__file__).resolve().parent
PLANS = [HERE.parent / "data" / "ports.toml", *sorted((HERE / "plans").glob("plan-*.toml"))]


def _timed(action) -> float:  # type: ignore[no-untyped-def]
    gc.collect()
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def measure(path: Path, runs: int) -> tuple[int, float, float, float, str | None]:
    text, plan = read_text(path)
    original = read_text(path)[1]
    project, tier, service = next(iter(plan.services()))
    MoveService(ServiceRef(project.name, tier.name, service.name), service.port + 1).apply(plan)
    keep, canonical, parse = [], [], []
    note = None
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / path.name
        target.write_text(text)
        for _ in range(runs):
            keep.append(_timed(lambda: save(plan, target, (text, original))))
            canonical.append(
                _timed(lambda: write_text_atomic(target, dumps(plan), keep_backup=True))
            )
            parse.append(_timed(lambda: tomllib.loads(text)))
        note = save(plan, target, (text, original)).note
    services = sum(1 for _ in plan.services())
    return services, *(statistics.median(t) for t in (keep, canonical, parse)), note  # type: ignore[return-value]


def main() -> int:
    print("| plan | services | keep layout | canonical | tomllib parse | keep / canonical |")
    print("|:---|---:|---:|---:|---:|---:|")
    for path in PLANS:
        runs = 11 if path.stat().st_size < 2_000_000 else 5
        services, keep, canonical, parse, note = measure(path, runs)
        print(
            f"| {path.name} | {services:,} | {keep * 1000:.1f} ms | {canonical * 1000:.1f} ms "
            f"| {parse * 1000:.1f} ms | {keep / canonical:.2f}x |"
        )
        if note:
            print(f"note: {path.name} {note}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
