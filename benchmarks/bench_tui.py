"""How fast and how big is the planner? Four targets, each judged against a floor in one run:

1. First screen on data/ports.toml: the planner, started in a terminal as a whole process
   until its first full screen is drawn, within 1.5x a bare Textual app (Header, a one-node
   Tree, Footer) started and judged the same way (first_frame.py).
2. First screen on 61,440 services: within 2x `portplan check` on the same file (a whole
   process, its report thrown away).
3. Edits: a move, a release or a reserve, applied through the planner screen and followed by
   the screen's refresh (tree, details, port map, findings, a drawn frame), within 50 ms.
   Driven with Textual's pilot, many edits in turn; median and worst are reported.
4. Memory: the planner's resident size (VmRSS) after 300 edits on 61,440 services, within
   1.2x what it was once the first screen was up. Measured in a process of its own.

    .venv/bin/python benchmarks/bench_tui.py [--only first|edits|memory] [--runs 11]
        [--projects 64] [--edits 60] [--memory-edits 300] [--trace] [--instructions]

Process runs are interleaved (floor, planner, check, planner, ...) after one warm-up each,
so that a busy neighbour slows all alike; medians count. The load average is printed, and
with --instructions the first screens are also counted in instructions (valgrind), which a
busy machine does not change.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from first_frame import (
    NoFrame,
    Timing,
    first_frame,
    first_frame_instructions,
    process_instructions,
    process_run,
    terminal_env,
)
from generate import DEFAULT_OUT, write_plans

ROOT = Path(__file__).resolve().parents[1]
REFERENCE_PLAN = ROOT / "data" / "ports.toml"
FLOOR_TARGET, CHECK_TARGET, EDIT_TARGET_MS, MEMORY_TARGET = 1.5, 2.0, 50, 1.2

# The floor: what any Textual program with a title, a tree and a footer pays to show them.
BARE_APP = """
from textual.app import App
from textual.widgets import Footer, Header, Tree

class Bare(App[None]):
    TITLE = "bare"
    BINDINGS = [("ctrl+q", "quit", "Quit")]

    def compose(self):
        yield Header()
        yield Tree("root")
        yield Footer()

Bare().run()
"""
# What each program's first screen shows, part by part: the frame that completes it counts.
BARE_SHOWS = (b"bare", b"root", b"Quit")
PLANNER_SHOWS = (
    b"portplan",
    b" Plan ",
    b" Details ",
    b" Ports \xc2\xb7",
    b"Findings (",
    b"Reserve",
)


def load_average() -> str:
    return ", ".join(f"{value:.2f}" for value in os.getloadavg())


def portplan_command() -> list[str]:
    script = Path(sys.executable).with_name("portplan")
    return [str(script)] if script.exists() else [sys.executable, "-m", "portplan"]


def first_screens(large: Path, runs: int, instructions: bool) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-tui-") as folder:
        home = Path(folder)
        env = terminal_env(home)
        # Copies: the planner keeps its lock and recovery copy beside the plan.
        small = Path(shutil.copy(REFERENCE_PLAN, home / "ports.toml"))
        big = Path(shutil.copy(large, home / large.name))
        portplan = portplan_command()
        # name: (command, what its first screen shows; None: a command run to its end)
        programs: dict[str, tuple[list[str], tuple[bytes, ...] | None]] = {
            "bare app": ([sys.executable, "-c", BARE_APP], BARE_SHOWS),
            "planner": ([*portplan, str(small)], PLANNER_SHOWS),
            "check large": ([*portplan, "check", str(big)], None),
            "planner large": ([*portplan, str(big)], PLANNER_SHOWS),
        }

        def measure(name: str) -> Timing:
            command, shows = programs[name]
            if shows is None:
                return process_run(command, env=env, cwd=home)
            return first_frame(command, shows, env=env, cwd=home)

        print(f"load average before: {load_average()}")
        for name in programs:
            measure(name)  # warm-up: bytecode, file cache
        times: dict[str, list[Timing]] = {name: [] for name in programs}
        for _ in range(runs):
            for name in programs:
                times[name].append(measure(name))
        print(f"load average after:  {load_average()}")
        wall = {name: statistics.median(t.wall for t in values) for name, values in times.items()}
        cpu = {name: statistics.median(t.cpu for t in values) for name, values in times.items()}
        for name, values in times.items():
            print(
                f"  {name:<14} median {wall[name] * 1000:6.0f} ms wall "
                f"(min {min(t.wall for t in values) * 1000:.0f}, max "
                f"{max(t.wall for t in values) * 1000:.0f}; {len(values)} runs), "
                f"{cpu[name] * 1000:.0f} ms CPU"
            )
        pairs = (
            ("planner", "bare app", FLOOR_TARGET),
            ("planner large", "check large", CHECK_TARGET),
        )
        for subject, floor, target in pairs:
            print(
                f"{subject} / {floor}: {wall[subject] / wall[floor]:.2f}x wall, "
                f"{cpu[subject] / cpu[floor]:.2f}x CPU (target {target}x)"
            )
        if instructions:
            count_instructions(programs, pairs, env, home)


def count_instructions(
    programs: dict[str, tuple[list[str], tuple[bytes, ...] | None]],
    pairs: tuple[tuple[str, str, float], ...],
    env: dict[str, str],
    home: Path,
) -> None:
    counts: dict[str, int] = {}
    for name, (command, shows) in programs.items():
        try:
            counts[name] = (
                process_instructions(command, env=env, cwd=home)
                if shows is None
                else first_frame_instructions(command, shows, env=env, cwd=home)
            )
        except NoFrame as error:
            print(f"  {name}: not counted ({error})"[:300])
            continue
        print(f"  {name:<14} {counts[name] / 1e6:,.0f} M instructions")
    for subject, floor, target in pairs:
        if subject in counts and floor in counts:
            print(
                f"{subject} / {floor}: {counts[subject] / counts[floor]:.2f}x instructions "
                f"(target {target}x)"
            )


def bench_edit(plan: Any, step: int) -> tuple[str, Any, Any]:
    """The step-th edit of the working set: (kind, edit, the node to select after it).

    Four tiers in four projects (one plan-wide, one in the ephemeral range), as a person
    editing several projects in turn would have open."""
    from portplan.edits import MoveService, ReleaseService, ReserveService
    from portplan.model import Service, ServiceRef, TierRef

    project = plan.projects[(0, 21, 42, 63)[step % 4] % len(plan.projects)]
    tier = project.tiers[step % 3]
    service = tier.services[step % len(tier.services)]
    ref = ServiceRef(project.name, tier.name, service.name)
    kind = ("move", "release", "reserve")[step % 3]
    free = tier.ports.end - (step % 4)  # generated tiers keep their last ports free
    if kind == "move":
        return kind, MoveService(ref, free), ref
    if kind == "release":
        return kind, ReleaseService(ref), TierRef(project.name, tier.name)
    name = f"Bench {step}"
    reserve = ReserveService(project.name, tier.name, Service(port=free, name=name))
    return kind, reserve, ServiceRef(project.name, tier.name, name)


async def edit_times(path: Path, edits: int) -> dict[str, list[float]]:
    from portplan.hazards import DEFAULT_EPHEMERAL
    from portplan.tui.app import create_app
    from portplan.tui.screens.planner import PlannerScreen

    app = create_app(path, ephemeral=DEFAULT_EPHEMERAL, cursor_blink=False, theme="textual-dark")
    times: dict[str, list[float]] = {
        kind: []
        for kind in ("move", "release", "reserve", "move idle", "release idle", "reserve idle")
    }
    async with app.run_test(size=(120, 36)) as pilot:
        while not isinstance(app.screen, PlannerScreen):
            await pilot.pause()
        screen = app.screen
        for step in range(edits):
            kind, edit, select = bench_edit(screen.session.plan, step)
            drawn = asyncio.Event()
            # Runs once the next frame, the edited screen, has been drawn. Asked before the
            # edit so that it runs before anything the edit itself puts off until that frame.
            app.call_after_refresh(drawn.set)
            started = time.perf_counter()
            screen.apply(edit, select)
            await drawn.wait()
            times[kind].append(time.perf_counter() - started)
            await pilot.pause()  # the app settles: counted apart, as "until idle"
            times[f"{kind} idle"].append(time.perf_counter() - started)
    return times


def print_edit_times(times: dict[str, list[float]]) -> None:
    drawn = [t for kind, values in times.items() if "idle" not in kind for t in values]
    idle = [t for kind, values in times.items() if "idle" in kind for t in values]
    print("  until the edited screen is drawn (the target):")
    for kind, values in (*((k, v) for k, v in times.items() if "idle" not in k), ("all", drawn)):
        print(
            f"    {kind:<8} {len(values):>3} edits: median "
            f"{statistics.median(values) * 1000:.1f} ms, worst {max(values) * 1000:.1f} ms "
            f"(target {EDIT_TARGET_MS} ms)"
        )
    print("  until the app is idle again (pilot.pause: adds a 20 ms quiet window):")
    for kind, values in (*((k, v) for k, v in times.items() if "idle" in k), ("all idle", idle)):
        print(
            f"    {kind:<12} {len(values):>3} edits: median "
            f"{statistics.median(values) * 1000:.1f} ms, worst {max(values) * 1000:.1f} ms"
        )


# --- memory ------------------------------------------------------------------------------


def resident_kib() -> tuple[int, int]:
    """This process's resident size now and at its peak (VmRSS, VmHWM), in KiB."""
    fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines())
    return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])


async def memory_after_edits(path: Path, edits: int, trace: bool) -> dict[str, Any]:
    """Resident size once the first screen is up, and after `edits` edits have been drawn
    and the planner has settled (its recovery copy written)."""
    import tracemalloc

    from portplan.hazards import DEFAULT_EPHEMERAL
    from portplan.tui.app import create_app
    from portplan.tui.screens.planner import PlannerScreen

    app = create_app(path, ephemeral=DEFAULT_EPHEMERAL, cursor_blink=False, theme="textual-dark")
    result: dict[str, Any] = {}
    async with app.run_test(size=(120, 36)) as pilot:
        while not isinstance(app.screen, PlannerScreen) or not app.screen.query("PortMap"):
            await pilot.pause()
        await pilot.pause(1.0)
        result["loaded"] = resident_kib()
        if trace:
            tracemalloc.start(8)
            before = tracemalloc.take_snapshot()
        screen = app.screen
        applied = 0
        for step in range(edits):
            _, edit, select = bench_edit(screen.session.plan, step)
            drawn = asyncio.Event()
            app.call_after_refresh(drawn.set)
            applied += screen.apply(edit, select)
            await drawn.wait()
        # Settled: the recovery copy (a thread, half a second after the last edit) written.
        for _ in range(600):
            await pilot.pause(0.1)
            writing = [w for w in app.workers if w.group == "recovery" and w.is_running]
            if screen.safety.copy.exists() and not writing:
                break
        await pilot.pause()
        result["edited"] = resident_kib()
        result["applied"] = applied
        if trace:
            growth = tracemalloc.take_snapshot().compare_to(before, "traceback")
            result["growth"] = [
                f"{stat.size_diff / 1024:+.0f} KiB in {stat.count_diff:+} blocks:\n    "
                + "\n    ".join(stat.traceback.format()[-8:])
                for stat in growth[:12]
            ]
    return result


def memory(path: Path, edits: int, trace: bool) -> None:
    """The memory figures, from a process that did nothing else before."""
    with tempfile.TemporaryDirectory(prefix="bench-tui-") as folder:
        copy = Path(shutil.copy(path, Path(folder) / path.name))
        command = [sys.executable, __file__, "--memory-child", str(copy), str(edits)]
        done = subprocess.run(
            [*command, *(["--trace"] if trace else [])],
            cwd=ROOT,
            env=terminal_env(Path(folder)),
            capture_output=True,
            text=True,
            check=True,
        )
    result = json.loads(done.stdout)
    (loaded, loaded_peak), (edited, edited_peak) = result["loaded"], result["edited"]
    print(f"memory, {path.name}, load average {load_average()}:")
    print(
        f"  first screen up: VmRSS {loaded / 1024:.0f} MiB (peak so far {loaded_peak / 1024:.0f})"
    )
    print(
        f"  after {result['applied']} edits: VmRSS {edited / 1024:.0f} MiB "
        f"(peak {edited_peak / 1024:.0f}) = {edited / loaded:.2f}x (target {MEMORY_TARGET}x)"
    )
    for line in result.get("growth", []):
        print("  " + line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=("first", "edits", "memory"))
    parser.add_argument("--projects", type=int, default=64)
    parser.add_argument("--runs", type=int, default=11)
    parser.add_argument("--edits", type=int, default=60)
    parser.add_argument("--memory-edits", type=int, default=300)
    parser.add_argument("--trace", action="store_true", help="show what grew (tracemalloc)")
    parser.add_argument(
        "--instructions", action="store_true", help="also count first screens (valgrind)"
    )
    parser.add_argument("--memory-child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        path, edits = Path(args.memory_child[0]), int(args.memory_child[1])
        print(json.dumps(asyncio.run(memory_after_edits(path, edits, args.trace))))
        return
    [(services, path)] = write_plans(DEFAULT_OUT, (args.projects,))
    print(f"{services} services in {path.name}")
    if args.only in (None, "first"):
        first_screens(path, args.runs, args.instructions)
    if args.only in (None, "edits"):
        print_edit_times(asyncio.run(edit_times(path, args.edits)))
    if args.only in (None, "memory"):
        memory(path, args.memory_edits, args.trace)


if __name__ == "__main__":
    main()
