"""The planner through a real terminal: the app on a pseudo-terminal, keys written to it, and
the time until the screen shows the result. Targets from the issue, on 61,440 services:

- a confirmed move, release or reserve, and an undo, shown in median <= 50 ms, worst <= 100 ms;
- each keystroke in the move dialog's port field updates the live preview within 30 ms;
- 100 undos written at once settle within 2 s.

`portplan PLAN` runs as a child process on a pty of 120x36 (TERM=xterm-256color); what it
writes is fed to a `pyte` screen. A time runs from the write of the key to the read of the
first chunk of output after which the expected text is on that screen (no quiet window is
added). The steps between timed keys (finding a service with `/`, opening a dialog) are not
timed. A `Session` on the same file in this process mirrors every edit, so that the bench
knows each free port, each edit's label (the status line says it) and each preview.

    .venv/bin/python benchmarks/bench_pty.py [--projects 64] [--edits 30] [--burst 100]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from generate import DEFAULT_OUT, write_plans
from pty_screen import Terminal
from rich.style import Style

from portplan.edits import Edit, MoveService, ReleaseService, ReserveService
from portplan.environment import read_environment
from portplan.model import Project, Service, ServiceRef, Tier, TierRef
from portplan.resolve import Scope
from portplan.session import Session
from portplan.tui.preview import count_line, preview_lines

ROOT = Path(__file__).resolve().parents[1]
COLUMNS, LINES = 120, 36
WORKING_SET = (0, 21, 42, 63)  # as bench_tui.py: one plan-wide, one in the ephemeral range


class Palette(dict[str, Style]):
    """No colours: the bench compares the preview's text only."""

    def __missing__(self, key: str) -> Style:
        return Style()


class Bench:
    def __init__(self, term: Terminal, mirror: Session) -> None:
        self.term = term
        self.mirror = mirror
        self.times: dict[str, list[float]] = {}
        self.cpu: dict[str, list[float]] = {}  # the app's CPU time for each
        self.indistinct = 0  # keystrokes whose preview looked as the one before

    def record(self, kind: str, seconds: float) -> None:
        self.times.setdefault(kind, []).append(seconds)
        self.cpu.setdefault(kind, []).append(self.term.last_cpu)

    def status(self) -> str:
        return self.term.row(LINES - 2)

    def timed(self, kind: str, keys: str, shown: Callable[[], bool]) -> None:
        if shown():
            raise RuntimeError(f"{kind} shown before the key:\n{self.term.dump()}")
        self.record(kind, self.term.press_until(keys, shown, f"{kind} shown"))

    def go_to(self, port: int, expected: str) -> None:
        """`/`, the port, enter: the find dialog highlights the first match in the tree."""
        term = self.term
        term.press_until("/", lambda: term.shows("Find a port or a name"), "find dialog")
        term.press_until(str(port), lambda: term.shows(expected), f"match {expected}")
        term.press_until("\r", lambda: not term.shows("Find a port or a name"), "find closed")
        term.quiet()

    # --- edits ----------------------------------------------------------------------

    def move(self, ref: ServiceRef, port: int, old: int) -> None:
        term = self.term
        self.go_to(old, f"{old}  {ref}")
        term.press_until("m", lambda: term.shows("New port"), "move dialog")
        term.quiet()
        project = self.mirror.plan.project(ref.project)
        home = TierRef(ref.project, ref.tier)
        before: tuple[str, str] | None = None
        typed = ""
        for digit in str(port):
            typed += digit
            value = int(typed)
            followed = next((t for t in project.tiers if value in t.ports), None)
            if followed is not None:
                home = TierRef(project.name, followed.name)
            look = self.preview_look(MoveService(ref, value, home.project, home.tier), ref, value)
            if look == before:
                self.indistinct += 1
                term.press_until(digit, partial(term.shows, typed), "port typed")
                term.quiet()
            else:
                self.timed("keystroke preview", digit, partial(self.previews, *look))
            before = look
        edit = MoveService(ref, port, home.project, home.tier)
        self.mirror.apply(edit)
        label = edit.label
        self.timed("move", "\r", lambda: self.status().startswith(label))

    def preview_look(self, edit: Edit, ref: ServiceRef, port: int) -> tuple[str, str]:
        """What the dialog's preview starts with, and its count line, for this edit."""
        preview = self.mirror.preview(edit, port, moving=str(ref))
        first = preview_lines(preview, Palette()).plain.split("\n")[0]
        return " ".join(first.split()), count_line(preview, Palette()).plain

    def previews(self, first: str, count: str) -> bool:
        """The dialog (framed by full blocks) shows this count line, and this first line
        of the preview (wrapped over rows)."""
        rows = []
        for line in self.term.display:
            left, right = line.find("█"), line.rfind("█")
            if 0 <= left < right:
                rows.append(line[left + 1 : right].strip())
        return count in rows and first in " ".join(" ".join(rows).split())

    def release(self, ref: ServiceRef, port: int) -> None:
        term = self.term
        self.go_to(port, f"{port}  {ref}")
        term.press_until("d", lambda: term.shows("Release port"), "release dialog")
        term.quiet()
        edit = ReleaseService(ref)
        self.mirror.apply(edit)
        label = edit.label
        self.timed("release", "y", lambda: self.status().startswith(label))

    def reserve(self, home: TierRef, free: int, name: str) -> None:
        term = self.term
        self.go_to(free, f"{home}")
        project = self.mirror.plan.project(home.project)
        tier = next(t for t in project.tiers if t.name == home.tier)
        port = self.mirror.suggest_port(Scope(project, tier))
        assert port is not None
        term.press_until("r", lambda: term.shows("Service name"), "reserve dialog")
        term.quiet()
        term.press_until(name, lambda: term.shows(name), "name typed")
        term.quiet()
        edit = ReserveService(home.project, home.tier, Service(port=port, name=name))
        self.mirror.apply(edit)
        label = edit.label
        self.timed("reserve", "\r", lambda: self.status().startswith(label))

    def undo(self, kind: str = "undo") -> None:
        edit = self.mirror.undo()
        assert edit is not None
        label = f"Undid: {edit.label}"
        self.timed(kind, "u", lambda: self.status().startswith(label))

    def redo(self) -> None:
        edit = self.mirror.redo()
        assert edit is not None
        label = f"Redid: {edit.label}"
        self.timed("redo", "\x19", lambda: self.status().startswith(label))

    def undo_all_at_once(self, count: int) -> None:
        edit = None
        for _ in range(count):
            edit = self.mirror.undo()
        assert edit is not None and not self.mirror.modified
        label = f"Undid: {edit.label}"
        term = self.term

        def settled() -> bool:
            return self.status().startswith(label) and not term.shows("● modified")

        self.record(f"{count} undos at once", term.press_until("u" * count, settled, "undone"))


def free_port(tier: Tier, step: int) -> int:
    used = {service.port for service in tier.services}
    free = [port for port in tier.ports if port not in used]
    return free[-1 - step % len(free)]


def roomy_tier(project: Project, step: int) -> Tier:
    """One of the project's tiers, in turn, passing over those without a free port."""
    count = len(project.tiers)
    for offset in range(count):
        tier = project.tiers[(step + offset) % count]
        if len({s.port for s in tier.services}) < len(tier.ports):
            return tier
    raise RuntimeError(f"{project.name} has no free port left")


def unique_service(session: Session, tier: Tier, step: int) -> Service:
    for offset in range(len(tier.services)):
        service = tier.services[(step * 7 + offset) % len(tier.services)]
        if len(session.live.projects_on(service.port)) == 1 and (
            sum(1 for s in tier.services if s.port == service.port) == 1
        ):
            if len(session.port_owners(service.port)) == 1:
                return service
    raise RuntimeError(f"no service of its own port in {tier.name}")


def drive(bench: Bench, edits: int, burst: int) -> None:
    plan = bench.mirror.plan
    done = 0
    for step in range(edits):
        for kind in ("move", "release", "reserve"):
            project = plan.projects[WORKING_SET[(step + done) % len(WORKING_SET)]]
            tier = roomy_tier(project, step + done)
            if kind == "move":
                service = unique_service(bench.mirror, tier, step)
                ref = ServiceRef(project.name, tier.name, service.name)
                bench.move(ref, free_port(tier, step), service.port)
            elif kind == "release":
                service = unique_service(bench.mirror, tier, step)
                bench.release(ServiceRef(project.name, tier.name, service.name), service.port)
            else:
                home = TierRef(project.name, tier.name)
                bench.reserve(home, free_port(tier, step), f"Bench {step}")
            done += 1
    for _ in range(edits):
        bench.undo()
    for _ in range(edits):
        bench.redo()
    while done < burst:  # the burst undoes every edit of the run
        project = plan.projects[WORKING_SET[done % len(WORKING_SET)]]
        tier = roomy_tier(project, done)
        service = unique_service(bench.mirror, tier, done)
        ref = ServiceRef(project.name, tier.name, service.name)
        bench.move(ref, free_port(tier, done), service.port)
        done += 1
    bench.undo_all_at_once(done)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=64)
    parser.add_argument("--edits", type=int, default=30, help="of each kind (and undos)")
    parser.add_argument("--burst", type=int, default=100, help="undos written at once")
    parser.add_argument("--profile", metavar="FILE", help="profile the app into FILE")
    parser.add_argument(
        "--timeline",
        metavar="FILE",
        help="write into FILE, for each key, when each step of the app's answer ran "
        "(pty_timeline/sitecustomize.py)",
    )
    parser.add_argument(
        "--profiler",
        default="cProfile",
        help="cProfile (a .prof file) or pyinstrument (text; `pip install pyinstrument`)",
    )
    args = parser.parse_args()
    [(services, source)] = write_plans(DEFAULT_OUT, (args.projects,))
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="bench-pty-") as home:
        path = Path(home) / source.name
        shutil.copyfile(source, path)
        mirror = Session.open(path, read_environment())
        env = {
            **os.environ,
            "HOME": home,
            **{f"XDG_{kind}_HOME": home for kind in ("CONFIG", "DATA", "STATE", "CACHE")},
        }
        if args.timeline:
            env["PYTHONPATH"] = str(Path(__file__).resolve().parent / "pty_timeline")
            env["PORTPLAN_TIMELINE"] = str(Path(args.timeline).resolve())
        command = [str(ROOT / ".venv" / "bin" / "portplan"), str(path)]
        if args.profile:
            options = ["-r", "text", "-o"] if args.profiler == "pyinstrument" else ["-o"]
            profile = ["-m", args.profiler, *options, str(Path(args.profile).resolve())]
            command = [sys.executable, *profile, "-m", "portplan", str(path)]
        with Terminal(command, COLUMNS, LINES, env) as term:
            started = time.perf_counter()
            term.wait_until(lambda: term.shows(f"{services} services"), "first screen", 120)
            first = term.last_read - started
            term.quiet()
            bench = Bench(term, mirror)
            drive(bench, args.edits, args.burst)
            # A profiler writes its report once the app has quit.
            term.press_until("q", lambda: term.exited, "quit", timeout=600 if args.profile else 30)
    load_after = os.getloadavg()
    report(bench, services, first, load_before, load_after)


TARGETS = {
    "move": "50 / 100",
    "release": "50 / 100",
    "reserve": "50 / 100",
    "undo": "50 / 100",
    "redo": "",
    "keystroke preview": "30 / 30",
}


def report(
    bench: Bench,
    services: int,
    first: float,
    before: tuple[float, float, float],
    after: tuple[float, float, float],
) -> None:
    print(f"{services:,} services, {COLUMNS}x{LINES} pty; first screen {first * 1000:,.0f} ms")
    print(
        "Load average (1, 5, 15 min) {:.2f}, {:.2f}, {:.2f} before, "
        "{:.2f}, {:.2f}, {:.2f} after.".format(*before, *after)
    )
    print()
    print(
        "| key, until the screen shows it | count | median | 9 in 10 within | worst "
        "| app CPU: median, worst | target (median / worst) |"
    )
    print("|:---|---:|---:|---:|---:|---:|:---|")
    for kind, values in bench.times.items():
        target = TARGETS.get(kind, "2,000 (settled)")
        cpu = bench.cpu[kind]
        # The worst of a few hundred keys is one draw of the machine's noise; the 90th
        # percentile says whether it is alone.
        tenth = statistics.quantiles(values, n=10)[-1] if len(values) > 1 else values[0]
        print(
            f"| {kind} | {len(values)} | {statistics.median(values) * 1000:,.1f} ms "
            f"| {tenth * 1000:,.1f} ms | {max(values) * 1000:,.1f} ms "
            f"| {statistics.median(cpu) * 1000:,.1f} ms, {max(cpu) * 1000:,.1f} ms | {target} |"
        )
    print(f"\n({bench.indistinct} keystrokes whose preview is unchanged were not timed.)")


if __name__ == "__main__":
    main()
