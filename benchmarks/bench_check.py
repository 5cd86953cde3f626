"""How fast is `portplan check`? Measured against the two floors it cannot go below.

1. In process, per plan size: a full check (`store.load` + `analysis.analyze`, exactly what
   `portplan check` does before printing) beside a bare `tomllib.load` of the same file.
   Target: the full check costs at most 1.3x the bare parse on the largest plan.
2. Whole process: `portplan check data/ports.toml` beside `python -c "import pydantic"`.
   Target: at most 1.5x the bare pydantic import.

    .venv/bin/python benchmarks/bench_check.py [--runs 5] [--process-runs 20] [--write-readme]

Runs are interleaved (parse, check, parse, check, ...) so that a noisy neighbour slows both
sides alike, and the median is reported. Plans are generated first (see generate.py).
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import re
import statistics
import subprocess
import sys
import time
import tomllib
from collections.abc import Callable, Sequence
from pathlib import Path

from generate import DEFAULT_OUT, DEFAULT_SIZES, write_plans

from portplan.analysis import analyze
from portplan.hazards import ephemeral_ranges
from portplan.model import Plan
from portplan.store import load

ROOT = Path(__file__).resolve().parents[1]
README = Path(__file__).resolve().parent / "README.md"
REFERENCE_PLAN = "data/ports.toml"
PARSE_TARGET = 1.3
PROCESS_TARGET = 1.5
RESULTS_START, RESULTS_END = "<!-- results:start -->", "<!-- results:end -->"


def interleaved_medians(
    actions: Sequence[Callable[[], object]], runs: int
) -> list[float]:
    """Median wall time of each action, running them in turn `runs` times."""
    times: list[list[float]] = [[] for _ in actions]
    for action in actions:
        action()  # warm-up: file cache, lazy imports, first-use setup
    for _ in range(runs):
        for slot, action in zip(times, actions, strict=True):
            started = time.perf_counter()
            action()
            slot.append(time.perf_counter() - started)
    return [statistics.median(slot) for slot in times]


def bare_parse(path: Path) -> Callable[[], object]:
    def run() -> object:
        with path.open("rb") as stream:
            return tomllib.load(stream)

    return run


def full_check(path: Path) -> Callable[[], object]:
    ranges = ephemeral_ranges(live=True)
    return lambda: analyze(load(path), ranges)


def in_process_rows(plans: list[tuple[int, Path]], runs: int) -> tuple[list[list[str]], float]:
    """A table row per plan, and the check/parse ratio of the last (largest) plan."""
    rows, ratio = [], 0.0
    for services, path in plans:
        data = bare_parse(path)()
        plan = Plan.model_validate(data)
        ranges = ephemeral_ranges(live=True)
        parse, check, validate, analysis = interleaved_medians(
            [
                bare_parse(path),
                full_check(path),
                lambda data=data: Plan.model_validate(data),
                lambda plan=plan, ranges=ranges: analyze(plan, ranges),
            ],
            runs,
        )
        ratio = check / parse
        rows.append([
            f"{services:,}", f"{path.stat().st_size / 1e6:.2f} MB", _ms(parse), _ms(check),
            f"{check / parse:.2f}x", _ms(validate), _ms(analysis),
        ])
        print(f"  {services:>6} services: parse {_ms(parse)}, check {_ms(check)} "
              f"({check / parse:.2f}x)", file=sys.stderr)
    return rows, ratio


def process_env() -> dict[str, str]:
    # Measure what a user gets: an installed package with its bytecode cached. Some sandboxes
    # set PYTHONDONTWRITEBYTECODE, which would make every run recompile portplan's sources.
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["NO_COLOR"] = "1"
    return env


def process_rows(runs: int) -> tuple[list[list[str]], float]:
    python = sys.executable
    script = str(Path(python).with_name("portplan"))
    floor = "from pydantic import BaseModel\nclass M(BaseModel):\n    x: int\nM(x=1)"
    commands = {
        "python -c pass": [python, "-c", "pass"],
        'python -c "import pydantic"': [python, "-c", "import pydantic"],
        'python -c "from pydantic import BaseModel"': [
            python, "-c", "from pydantic import BaseModel"
        ],
        "python -c <one BaseModel subclass, validated>": [python, "-c", floor],
        f"portplan check {REFERENCE_PLAN}": [script, "check", REFERENCE_PLAN],
        f"python -m portplan check {REFERENCE_PLAN}": [python, "-m", "portplan", "check",
                                                       REFERENCE_PLAN],
    }
    env = process_env()

    def runner(command: list[str]) -> Callable[[], object]:
        def run() -> object:
            done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True)
            if done.returncode not in (0, 1):
                raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr.decode()}")
            return done

        return run

    medians = interleaved_medians([runner(command) for command in commands.values()], runs)
    by_name = dict(zip(commands, medians, strict=True))
    pydantic = by_name['python -c "import pydantic"']
    rows = [[name, _ms(seconds), f"{seconds / pydantic:.2f}x"] for name, seconds in by_name.items()]
    return rows, by_name[f"portplan check {REFERENCE_PLAN}"] / pydantic


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms"


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---:" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    lines[1] = "|:---" + lines[1][5:]  # first column left-aligned
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
    return (f"{os.cpu_count()} cores ({cpu}), {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}")


def report(plan_rows: list[list[str]], parse_ratio: float, process: list[list[str]],
           process_ratio: float, runs: int, process_runs: int) -> str:
    met = {True: "**met**", False: "**not met**"}
    return "\n".join([
        f"Machine: {machine()}.",
        "",
        f"In process (median of {runs} interleaved runs; *validate* and *analyze* are the two",
        "halves of the check after parsing, timed on their own):",
        "",
        table(["services", "file", "tomllib.load", "full check", "ratio", "validate",
               "analyze"], plan_rows),
        "",
        f"Target full check <= {PARSE_TARGET}x the bare parse on the largest plan: "
        f"{parse_ratio:.2f}x, {met[parse_ratio <= PARSE_TARGET]}.",
        "",
        f"Whole process (median of {process_runs} interleaved runs, bytecode cached, "
        "output discarded):",
        "",
        table(["command", "time", "vs import pydantic"], process),
        "",
        f"Target `portplan check {REFERENCE_PLAN}` <= {PROCESS_TARGET}x `import pydantic`: "
        f"{process_ratio:.2f}x, {met[process_ratio <= PROCESS_TARGET]}.",
    ])


def write_readme(text: str) -> None:
    readme = README.read_text(encoding="utf-8")
    block = re.compile(re.escape(RESULTS_START) + ".*?" + re.escape(RESULTS_END), re.DOTALL)
    if not block.search(readme):
        raise SystemExit(f"{README} has no {RESULTS_START} ... {RESULTS_END} block")
    replacement = f"{RESULTS_START}\n{text}\n{RESULTS_END}"
    README.write_text(block.sub(lambda _: replacement, readme), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark `portplan check`.")
    parser.add_argument("--runs", type=int, default=5, help="in-process runs per plan")
    parser.add_argument("--process-runs", type=int, default=20, help="runs per command")
    parser.add_argument("--projects", type=int, nargs="+", default=list(DEFAULT_SIZES))
    parser.add_argument("--write-readme", action="store_true",
                        help=f"put the figures into {README.name}")
    args = parser.parse_args()

    print("generating plans ...", file=sys.stderr)
    plans = write_plans(DEFAULT_OUT, tuple(args.projects))
    print("in process ...", file=sys.stderr)
    gc.collect()
    plan_rows, largest = in_process_rows(plans, args.runs)
    print("whole process ...", file=sys.stderr)
    process, process_ratio = process_rows(args.process_runs)
    text = report(plan_rows, largest, process, process_ratio, args.runs, args.process_runs)
    print(text)
    if args.write_readme:
        write_readme(text)


if __name__ == "__main__":
    main()
