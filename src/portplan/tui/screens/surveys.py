"""The planner's looks at the real world: the probe (this machine's listening sockets) and the
scan (the projects' folders).

Both block, so each runs in a thread and posts its report to the screen as a message; the
screen handles it with `@on` and folds it into the session with `take_probe` / `take_scan`
(on the screen's thread, since the session is not shared between threads while it changes).
The probe and the scan modules are imported by their threads, when first used: they are not
needed to open the planner.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message
from textual.screen import Screen

from portplan.model import Plan
from portplan.session import Session

if TYPE_CHECKING:
    from portplan.probe import ProbeReport
    from portplan.scan.scanner import ScanReport


class ProbeDone(Message):
    def __init__(self, report: ProbeReport) -> None:
        super().__init__()
        self.report = report


class ScanDone(Message):
    def __init__(self, report: ScanReport) -> None:
        super().__init__()
        self.report = report


def start_probe(screen: Screen[None], plan: Plan) -> None:
    def run() -> None:
        from portplan.probe import probe

        screen.post_message(ProbeDone(probe(plan)))

    screen.run_worker(run, thread=True, exclusive=True, group="probe")


def start_scan(screen: Screen[None], session: Session) -> bool:
    """Scan every project's `paths`; False (and a note saying what to do) when none has any."""
    plan, path, ephemeral = session.plan, session.path, session.ephemeral
    if not any(project.paths for project in plan.projects):
        screen.notify(
            "No project has `paths` in the plan, so there is nothing to scan. "
            'Add paths = ["../folder"] to a project.',
            title="Scan",
        )
        return False

    def run() -> None:
        from portplan.scan.scanner import scan_projects

        screen.post_message(ScanDone(scan_projects(plan, path, ephemeral)))

    screen.run_worker(run, thread=True, exclusive=True, group="scan")
    return True


def take_probe(session: Session, report: ProbeReport) -> tuple[dict[int, str], str]:
    """Keep the probe's listeners and findings in the session; returns the processes on each
    port (for the tree's labels) and the status line."""
    listeners: dict[int, list[str]] = {}
    for listener in report.listeners:
        listeners.setdefault(listener.port, []).append(listener.owner())
    session.listeners = listeners
    session.probe_findings = list(report.findings)
    in_use = {port: ", ".join(sorted(set(owners))) for port, owners in listeners.items()}
    blind = f" · {report.blind_spots[0]}" if report.blind_spots else ""
    status = (
        f"Probe: {len(report.in_use)} planned ports in use, {len(report.findings)} findings{blind}"
    )
    return in_use, status


def take_scan(session: Session, report: ScanReport) -> str:
    """Keep the scan's drift findings in the session; returns the status line."""
    session.scan_findings = [drift.as_finding() for drift in report.findings]
    files = sum(len(folder.files) for folder in report.folders)
    return f"Scan: {files} files in {len(report.folders)} folders, {len(report.findings)} findings"
