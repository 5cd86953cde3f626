"""How fast is `portplan check`? Measured against the two floors it cannot go below.

1. In process, per plan size: a full check (`portplan.cli.check.run`, the whole command:
   `store.load` + `analysis.analyze` + the text report, written to a null stream) beside a
   bare `tomllib.load` of the same file.
   Target: the full check costs at most 1.3x the bare parse on the largest plan.
2. Whole process: `portplan check data/ports.toml` beside its floor, a `python -c` that
   defines and validates a one-field pydantic model (what any pydantic program pays).
   Target: at most 1.15x that floor. With `--instructions` (needs valgrind) the two are also
   counted in instructions, a figure a busy machine does not change.

    .venv/bin/python benchmarks/bench_check.py [--runs 5] [--process-runs 20] [--instructions]
        [--write-readme]

Runs are interleaved (parse, check, parse, check, ...) so that a noisy neighbour slows both
sides alike, and the median is reported. Between runs, untimed, the garbage collector is run
so that no run pays for garbage another one left. Beside wall time, CPU time (user + system)
is reported: on a shared machine it is the steadier of the two. Plans are generated first
(generate.py).
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import time
import tomllib
from collections.abc import Callable, Sequence
from contextlib import redirect_stdout
from pathlib import Path
from typing import NamedTuple

from generate import DEFAULT_OUT, DEFAULT_SIZES, write_plans

from portplan.analysis import analyze
from portplan.cli import build_command_parser, check
from portplan.gcpause import collector_paused
from portplan.hazards import ephemeral_ranges
from portplan.model import Plan

ROOT = Path(__file__).resolve().parents[1]
README = Path(__file__).resolve().parent / "README.md"
REFERENCE_PLAN = "data/ports.toml"
PARSE_TARGET = 1.3
PROCESS_TARGET = 1.15
MAX_RUNS = 41
RESULTS_START, RESULTS_END = "<!-- results:start -->", "<!-- results:end -->"


class Timing(NamedTuple):
    wall: float
    cpu: float

    def __truediv__(self, other: object) -> Timing:
        assert isinstance(other, Timing)
        return Timing(self.wall / other.wall, self.cpu / other.cpu)


def own_cpu() -> float:
    return time.process_time()


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def interleaved_medians(
    actions: Sequence[Callable[[], object]], runs: int, cpu_clock: Callable[[], float] = own_cpu
) -> list[Timing]:
    """Median wall and CPU time of each action, running them in turn `runs` times."""
    walls: list[list[float]] = [[] for _ in actions]
    cpus: list[list[float]] = [[] for _ in actions]
    for action in actions:
        action()  # warm-up: file cache, lazy imports, first-use setup
    for _ in range(runs):
        for index, action in enumerate(actions):
            gc.collect()
            cpu, wall = cpu_clock(), time.perf_counter()
            action()  # the result is dropped inside the timing: freeing it is part of the cost
            walls[index].append(time.perf_counter() - wall)
            cpus[index].append(cpu_clock() - cpu)
    return [
        Timing(statistics.median(wall), statistics.median(cpu))
        for wall, cpu in zip(walls, cpus, strict=True)
    ]


# --- in process ------------------------------------------------------------------------------


def bare_parse(path: Path) -> Callable[[], object]:
    def run() -> object:
        with path.open("rb") as stream:
            return tomllib.load(stream)

    return run


def full_check(path: Path) -> Callable[[], object]:
    # The command's own parser: every option at its default, as `portplan check PLAN` has them.
    args = build_command_parser("check")[0].parse_args([str(path)])

    def run() -> object:
        with open(os.devnull, "w", encoding="utf-8") as sink, redirect_stdout(sink):
            return check.run(args)

    return run


def validate_and_analyze(path: Path, runs: int) -> tuple[Timing, Timing]:
    """The two halves of the check after parsing, each on its own (as the check runs them,
    with the collector paused, and freeing what they built), to show where the time beyond
    the parse goes."""
    data = bare_parse(path)()
    plan = Plan.model_validate(data)
    ranges = ephemeral_ranges(live=True)

    def validate() -> object:
        with collector_paused():
            return Plan.model_validate(data)

    def analysis() -> object:
        with collector_paused():
            return analyze(plan, ranges)

    validate_time, analysis_time = interleaved_medians([validate, analysis], runs)
    return validate_time, analysis_time


def in_process_rows(plans: list[tuple[int, Path]], runs: int) -> tuple[list[list[str]], Timing]:
    """A table row per plan, and the check/parse ratio of the largest plan."""
    rows: list[list[str]] = []
    ratio = Timing(0.0, 0.0)
    largest = max(services for services, _ in plans)
    for services, path in plans:
        # Smaller plans are quick and noisier: give them more runs, up to the same total time.
        runs_here = max(runs, min(MAX_RUNS, runs * largest // services))
        # The parse and the check are timed first, with nothing else on the heap, so that
        # neither pays for the collector walking objects the other one left alive.
        parse, full = interleaved_medians([bare_parse(path), full_check(path)], runs_here)
        validate, analysis = validate_and_analyze(path, runs_here)
        here = full / parse
        if services == largest:
            ratio = here
        rows.append(
            [
                f"{services:,}",
                f"{path.stat().st_size / 1e6:.2f} MB",
                str(runs_here),
                _ms(parse.wall),
                _ms(full.wall),
                f"**{here.wall:.2f}x**",
                f"{here.cpu:.2f}x",
                _ms(validate.wall),
                _ms(analysis.wall),
            ]
        )
        print(
            f"  {services:>6} services: parse {_ms(parse.wall)}, check {_ms(full.wall)} "
            f"({here.wall:.2f}x wall)",
            file=sys.stderr,
        )
    return rows, ratio


# --- whole process ---------------------------------------------------------------------------


def process_env() -> dict[str, str]:
    # Measure what a user gets: an installed package with its bytecode cached. Some sandboxes
    # set PYTHONDONTWRITEBYTECODE, which would make every run recompile portplan's sources.
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["NO_COLOR"] = "1"
    return env


BASELINE = "python -c <define and validate one BaseModel>"
SUBJECT = f"portplan check {REFERENCE_PLAN}"


def process_commands() -> dict[str, list[str]]:
    python = sys.executable
    one_model = "from pydantic import BaseModel\nclass M(BaseModel):\n    x: int\nM(x=1)"
    return {
        "python -c pass": [python, "-c", "pass"],
        'python -c "import pydantic"': [python, "-c", "import pydantic"],
        'python -c "from pydantic import BaseModel"': [
            python,
            "-c",
            "from pydantic import BaseModel",
        ],
        BASELINE: [python, "-c", one_model],
        SUBJECT: [str(Path(python).with_name("portplan")), "check", REFERENCE_PLAN],
        f"python -m portplan check {REFERENCE_PLAN}": [
            python,
            "-m",
            "portplan",
            "check",
            REFERENCE_PLAN,
        ],
    }


def process_rows(runs: int) -> tuple[list[list[str]], Timing]:
    env = process_env()

    def runner(command: list[str]) -> Callable[[], object]:
        def run() -> object:
            done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True)
            if done.returncode not in (0, 1):
                raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr.decode()}")
            return done

        return run

    commands = process_commands()
    medians = interleaved_medians(
        [runner(command) for command in commands.values()], runs, children_cpu
    )
    by_name = dict(zip(commands, medians, strict=True))
    baseline = by_name[BASELINE]
    rows = []
    for name, timing in by_name.items():
        ratio = timing / baseline
        wall_ratio = f"**{ratio.wall:.2f}x**" if name == SUBJECT else f"{ratio.wall:.2f}x"
        rows.append(
            [f"`{name}`", _ms(timing.wall), wall_ratio, _ms(timing.cpu), f"{ratio.cpu:.2f}x"]
        )
    return rows, by_name[SUBJECT] / baseline


def instructions(command: list[str]) -> int:
    """Instructions the command executes (valgrind's cachegrind, no cache simulation)."""
    done = subprocess.run(
        ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null"]
        + command,
        cwd=ROOT,
        env=process_env(),
        capture_output=True,
        text=True,
    )
    match = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    if match is None:
        raise SystemExit(f"valgrind gave no count for {command}:\n{done.stderr[-2000:]}")
    return int(match[1].replace(",", ""))


def instruction_lines() -> list[str]:
    commands = process_commands()
    floor, subject = (commands[BASELINE], commands[SUBJECT])
    for command in (floor, subject):
        subprocess.run(command, cwd=ROOT, env=process_env(), capture_output=True)  # cache .pyc
    counts = instructions(floor), instructions(subject)
    return [
        "",
        f"Instructions (valgrind, whole process): floor {counts[0] / 1e6:,.0f} M, "
        f"`{SUBJECT}` {counts[1] / 1e6:,.0f} M: **{counts[1] / counts[0]:.3f}x**.",
    ]


# --- report ----------------------------------------------------------------------------------


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms"


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|:---|" + "---:|" * (len(header) - 1)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{os.cpu_count()} cores ({cpu}), {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}"
    )


def load_average() -> str:
    try:
        return ", ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "unknown"


def verdict(ratio: Timing, target: float) -> str:
    met = ratio.wall <= target
    return f"{ratio.wall:.2f}x wall ({ratio.cpu:.2f}x CPU): **{'met' if met else 'not met'}**"


def report(
    plan_rows: list[list[str]],
    parse_ratio: Timing,
    process: list[list[str]],
    process_ratio: Timing,
    process_runs: int,
    loads: tuple[str, str],
    instructions: list[str],
) -> str:
    return "\n".join(
        [
            f"Machine: {machine()}. Load average (1, 5, 15 min) {loads[0]} before the run, "
            f"{loads[1]} after.",
            "",
            "In process, median of interleaved runs (wall time; the CPU ratio beside it).",
            "*validate* and *analyze* are the two halves of the check after parsing, timed alone:",
            "",
            table(
                [
                    "services",
                    "file",
                    "runs",
                    "tomllib.load",
                    "full check",
                    "ratio",
                    "ratio (CPU)",
                    "validate",
                    "analyze",
                ],
                plan_rows,
            ),
            "",
            f"Target, full check <= {PARSE_TARGET}x the bare parse on the largest plan: "
            f"{verdict(parse_ratio, PARSE_TARGET)}.",
            "",
            f"Whole process, median of {process_runs} interleaved runs (bytecode cached, output "
            "captured):",
            "",
            table(
                ["command", "wall", "vs one model", "CPU", "vs one model (CPU)"],
                process,
            ),
            "",
            f"Target, `{SUBJECT}` <= {PROCESS_TARGET}x the one-model floor: "
            f"{verdict(process_ratio, PROCESS_TARGET)}.",
            *instructions,
        ]
    )


def write_readme(text: str) -> None:
    readme = README.read_text(encoding="utf-8")
    block = re.compile(re.escape(RESULTS_START) + ".*?" + re.escape(RESULTS_END), re.DOTALL)
    if not block.search(readme):
        raise SystemExit(f"{README} has no {RESULTS_START} ... {RESULTS_END} block")
    replacement = f"{RESULTS_START}\n{text}\n{RESULTS_END}"
    README.write_text(block.sub(lambda _: replacement, readme), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark `portplan check`.")
    parser.add_argument(
        "--runs",
        type=int,
        default=5,
        help="in-process runs on the largest plan (smaller ones get more)",
    )
    parser.add_argument("--process-runs", type=int, default=20, help="runs per command")
    parser.add_argument("--projects", type=int, nargs="+", default=list(DEFAULT_SIZES))
    parser.add_argument(
        "--write-readme", action="store_true", help=f"put the figures into {README.name}"
    )
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="also count the whole-process instructions with valgrind (load-independent)",
    )
    args = parser.parse_args()

    before = load_average()
    print("generating plans ...", file=sys.stderr)
    plans = write_plans(DEFAULT_OUT, tuple(args.projects))
    print("in process ...", file=sys.stderr)
    plan_rows, parse_ratio = in_process_rows(plans, args.runs)
    print("whole process ...", file=sys.stderr)
    process, process_ratio = process_rows(args.process_runs)
    counted = instruction_lines() if args.instructions else []
    text = report(
        plan_rows,
        parse_ratio,
        process,
        process_ratio,
        args.process_runs,
        (before, load_average()),
        counted,
    )
    print(text)
    if args.write_readme:
        write_readme(text)


if __name__ == "__main__":
    main()
