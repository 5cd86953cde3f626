"""How fast `portplan apply` is on a large project folder: the scan (which now records where
each port's digits are), working out the edits and reading them back, and writing.

    .venv/bin/python benchmarks/bench_apply.py [--services N]

A project of N services moved by 1000 ports; its folder holds a Compose file publishing every
service (short, long and interpolated entries), a `.env` with a URL per service, and a
multi-document Kubernetes file with a hostPort per service. The median of five runs counts.
Speed is measured here, never asserted in the tests.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from portplan.apply import prepare, write_all
from portplan.scan import Target, scan
from portplan.store import loads

RUNS = 5


def plan_text(ports: list[int], start: int) -> str:
    services = ",\n".join(f'  {{ port = {port}, name = "S{i}" }}' for i, port in enumerate(ports))
    return (
        f'title = "bench"\n[[projects]]\nname = "P"\nports = "{start}-{start + 9999}"\n'
        f'[[projects.tiers]]\nname = "T"\nports = "{start}-{start + 9999}"\n'
        f"services = [\n{services}\n]\n"
    )


def lay_out(folder: Path, ports: list[int]) -> None:
    entries, env, documents = [], [], []
    for index, port in enumerate(ports):
        kind = index % 3
        if kind == 0:
            entries.append(f'      - "{port}:{8000 + index % 1000}"')
        elif kind == 1:
            entries.append(f"      - target: 80\n        published: {port}")
        else:
            env.append(f"S{index}_PORT={port}")
            entries.append(f'      - "${{S{index}_PORT:-1}}:80"')
        env.append(f"URL_{index}=http://localhost:{port}/v1")
        documents.append(
            f"apiVersion: v1\nkind: Pod\nmetadata: {{name: p{index}}}\nspec:\n  containers:\n"
            f"    - name: c\n      ports:\n        - {{containerPort: 80, hostPort: {port}}}"
        )
    (folder / "k8s").mkdir(parents=True)
    (folder / "compose.yml").write_text("services:\n  app:\n    ports:\n" + "\n".join(entries))
    (folder / ".env").write_text("\n".join(env) + "\n")
    (folder / "k8s" / "pods.yaml").write_text("\n---\n".join(documents) + "\n")


def median(
    action: Callable[[], object], setup: Callable[[], object] = lambda: None
) -> tuple[float, float]:
    """Median wall and CPU seconds; on a shared machine the CPU time is the steadier one."""
    walls, cpus = [], []
    for _ in range(RUNS):
        setup()
        wall, cpu = time.perf_counter(), time.process_time()
        action()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def row(name: str, seconds: tuple[float, float]) -> str:
    return f"  {name:<34} {seconds[0] * 1000:8.1f} ms wall {seconds[1] * 1000:8.1f} ms CPU"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=1000)
    args = parser.parse_args()
    old_ports = [20000 + i * 3 for i in range(args.services)]
    old = loads(plan_text(old_ports, 20000))
    new = loads(plan_text([port + 10000 for port in old_ports], 30000))
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary) / "app"
        lay_out(folder, old_ports)
        originals = {path: path.read_bytes() for path in folder.rglob("*") if path.is_file()}
        targets = [Target(folder, "app", "P")]

        def restore() -> None:
            for path, data in originals.items():
                path.write_bytes(data)
            for backup in folder.rglob("*.bak"):
                backup.unlink()

        scan_time = median(lambda: scan(old, targets))
        prepared = prepare(new, targets, old)
        prepare_time = median(lambda: prepare(new, targets, old))
        write_time = median(lambda: write_all(prepare(new, targets, old).files), restore)
        ports = prepared.ports_changed
    print(f"{args.services} services, {ports} port digits changed in {len(prepared.files)} files")
    print(row("scan", scan_time))
    print(row("prepare (scan, edits, read back)", prepare_time))
    print(row("prepare and write", write_time))


if __name__ == "__main__":
    main()
