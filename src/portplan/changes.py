"""What changed between two plans, as a migration checklist grouped by project.

Services are matched by name, never by position, so reordering a file is not a change:
- same project, tier and name: the port may have moved, the description or protocol changed;
- same project and name in another tier (unique on both sides): moved to that tier;
- same project, tier, port and protocol under a new name (unique on both sides): renamed;
- whatever is left is released (old side) or reserved (new side).
Every step is a dict look-up, so a diff of two 60,000-service plans stays near-linear.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from portplan.model import Plan, Project, Reserved, Service, Tier, subject

ChangeKind = Literal[
    "moved",
    "renamed",
    "reserved",
    "released",
    "protocol",
    "description",
    "range",
    "added",
    "removed",
    "paths",
    "reservation-added",
    "reservation-removed",
    "reservation-changed",
    "metadata",
]

# Changes that belong to no project (plan metadata, the reserved list) group under this key.
PLAN_WIDE = ""


@dataclass(frozen=True, slots=True)
class Change:
    project: str
    kind: ChangeKind
    subject: str
    old: str
    new: str
    text: str

    def as_dict(self) -> dict[str, str]:
        return {
            "project": self.project,
            "kind": self.kind,
            "subject": self.subject,
            "old": self.old,
            "new": self.new,
            "text": self.text,
        }


def group_by_project(changes: Iterable[Change]) -> dict[str, list[Change]]:
    """Changes per project, in the order `diff_plans` gives them (plan-wide ones first)."""
    groups: dict[str, list[Change]] = {}
    for change in changes:
        groups.setdefault(change.project, []).append(change)
    return groups


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


def _quoted(text: str) -> str:
    return repr(text) if text else "(none)"


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
    changes += _ServiceDiff(name, old.tiers if old else [], new.tiers if new else []).changes()
    return changes


@dataclass(frozen=True, slots=True)
class _Placed:
    tier: Tier
    service: Service
    position: int


class _ServiceDiff:
    """The tier and service changes inside one project."""

    def __init__(self, project: str, old_tiers: list[Tier], new_tiers: list[Tier]) -> None:
        self.project = project
        self.old_tiers = {tier.name: tier for tier in old_tiers}
        self.new_tiers = {tier.name: tier for tier in new_tiers}
        self.tier_order = [tier.name for tier in new_tiers] + [
            tier.name for tier in old_tiers if tier.name not in self.new_tiers
        ]
        # Per tier name: (sort key, change); sorted at the end so the output follows the
        # new plan's order whichever matching step found the change.
        self.buckets: dict[str, list[tuple[tuple[int, int], Change]]] = defaultdict(list)

    def changes(self) -> list[Change]:
        for name in self.tier_order:
            self._tier_changes(self.old_tiers.get(name), self.new_tiers.get(name))
        self._service_changes()
        out: list[Change] = []
        for name in self.tier_order:
            out += [change for _, change in sorted(self.buckets[name], key=lambda kc: kc[0])]
        return out

    def _path(self, *names: str) -> str:
        return subject(self.project, *names)

    def _add(self, tier: str, key: tuple[int, int], change: Change) -> None:
        self.buckets[tier].append((key, change))

    def _change(self, kind: ChangeKind, path: str, old: str, new: str, text: str) -> Change:
        return Change(self.project, kind, path, old, new, text)

    def _tier_changes(self, old: Tier | None, new: Tier | None) -> None:
        tier = new or old
        assert tier is not None
        path = self._path(tier.name)
        first = (-1, 0)
        if old is None:
            self._add(
                tier.name,
                first,
                self._change(
                    "added", path, "", str(tier.ports), f"{tier.name}: tier added ({tier.ports})"
                ),
            )
        elif new is None:
            self._add(
                tier.name,
                first,
                self._change(
                    "removed",
                    path,
                    str(tier.ports),
                    "",
                    f"{tier.name}: tier removed (was {tier.ports})",
                ),
            )
        else:
            if old.ports != new.ports:
                self._add(
                    tier.name,
                    first,
                    self._change(
                        "range",
                        path,
                        str(old.ports),
                        str(new.ports),
                        f"{tier.name}: range {old.ports} → {new.ports}",
                    ),
                )
            if old.description != new.description:
                self._add(
                    tier.name,
                    (-1, 1),
                    self._change(
                        "description",
                        path,
                        old.description,
                        new.description,
                        f"{tier.name}: description {_quoted(old.description)} → "
                        f"{_quoted(new.description)}",
                    ),
                )

    def _service_changes(self) -> None:
        old_by_key = {
            (tier.name, service.name): _Placed(tier, service, position)
            for tier in self.old_tiers.values()
            for position, service in enumerate(tier.services)
        }
        unmatched_new: list[_Placed] = []
        for tier in self.new_tiers.values():
            for position, service in enumerate(tier.services):
                placed = _Placed(tier, service, position)
                before = old_by_key.pop((tier.name, service.name), None)
                if before is None:
                    unmatched_new.append(placed)
                else:
                    self._same_service(before, placed)
        unmatched_old = list(old_by_key.values())
        unmatched_old, unmatched_new = self._tier_moves(unmatched_old, unmatched_new)
        unmatched_old, unmatched_new = self._renames(unmatched_old, unmatched_new)
        for placed in unmatched_new:
            path = self._path(placed.tier.name, placed.service.name)
            self._add(
                placed.tier.name,
                (0, placed.position),
                self._change(
                    "reserved",
                    path,
                    "",
                    str(placed.service.port),
                    f"{placed.tier.name}/{placed.service.name}: reserved {placed.service.port}",
                ),
            )
        for placed in unmatched_old:
            path = self._path(placed.tier.name, placed.service.name)
            self._add(
                placed.tier.name,
                (1, placed.position),
                self._change(
                    "released",
                    path,
                    str(placed.service.port),
                    "",
                    f"{placed.tier.name}/{placed.service.name}: released {placed.service.port}",
                ),
            )

    def _same_service(self, before: _Placed, after: _Placed) -> None:
        old, new, tier = before.service, after.service, after.tier.name
        if old.port != new.port:
            self._add(
                tier,
                (0, after.position),
                self._change(
                    "moved",
                    self._path(tier, new.name),
                    str(old.port),
                    str(new.port),
                    f"{tier}/{new.name}: {old.port} → {new.port}",
                ),
            )
        self._details(before, after)

    def _details(self, before: _Placed, after: _Placed) -> None:
        """Protocol and description changes of a service matched by name."""
        old, new, tier = before.service, after.service, after.tier.name
        path, key = self._path(tier, new.name), (0, after.position)
        if old.protocol != new.protocol:
            self._add(
                tier,
                key,
                self._change(
                    "protocol",
                    path,
                    old.protocol,
                    new.protocol,
                    f"{tier}/{new.name}: protocol {old.protocol} → {new.protocol} ({new.port})",
                ),
            )
        if old.description != new.description:
            self._add(
                tier,
                key,
                self._change(
                    "description",
                    path,
                    old.description,
                    new.description,
                    f"{tier}/{new.name}: description {_quoted(old.description)} → "
                    f"{_quoted(new.description)}",
                ),
            )

    def _tier_moves(
        self, olds: list[_Placed], news: list[_Placed]
    ) -> tuple[list[_Placed], list[_Placed]]:
        old_names = Counter(placed.service.name for placed in olds)
        new_names = Counter(placed.service.name for placed in news)
        movable = {
            name for name, count in old_names.items() if count == 1 and new_names.get(name) == 1
        }
        if not movable:
            return olds, news
        before = {placed.service.name: placed for placed in olds if placed.service.name in movable}
        for after in news:
            name = after.service.name
            if name not in movable:
                continue
            was = before[name]
            old_place = f"{was.service.port} ({was.tier.name})"
            new_place = f"{after.service.port} ({after.tier.name})"
            self._add(
                after.tier.name,
                (0, after.position),
                self._change(
                    "moved",
                    self._path(after.tier.name, name),
                    old_place,
                    new_place,
                    f"{name}: {old_place} → {new_place}",
                ),
            )
            self._details(was, after)
        return (
            [placed for placed in olds if placed.service.name not in movable],
            [placed for placed in news if placed.service.name not in movable],
        )

    def _renames(
        self, olds: list[_Placed], news: list[_Placed]
    ) -> tuple[list[_Placed], list[_Placed]]:
        def key(placed: _Placed) -> tuple[str, int, str]:
            return placed.tier.name, placed.service.port, placed.service.protocol

        old_keys = Counter(key(placed) for placed in olds)
        new_keys = Counter(key(placed) for placed in news)
        renamable = {k for k, count in old_keys.items() if count == 1 and new_keys.get(k) == 1}
        if not renamable:
            return olds, news
        before = {key(placed): placed for placed in olds if key(placed) in renamable}
        for after in news:
            if key(after) not in renamable:
                continue
            was = before[key(after)]
            tier, port = after.tier.name, after.service.port
            self._add(
                tier,
                (0, after.position),
                self._change(
                    "renamed",
                    self._path(tier, after.service.name),
                    was.service.name,
                    after.service.name,
                    f"{tier}/{was.service.name} → {after.service.name} ({port})",
                ),
            )
            self._details(was, after)
        return (
            [placed for placed in olds if key(placed) not in renamable],
            [placed for placed in news if key(placed) not in renamable],
        )
