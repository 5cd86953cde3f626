"""How much CPU a confirmed edit, an undo, a redo and a move dialog's preview cost the
session's findings on a large plan, without the app: `Session` driven directly.

    .venv/bin/python benchmarks/generate.py --projects 64
    .venv/bin/python benchmarks/bench_live.py [PLAN] [--moves 20]

Half the moves go to a free port of the service's own tier (a region of one project), half
onto a port another project's service holds (a region of two). Each is previewed, confirmed,
undone and redone; the medians of `time.process_time` are printed (on a shared machine the
CPU time is the steadier figure). As in the planner, the plan is kept out of the cyclic
collector's passes and the collector is paused around each step (`gcpause`); `--collector`
leaves it running. Speed is measured here, never asserted in the tests.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from portplan.analysis import analyze
from portplan.edits import MoveService
from portplan.gcpause import collector_paused, keep_out_of_collections
from portplan.model import ServiceRef
from portplan.session import Session

DEFAULT_PLAN = Path(__file__).resolve().parent / "plans" / "plan-64x8x120.toml"


PAUSED = True


def timed(action: Callable[[], object]) -> float:
    start = time.process_time()
    if PAUSED:
        with collector_paused():
            action()
    else:
        action()
    return time.process_time() - start


def moves(session: Session, count: int, seed: int = 16) -> list[MoveService]:
    """`count` moves of distinct services: alternately to a free port of the service's tier
    and onto a port of a service of another project."""
    rng = random.Random(seed)
    services = list(session.plan.services())
    used = {service.port for _, _, service in services}
    chosen = rng.sample(services, count)
    found: list[MoveService] = []
    for number, (project, tier, service) in enumerate(chosen):
        ref = ServiceRef(project.name, tier.name, service.name)
        if number % 2 == 0:
            free = [port for port in tier.ports if port not in used]
            port = rng.choice(free)
            used.add(port)
        else:
            others = [s.port for p, _, s in services if p.name != project.name]
            port = rng.choice(others)
        found.append(MoveService(ref, port))
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("plan", nargs="?", type=Path, default=DEFAULT_PLAN)
    parser.add_argument("--moves", type=int, default=20)
    parser.add_argument("--no-check", action="store_true", help="skip the full analysis at the end")
    parser.add_argument("--collector", action="store_true", help="leave the cyclic collector on")
    args = parser.parse_args()
    session = Session.open(args.plan)
    if not args.collector:
        keep_out_of_collections(len(list(session.plan.services())))
    global PAUSED
    PAUSED = not args.collector
    figures: dict[str, list[float]] = {"preview": [], "move": [], "undo": [], "redo": []}
    for move in moves(session, args.moves):
        figures["preview"].append(timed(lambda move=move: session.preview(move, move.port)))
        figures["move"].append(timed(lambda move=move: session.apply(move)))
        figures["undo"].append(timed(session.undo))
        figures["redo"].append(timed(session.redo))
    for name, seconds in figures.items():
        print(
            f"  {name:<8} median {statistics.median(seconds) * 1000:7.2f} ms CPU,"
            f" worst {max(seconds) * 1000:7.2f} ms ({len(seconds)})"
        )
    if not args.no_check:
        assert session.findings == analyze(session.plan, session.ephemeral), "findings differ"
        print("  findings equal a full analysis")


if __name__ == "__main__":
    main()
