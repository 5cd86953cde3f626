"""Which TOML reader should read plans? The three candidates on the largest plan, in one run.

    .venv/bin/python benchmarks/bench_read.py [--runs 7] [--projects 64]

`tomllib` (the standard library's pure-Python parser, the floor `check` is judged against),
the compiled `tomli` wheel (the same parser built with mypyc) and `rtoml` (Rust), each
reading the same generated plan, runs alternating, medians of wall and CPU time. `rtoml` is
measured only if installed: it is not a dependency (it reads TOML 1.1, see README).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable
from pathlib import Path

from bench_check import interleaved_medians
from generate import DEFAULT_OUT, write_plans


def reader(name: str, path: Path) -> Callable[[], object] | None:
    try:
        module = importlib.import_module(name)
    except ImportError:
        return None
    text = path.read_text(encoding="utf-8")
    return lambda: module.loads(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--projects", type=int, default=64)
    args = parser.parse_args()
    ((services, path),) = write_plans(DEFAULT_OUT, (args.projects,))
    candidates = {name: reader(name, path) for name in ("tomllib", "tomli", "rtoml")}
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
    if sys.modules.get("tomli") is not None:
        print(f"tomli from {sys.modules['tomli'].__file__}")


if __name__ == "__main__":
    main()
