"""Reality checks on a project's files: ports in Compose, `.env` and Kubernetes files against
the plan. No Textual here: the CLI and the planner's worker call the same functions.
"""

from portplan.scan.drift import Drift
from portplan.scan.scanner import (
    FolderReport,
    ScanReport,
    Target,
    project_folders,
    resolve_targets,
    scan,
    scan_projects,
)
from portplan.scan.uses import FileNote, Place, PortUse

__all__ = [
    "Drift",
    "FileNote",
    "FolderReport",
    "Place",
    "PortUse",
    "ScanReport",
    "Target",
    "project_folders",
    "resolve_targets",
    "scan",
    "scan_projects",
]
