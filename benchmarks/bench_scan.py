"""How many files a second does `portplan scan` read? A generated tree of Compose, `.env` and
Kubernetes files, scanned whole process.

    .venv/bin/python benchmarks/bench_scan.py [--files 5000] [--runs 3] [--profile]

The tree (`benchmarks/scan-tree/`, ignored by git; the same seed gives the same files) holds
`--files` files in 50 project folders, a plan tying each project to its folder, and in each
service folder a `compose.yaml` (short and long port syntax, `${VAR:-default}`
interpolation, an `env_file`), a `.env` (`*_PORT=` lines, URLs, comments) and a Kubernetes
manifest (a Deployment with `hostPort`s and a NodePort Service, two documents). Most ports
are the plan's; some drift, so the scan has findings to report. The target is at least
1,000 files a second for the whole command (start-up included), the median of `--runs`.
`--profile` prints where an in-process scan spends its time instead.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench_check import ROOT, children_cpu, process_env

TREE = Path(__file__).resolve().parent / "scan-tree"
PROJECTS = 50
TARGET = 1000.0
# Every third file of each kind per service folder: compose, .env, a manifest.
KINDS = 3

COMPOSE = """\
# {name}: the local stack
services:
  web:
    image: nginx:1.27
    ports:
      - "{web}:80"
      - "127.0.0.1:{api}:8080/tcp"
    environment:
      PORT: "8080"
      API_URL: http://localhost:{api}
  db:
    image: postgres:16
    env_file: .env
    ports:
      - target: 5432
        published: "${{DB_PORT:-{db}}}"
        protocol: tcp
  cache:
    image: redis:7
    ports: ["{cache}:6379"]
    command: ["redis-server", "--save", "60", "1"]
"""

ENV = """\
# {name} settings
WEB_PORT={web}
DB_PORT={db}
CACHE_PORT={cache}
API_URL=http://localhost:{api}/v1
LOG_LEVEL=info
export FEATURE_FLAGS="a,b,c"
"""

MANIFEST = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {slug}
  labels: {{app: {slug}}}
spec:
  replicas: 1
  template:
    metadata:
      labels: {{app: {slug}}}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports:
            - containerPort: 8080
              hostPort: {web}
            - containerPort: 9090
              name: metrics
---
apiVersion: v1
kind: Service
metadata:
  name: {slug}
spec:
  type: NodePort
  selector: {{app: {slug}}}
  ports:
    - port: 80
      targetPort: 8080
      nodePort: {node}
"""


def generate(files: int, tree: Path = TREE, seed: int = 16) -> Path:
    """Write the tree and its plan; return the plan's path."""
    if tree.exists():
        shutil.rmtree(tree)
    rng = random.Random(seed)
    per_project = max(1, -(-files // (PROJECTS * KINDS)))
    plan = ['title = "Scan benchmark"', ""]
    written = 0
    for p in range(PROJECTS):
        base = 20000 + p * 500
        name = f"P{p:02d}"
        plan += [
            "[[projects]]",
            f'name = "{name}"',
            f'ports = "{base}-{base + 499}"',
            f'paths = ["proj-{p:02d}"]',
            "",
        ]
        services: list[str] = []
        for s in range(per_project):
            if written >= files:
                break
            port = base + (s * 4) % 480
            # One service in ten drifts: its files use a port the plan does not know.
            drift = rng.random() < 0.1
            ports = {
                "web": port + (497 if drift else 0),
                "api": port + 1,
                "db": port + 2,
                "cache": port + 3,
                "node": 30000 + (p * per_project + s) % 2700,
            }
            slug = f"svc-{s:03d}"
            folder = tree / f"proj-{p:02d}" / slug
            (folder / "k8s").mkdir(parents=True)
            values = {"name": f"{name} {slug}", "slug": slug, **ports}
            texts = {
                "compose.yaml": COMPOSE.format(**values),
                ".env": ENV.format(**values),
                "k8s/deploy.yaml": MANIFEST.format(**values),
            }
            for relative, text in list(texts.items())[: files - written]:
                (folder / relative).write_text(text, encoding="utf-8")
                written += 1
            services += [
                f'  {{ port = {port}, name = "{slug} web" }},',
                f'  {{ port = {port + 1}, name = "{slug} api" }},',
                f'  {{ port = {port + 2}, name = "{slug} db" }},',
                f'  {{ port = {port + 3}, name = "{slug} cache" }},',
            ]
        plan += [
            "[[projects.tiers]]",
            'name = "Services"',
            f'ports = "{base}-{base + 499}"',
            "services = [",
            *services,
            "]",
            "",
        ]
    path = tree / "ports.toml"
    path.write_text("\n".join(plan), encoding="utf-8")
    return path


def count_files(tree: Path) -> int:
    return sum(1 for path in tree.rglob("*") if path.is_file() and path.name != "ports.toml")


def whole_process(plan: Path, runs: int) -> tuple[float, float, int]:
    """Median wall and CPU seconds of `portplan scan PLAN`, and its exit status."""
    command = [str(Path(sys.executable).with_name("portplan")), "scan", str(plan)]
    walls: list[float] = []
    cpus: list[float] = []
    status = 0
    for run in range(runs + 1):
        cpu, wall = children_cpu(), time.perf_counter()
        done = subprocess.run(command, cwd=ROOT, env=process_env(), capture_output=True)
        if run:  # the first run warms the file cache and the bytecode
            walls.append(time.perf_counter() - wall)
            cpus.append(children_cpu() - cpu)
        status = done.returncode
        if status not in (0, 1):
            raise SystemExit(f"scan failed:\n{done.stderr.decode()}")
    return statistics.median(walls), statistics.median(cpus), status


def profile(plan: Path) -> None:
    import cProfile
    import pstats

    from portplan.environment import read_environment
    from portplan.scan import resolve_targets, scan
    from portplan.store import load

    loaded = load(plan)
    targets = resolve_targets(loaded, plan, [], None)
    profiler = cProfile.Profile()
    profiler.runcall(scan, loaded, targets, read_environment())
    pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    plan = generate(args.files)
    files = count_files(TREE)
    if args.profile:
        profile(plan)
        return
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    wall, cpu, status = whole_process(plan, args.runs)
    rate, cpu_rate = files / wall, files / cpu
    met = "met" if rate >= TARGET else "not met"
    print(f"{files:,} files, {args.runs} runs, load average {load} (exit {status})")
    print(
        f"| `portplan scan` | {wall:.2f} s | **{rate:,.0f} files/s** | CPU {cpu:.2f} s "
        f"| {cpu_rate:,.0f} files/s of CPU |"
    )
    print(f"Target >= {TARGET:,.0f} files/s (wall): **{met}**")


if __name__ == "__main__":
    main()
