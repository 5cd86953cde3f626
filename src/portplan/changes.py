"""What changed between two plans, as a migration checklist grouped by project.

Services are matched by name, never by position, so reordering a file is not a change:
- same project, tier and name: the port may have moved, the description or protocol changed;
- same project and name in another tier (unique on both sides): moved to that tier;
- same project, tier, port and protocol under a new name (unique on both sides): renamed;
- whatever is left is released (old side) or reserved (new side).
Every step is a dict look-up, so a diff of two 60,000-service plans stays near-linear.
"""

from __future__ import annotations

from collections import Counter

from portplan.change import PLAN_WIDE as PLAN_WIDE
from portplan.change import Change as Change
from portplan.change import ChangeKind as ChangeKind
from portplan.change import group_by_project as group_by_project
from portplan.change import shown_value as _quoted
from portplan.model import Plan, Project, Reserved
from portplan.tier_changes import ServiceDiff


def diff_plans(old: Plan, new: Plan) -> list[Change]:
    """Every difference between two plans that matters to the projects using them."""
    changes = _metadata_changes(old, new) + _reservation_changes(old.reserved, new.reserved)
    old_projects = {project.name: project for project in old.projects}
    new_names = {project.name for project in new.projects}
    for project in new.projects:
        changes += _project_changes(old_projects.get(project.name), project)
    for project in old.projects:
        if project.name not in new_names:
            changes += _project_changes(project, None)
    return changes


def _metadata_changes(old: Plan, new: Plan) -> list[Change]:
    changes: list[Change] = []
    for field in ("title", "version", "updated", "strategy"):
        before, after = getattr(old, field), getattr(new, field)
        if before != after:
            was = "" if before is None else str(before)
            now = "" if after is None else str(after)
            changes.append(
                Change(
                    PLAN_WIDE,
                    "metadata",
                    field,
                    was,
                    now,
                    f"{field}: {_quoted(was)} → {_quoted(now)}",
                )
            )
    return changes


def _reservation_changes(old: list[Reserved], new: list[Reserved]) -> list[Change]:
    before = Counter((str(entry.ports), entry.reason) for entry in old)
    after = Counter((str(entry.ports), entry.reason) for entry in new)
    removed = list((before - after).elements())
    added = list((after - before).elements())
    # One removal and one addition on the same ports is the same entry with a new reason.
    removed_by_ports = Counter(ports for ports, _ in removed)
    added_by_ports = Counter(ports for ports, _ in added)
    reworded = {
        ports
        for ports in removed_by_ports
        if removed_by_ports[ports] == 1 and added_by_ports.get(ports) == 1
    }
    old_reason = {ports: reason for ports, reason in removed if ports in reworded}
    changes: list[Change] = []
    for ports, reason in added:
        if ports in reworded:
            changes.append(
                Change(
                    PLAN_WIDE,
                    "reservation-changed",
                    f"reserved {ports}",
                    old_reason[ports],
                    reason,
                    f"reserved {ports}: {_quoted(old_reason[ports])} → {_quoted(reason)}",
                )
            )
        else:
            changes.append(
                Change(
                    PLAN_WIDE,
                    "reservation-added",
                    f"reserved {ports}",
                    "",
                    reason,
                    f"reserved list: added {ports} ({reason or 'no reason'})",
                )
            )
    for ports, reason in removed:
        if ports not in reworded:
            changes.append(
                Change(
                    PLAN_WIDE,
                    "reservation-removed",
                    f"reserved {ports}",
                    reason,
                    "",
                    f"reserved list: removed {ports} ({reason or 'no reason'})",
                )
            )
    return changes


def _project_changes(old: Project | None, new: Project | None) -> list[Change]:
    project = new or old
    assert project is not None
    name = project.name
    changes: list[Change] = []
    if old is None:
        changes.append(
            Change(name, "added", name, "", str(project.ports), f"project added ({project.ports})")
        )
    elif new is None:
        changes.append(
            Change(
                name,
                "removed",
                name,
                str(project.ports),
                "",
                f"project removed (was {project.ports})",
            )
        )
    else:
        if old.ports != new.ports:
            changes.append(
                Change(
                    name,
                    "range",
                    name,
                    str(old.ports),
                    str(new.ports),
                    f"range {old.ports} → {new.ports}",
                )
            )
        if old.description != new.description:
            changes.append(
                Change(
                    name,
                    "description",
                    name,
                    old.description,
                    new.description,
                    f"description {_quoted(old.description)} → {_quoted(new.description)}",
                )
            )
        if old.paths != new.paths:
            was, now = ", ".join(old.paths), ", ".join(new.paths)
            changes.append(
                Change(name, "paths", name, was, now, f"paths {_quoted(was)} → {_quoted(now)}")
            )
    changes += ServiceDiff(name, old.tiers if old else [], new.tiers if new else []).changes()
    return changes
