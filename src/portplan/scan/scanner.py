"""A scan: which folders belong to which project, reading them, and the report.

Pure functions over the file system, returning a `ScanReport`: the CLI prints it, and the
planner can run `scan_projects` in a worker and show the findings.
"""

from __future__ import annotations

import os
import sys
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from portplan.environment import DEFAULT_ENVIRONMENT, EnvironmentLike
from portplan.errors import UsageError
from portplan.findings import SEVERITIES
from portplan.model import Plan, Project
from portplan.resolve import resolve_scope
from portplan.scan.context import FolderContext, ReadRequest
from portplan.scan.drift import Drift, PlanPorts, check_uses, clashing_uses, missing_services
from portplan.scan.uses import FileNote, FileReading, Place, PortUse
from portplan.scan.walk import FoundFile, find_files


@dataclass(frozen=True, slots=True)
class Target:
    """A folder to scan, as the user sees its path, and the project it belongs to (if any)."""

    folder: Path
    label: str
    project: str | None


@dataclass(slots=True)
class FolderReport:
    target: Target
    files: list[str] = field(default_factory=list)
    uses: list[PortUse] = field(default_factory=list)
    notes: list[FileNote] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "folder": self.target.label,
            "project": self.target.project,
            "files": list(self.files),
            "uses": [use.as_dict() for use in self.uses],
            "notes": [note.as_dict() for note in self.notes],
        }


@dataclass(slots=True)
class ScanReport:
    folders: list[FolderReport]
    findings: list[Drift]

    @property
    def notes(self) -> list[FileNote]:
        return [note for folder in self.folders for note in folder.notes]

    def summary(self) -> dict[str, int]:
        counts: dict[str, int] = dict.fromkeys(SEVERITIES, 0)
        for finding in self.findings:
            counts[finding.severity] += 1
        counts["file_problems"] = sum(1 for note in self.notes if note.level == "warning")
        return counts

    @property
    def drift_found(self) -> bool:
        """Errors or warnings, or a file not read in full (then the check is incomplete)."""
        summary = self.summary()
        return bool(summary["error"] or summary["warning"] or summary["file_problems"])

    def as_dict(self) -> dict[str, object]:
        return {
            "folders": [folder.as_dict() for folder in self.folders],
            "findings": [finding.as_dict() for finding in self.findings],
            "summary": self.summary(),
        }


# --- which folders ------------------------------------------------------------------------


def _label(path: Path) -> str:
    return os.path.normpath(path)


def project_folders(plan: Plan, plan_path: Path) -> list[Target]:
    """Every folder named in a project's `paths`, relative to the plan file."""
    base = plan_path.parent
    return [
        Target(base / entry, _label(base / entry), project.name)
        for project in plan.projects
        for entry in project.paths
    ]


def resolve_targets(
    plan: Plan, plan_path: Path, folders: Sequence[str], project: str | None
) -> list[Target]:
    """The folders a `scan` command names, each tied to a project where one applies.

    No folders: every project's own `paths`. Folders with a project: all tied to it. Folders
    alone: tied to the project whose `paths` hold them, else untied (plan-wide checks only).
    """
    chosen = _project(plan, project) if project is not None else None
    if not folders:
        targets = project_folders(plan, plan_path)
        if chosen is not None:
            targets = [target for target in targets if target.project == chosen.name]
        if not targets:
            none = (
                f"project {chosen.name} has no `paths`"
                if chosen
                else f"no project in {plan_path} has `paths`"
            )
            raise UsageError(f"{none}; name the folders to scan: portplan scan DIR ...")
        return targets
    for folder in folders:
        if not Path(folder).is_dir():
            what = "no such folder" if not Path(folder).exists() else "not a folder"
            raise UsageError(f"{folder}: {what}")
    if chosen is not None:
        return [Target(Path(folder), _label(Path(folder)), chosen.name) for folder in folders]
    owned = [
        (target.folder.resolve(), target.project) for target in project_folders(plan, plan_path)
    ]
    targets = []
    for folder in folders:
        real = Path(folder).resolve()
        owner = next(
            (name for root, name in owned if real == root or real.is_relative_to(root)), None
        )
        targets.append(Target(Path(folder), _label(Path(folder)), owner))
    return targets


def _project(plan: Plan, name: str) -> Project:
    scope = resolve_scope(plan, name)
    if scope.tier is not None:
        raise UsageError(f"{name!r} names a tier; --project takes a project name")
    return scope.project


# --- reading and checking -----------------------------------------------------------------


def scan_projects(
    plan: Plan, plan_path: Path, ephemeral: EnvironmentLike = DEFAULT_ENVIRONMENT
) -> ScanReport:
    """Every project against its own `paths` (an empty report when none has paths)."""
    return scan(plan, project_folders(plan, plan_path), ephemeral)


def scan(
    plan: Plan,
    targets: Sequence[Target],
    ephemeral: EnvironmentLike = DEFAULT_ENVIRONMENT,
    read: Callable[[Target], FolderReport] | None = None,
    workers: int = 1,
) -> ScanReport:
    """`read` reads one folder (`read_folder` by default; `apply` keeps what it read).
    `workers` above 1 lets a large scan read its folders in that many processes."""
    index = PlanPorts(plan, ephemeral)
    if read is None and workers > 1:
        folders = read_folders(targets, workers)
    else:
        folders = [(read or read_folder)(target) for target in targets]
    findings: list[Drift] = []
    uses_by_project: dict[str, list[PortUse]] = defaultdict(list)
    read_by_project: dict[str, bool] = defaultdict(bool)
    for folder in folders:
        tied = _tied(plan, folder.target.project)
        findings.extend(check_uses(folder.uses, tied, index))
        findings.extend(clashing_uses(folder.uses))
        if tied is not None:
            uses_by_project[tied.name].extend(folder.uses)
            read_by_project[tied.name] |= folder.target.folder.is_dir()
    for name, was_read in read_by_project.items():
        if was_read:  # a project whose folders are all missing has its note already
            findings.extend(missing_services(plan.project(name), uses_by_project[name]))
    findings.sort(key=Drift.sort_key)
    return ScanReport(folders, findings)


def _tied(plan: Plan, name: str | None) -> Project | None:
    if name is None:
        return None
    try:
        return plan.project(name)
    except KeyError:
        return None


# Below this many files, starting worker processes costs more than it saves.
PARALLEL_FILES = 400
Walked = tuple[list[FoundFile], list[FileNote]]


def read_folders(
    targets: Sequence[Target], workers: int, min_files: int | None = None
) -> list[FolderReport]:
    """Every target's report, in order, exactly as `read_folder` gives it one by one.

    Each folder is read on its own, so with many files (`PARALLEL_FILES`) and more than one
    folder they are read by `workers` processes, forked (on Linux only) with everything
    already imported; the walk, cheap, is done first here to count the files.
    """
    walked = [_walk(target) for target in targets]
    files = sum(len(found) for found, _ in filter(None, walked))
    jobs = list(zip(targets, walked, strict=True))
    enough = files >= (PARALLEL_FILES if min_files is None else min_files)
    if workers > 1 and len(targets) > 1 and enough and sys.platform == "linux":
        import multiprocessing
        import signal
        from concurrent.futures import ProcessPoolExecutor
        from concurrent.futures.process import BrokenProcessPool

        sys.stdout.flush()  # a forked worker flushes what it inherited when it ends
        sys.stderr.flush()
        forked = multiprocessing.get_context("fork")
        # Ctrl-C is the parent's to answer: workers ignore it, and unstarted folders are
        # dropped instead of read before the parent may stop.
        quiet = (signal.SIGINT, signal.SIG_IGN)
        pool = ProcessPoolExecutor(
            min(workers, len(targets)), forked, initializer=signal.signal, initargs=quiet
        )
        try:
            return list(pool.map(_read_job, jobs))
        except (BrokenProcessPool, OSError):
            pass  # no process could be started (or one died): read them here instead
        finally:
            pool.shutdown(cancel_futures=True)
    return [_read_job(job) for job in jobs]


def _walk(target: Target) -> Walked | None:
    return find_files(target.folder, target.label) if target.folder.is_dir() else None


def _read_job(job: tuple[Target, Walked | None]) -> FolderReport:
    target, walked = job
    return read_folder(target, walked=walked)


def read_folder(
    target: Target, context: FolderContext | None = None, walked: Walked | None = None
) -> FolderReport:
    """The folder's files; `context` may come filled with texts to read instead of the disk's,
    and `walked` with its files already found."""
    report = FolderReport(target)
    if not target.folder.is_dir():
        what = "no such folder" if not target.folder.exists() else "not a folder"
        owner = f" (in the paths of {target.project})" if target.project else ""
        report.notes.append(FileNote("warning", Place(target.label), what + owner))
        return report
    found, notes = walked if walked is not None else find_files(target.folder, target.label)
    report.notes.extend(notes)
    context = context or FolderContext(target.folder, target.label)
    seen: set[tuple[Place, tuple[int, ...], str, str, str]] = set()
    for item in found:
        reading = read_file(item, context)
        if reading is None:
            continue
        report.files.append(item.label)
        # A base file named like a Compose file is read on its own and through another
        # file's `extends`/`include`: its ports are reported once.
        keys = [(use.place, use.ports, use.protocol, use.role, use.bind) for use in reading.uses]
        report.uses.extend(
            use for use, key in zip(reading.uses, keys, strict=True) if key not in seen
        )
        seen.update(keys)
        report.notes.extend(reading.notes)
    report.uses = promote_fed_ports(report.uses, found)
    return report


def read_file(item: FoundFile, context: FolderContext) -> FileReading | None:
    """What one file holds; None for a file that turns out not to be of its kind."""
    text, note = context.text(item.path)
    if text is None:
        return FileReading([], [note] if note else [])
    return item.kind.read(text, ReadRequest(item.path, item.label, context))


def promote_fed_ports(uses: list[PortUse], found: Sequence[FoundFile]) -> list[PortUse]:
    """`*_PORT=` values of a `.env` that a Compose file of its folder publishes as host ports.

    Only those are the machine's ports; the others stay "mentioned" (another container's port,
    a remote server's).
    """
    env_labels = {
        item.label: os.path.dirname(item.label) for item in found if item.path.name == ".env"
    }
    fed = {
        (os.path.dirname(use.place.label), variable)
        for use in uses
        if use.source == "compose" and use.role == "host"
        for variable in use.variables
    }
    return [
        replace(use, role="host")
        if use.role == "mentioned"
        and use.place.label in env_labels
        and (env_labels[use.place.label], use.context) in fed
        else use
        for use in uses
    ]
