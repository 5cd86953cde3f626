"""Replaying a recovery copy's edits onto a plan file that changed after the copy was made.

A copy made before a `git pull` holds the user's unsaved edits on top of the file's old
text; restoring it whole would undo what the pull brought. The edits are what differs
between the version of the file the copy was made from (its base, kept beside it) and the
copy; each is applied to the file as it is now. This is a three-way merge of the plan's
parts (its settings, and each project, tier and service without its children), matched by
their paths, which are unique (one node per path). A part both sides changed differently
is a conflict: the copy's version is taken (those are the edits being recovered) and
named; a part whose project or tier the file has removed is dropped and named.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from portplan.errors import PlanError
from portplan.model import Plan, Project, Tier, subject
from portplan.store import dumps, loads

Key = tuple[str, ...]
ROOT: Key = ("plan",)
_MISSING = object()


@dataclass(frozen=True, slots=True)
class Replay:
    plan: Plan  # the file's plan with the copy's edits applied
    edits: int  # how many parts of the file the edits change
    conflicts: tuple[str, ...]  # parts the file changed too: the copy's version was taken
    dropped: tuple[str, ...]  # parts of a project or tier the file no longer has


def replay(base: Plan, copy: Plan, current: Plan) -> Replay | None:
    """The copy's edits (base → copy) applied to `current`; None when the result is not a
    valid plan (two parts would share a path), so that only a whole restore is left."""
    before, after, now = plan_parts(base), plan_parts(copy), plan_parts(current)
    merged = dict(now)
    edits, conflicts = 0, []
    for key in [*after, *(key for key in before if key not in after)]:
        was, wanted = before.get(key, _MISSING), after.get(key, _MISSING)
        if was == wanted:
            continue
        there = now.get(key, _MISSING)
        if there == wanted:
            continue  # the file already has this edit
        if there != was:
            conflicts.append(_path(key))
        edits += 1
        if wanted is _MISSING:
            merged.pop(key, None)
        else:
            merged[key] = wanted
    plan, dropped = _assemble(current, merged, list(now), list(after))
    try:
        plan = loads(dumps(plan), "<replayed recovery copy>")
    except PlanError:
        return None
    return Replay(plan, edits, tuple(conflicts), tuple(dropped))


def plan_parts(plan: Plan) -> dict[Key, Any]:
    parts: dict[Key, Any] = {
        (*ROOT, name): getattr(plan, name) for name in Plan.model_fields if name != "projects"
    }
    for project in plan.projects:
        parts[("project", project.name)] = project.model_copy(update={"tiers": []})
        for tier in project.tiers:
            parts[("tier", project.name, tier.name)] = tier.model_copy(update={"services": []})
            for service in tier.services:
                parts[("service", project.name, tier.name, service.name)] = service
    return parts


def _parent(key: Key) -> Key:
    kind = key[0]
    if kind == "project":
        return ROOT
    if kind == "tier":
        return ("project", key[1])
    return ("tier", key[1], key[2])


def _path(key: Key) -> str:
    return "plan " + key[1] if key[0] == "plan" else subject(*key[1:])


def _assemble(
    current: Plan, merged: dict[Key, Any], file_order: list[Key], copy_order: list[Key]
) -> tuple[Plan, list[str]]:
    """The merged parts as a plan: the file's order, each part new from the copy placed
    after the sibling it follows in the copy (or first)."""
    children: dict[Key, list[Key]] = defaultdict(list)
    for key in file_order:
        if key[0] != "plan" and key in merged:
            children[_parent(key)].append(key)
    copy_siblings: dict[Key, list[Key]] = defaultdict(list)
    for key in copy_order:
        if key[0] != "plan":
            copy_siblings[_parent(key)].append(key)
    placed = set(file_order)
    for key in copy_order:
        if key[0] == "plan" or key in placed or key not in merged:
            continue
        siblings, order = children[_parent(key)], copy_siblings[_parent(key)]
        earlier = [k for k in order[: order.index(key)] if k in siblings]
        siblings.insert(siblings.index(earlier[-1]) + 1 if earlier else 0, key)
        placed.add(key)
    dropped = [
        _path(key)
        for key in merged
        if key[0] != "plan" and _parent(key) != ROOT and _parent(key) not in merged
    ]
    projects = [_project(merged, key, children) for key in children[ROOT]]
    settings = {key[1]: value for key, value in merged.items() if key[0] == "plan"}
    return current.model_copy(update={**settings, "projects": projects}), dropped


def _project(merged: dict[Key, Any], key: Key, children: dict[Key, list[Key]]) -> Project:
    tiers = [_tier(merged, tier, children) for tier in children[key]]
    project: Project = merged[key].model_copy(update={"tiers": tiers})
    return project


def _tier(merged: dict[Key, Any], key: Key, children: dict[Key, list[Key]]) -> Tier:
    tier: Tier = merged[key].model_copy(
        update={"services": [merged[service] for service in children[key]]}
    )
    return tier
