"""How fast is the planner on a 61,440-service plan? Two targets from the issue:

1. First screen: starting the planner headless until its first screen is drawn, as a whole
   process, within 2x the time of `portplan check` on the same file (also a whole process).
2. Edits: a move, a release or a reserve, applied through the planner screen and followed by
   the screen's refresh (tree, details, port map, findings, a drawn frame), within 50 ms.
   Driven with Textual's pilot, many edits in turn; median and worst are reported.

    .venv/bin/python benchmarks/bench_tui.py [--projects 64] [--runs 5] [--edits 60]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import subprocess
import sys
import time
from pathlib import Path

from generate import DEFAULT_OUT, write_plans

ROOT = Path(__file__).resolve().parents[1]
FIRST_SCREEN = """
import asyncio, sys
from pathlib import Path
from portplan.tui.app import create_app
from portplan.tui.screens.planner import PlannerScreen

async def main():
    app = create_app(Path(sys.argv[1]))
    async with app.run_test(size=(120, 36)) as pilot:
        while not isinstance(app.screen, PlannerScreen) or not app.screen.query("PortMap"):
            await pilot.pause()
        await pilot.pause()  # one drawn frame
asyncio.run(main())
"""


def process_seconds(command: list[str], runs: int) -> float:
    times = []
    for _ in range(runs + 1):
        started = time.perf_counter()
        subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - started)
    return statistics.median(times[1:])  # the first run warms the file cache


async def edit_times(path: Path, edits: int) -> dict[str, list[float]]:
    from portplan.edits import MoveService, ReleaseService, ReserveService
    from portplan.hazards import DEFAULT_EPHEMERAL
    from portplan.model import Service, ServiceRef, TierRef
    from portplan.tui.app import create_app
    from portplan.tui.screens.planner import PlannerScreen

    app = create_app(path, ephemeral=DEFAULT_EPHEMERAL, cursor_blink=False)
    times: dict[str, list[float]] = {
        kind: []
        for kind in ("move", "release", "reserve", "move idle", "release idle", "reserve idle")
    }
    async with app.run_test(size=(120, 36)) as pilot:
        while not isinstance(app.screen, PlannerScreen):
            await pilot.pause()
        screen = app.screen
        plan = screen.session.plan
        for step in range(edits):
            # A working set of four tiers in four projects (one plan-wide, one in the
            # ephemeral range), as a person editing several projects in turn would have open.
            project = plan.projects[(0, 21, 42, 63)[step % 4]]
            tier = project.tiers[step % 3]
            service = tier.services[step % len(tier.services)]
            ref = ServiceRef(project.name, tier.name, service.name)
            kind = ("move", "release", "reserve")[step % 3]
            free = tier.ports.end - (step % 4)  # generated tiers keep their last ports free
            drawn = asyncio.Event()
            # Runs once the next frame, the edited screen, has been drawn. Asked before the
            # edit so that it runs before anything the edit itself puts off until that frame.
            app.call_after_refresh(drawn.set)
            started = time.perf_counter()
            if kind == "move":
                screen.apply(MoveService(ref, free), ref)
            elif kind == "release":
                screen.apply(ReleaseService(ref), TierRef(project.name, tier.name))
            else:
                name = f"Bench {step}"
                screen.apply(
                    ReserveService(project.name, tier.name, Service(port=free, name=name)),
                    ServiceRef(project.name, tier.name, name),
                )
            await drawn.wait()
            times[kind].append(time.perf_counter() - started)
            await pilot.pause()  # the app settles: counted apart, as "until idle"
            times[f"{kind} idle"].append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=64)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--edits", type=int, default=60)
    args = parser.parse_args()
    [(services, path)] = write_plans(DEFAULT_OUT, (args.projects,))
    python = sys.executable
    check = process_seconds([python, "-m", "portplan", "check", str(path)], args.runs)
    first = process_seconds([python, "-c", FIRST_SCREEN, str(path)], args.runs)
    print(
        f"{services} services: portplan check {check * 1000:.0f} ms, planner first screen "
        f"{first * 1000:.0f} ms = {first / check:.2f}x check (target 2x)"
    )
    times = asyncio.run(edit_times(path, args.edits))
    drawn = [t for kind, values in times.items() if "idle" not in kind for t in values]
    idle = [t for kind, values in times.items() if "idle" in kind for t in values]
    print("  until the edited screen is drawn (the target):")
    for kind, values in (*((k, v) for k, v in times.items() if "idle" not in k), ("all", drawn)):
        print(
            f"    {kind:<8} {len(values):>3} edits: median "
            f"{statistics.median(values) * 1000:.1f} ms, worst {max(values) * 1000:.1f} ms "
            "(target 50 ms)"
        )
    print("  until the app is idle again (pilot.pause: adds a 20 ms quiet window):")
    for kind, values in (*((k, v) for k, v in times.items() if "idle" in k), ("all idle", idle)):
        print(
            f"    {kind:<12} {len(values):>3} edits: median "
            f"{statistics.median(values) * 1000:.1f} ms, worst {max(values) * 1000:.1f} ms"
        )


if __name__ == "__main__":
    main()
