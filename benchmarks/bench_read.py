"""Which TOML reader should read plans? The three candidates on the largest plan, in one run.

    .venv/bin/python benchmarks/bench_read.py [--runs 7] [--projects 64] [--process-runs 5]

Then, whole process, the issue's first target: `portplan check` on that plan beside
`python -c "import tomllib; tomllib.load(...)"` of the same file (CPU of the children beside
wall time).

`tomllib` (the standard library's pure-Python parser, the floor `check` is judged against),
`portplan.tomlread` (the plan reader: `toml-rs` with its guards and `tomllib` fallback), and
`toml_rs` alone, each reading the same generated plan, runs alternating, medians of wall and
CPU time. The compiled `tomli` wheel and `rtoml`, measured before `toml-rs` was chosen, are
measured too if installed (neither is a dependency; see README).
"""

from __future__ import annotations

import argparse
import importlib
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from bench_check import ROOT, children_cpu, interleaved_medians, process_env
from generate import DEFAULT_OUT, write_plans

READERS = ("tomllib", "portplan.tomlread", "toml_rs", "tomli", "rtoml")


def reader(name: str, path: Path) -> Callable[[], object] | None:
    try:
        module = importlib.import_module(name)
    except ImportError:
        return None
    text = path.read_text(encoding="utf-8")
    if name == "toml_rs":
        return lambda: module.loads(text, toml_version="1.0.0")
    return lambda: module.loads(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--projects", type=int, default=64)
    parser.add_argument("--process-runs", type=int, default=5)
    args = parser.parse_args()
    ((services, path),) = write_plans(DEFAULT_OUT, (args.projects,))
    candidates = {name: reader(name, path) for name in READERS}
    present = {name: action for name, action in candidates.items() if action is not None}
    medians = interleaved_medians(list(present.values()), args.runs)
    floor = medians[0]
    print(
        f"{services:,} services, {path.stat().st_size / 1e6:.2f} MB, {args.runs} runs, "
        f"load average {', '.join(f'{v:.2f}' for v in os.getloadavg())}"
    )
    print("| reader | wall | vs tomllib | CPU | vs tomllib (CPU) |")
    print("|:---|---:|---:|---:|---:|")
    for name, timing in zip(present, medians, strict=True):
        ratio = timing / floor
        print(
            f"| `{name}` | {timing.wall * 1000:,.0f} ms | {ratio.wall:.2f}x | "
            f"{timing.cpu * 1000:,.0f} ms | {ratio.cpu:.2f}x |"
        )
    whole_process(path, args.process_runs)


def whole_process(path: Path, runs: int) -> None:
    python = sys.executable
    parse = f"import tomllib\nwith open({str(path)!r}, 'rb') as f: tomllib.load(f)"
    commands = {
        "python -c <tomllib.load of the plan>": [python, "-c", parse],
        "portplan check <plan>": [str(Path(python).with_name("portplan")), "check", str(path)],
    }
    env = process_env()

    def runner(command: list[str]) -> Callable[[], object]:
        return lambda: subprocess.run(command, cwd=ROOT, env=env, capture_output=True)

    medians = interleaved_medians([runner(c) for c in commands.values()], runs, children_cpu)
    floor = medians[0]
    print(f"\nWhole process, {runs} runs:")
    print("| command | wall | vs tomllib.load | CPU | vs tomllib.load (CPU) |")
    print("|:---|---:|---:|---:|---:|")
    for name, timing in zip(commands, medians, strict=True):
        ratio = timing / floor
        print(
            f"| `{name}` | {timing.wall * 1000:,.0f} ms | {ratio.wall:.2f}x | "
            f"{timing.cpu * 1000:,.0f} ms | {ratio.cpu:.2f}x |"
        )


if __name__ == "__main__":
    main()
