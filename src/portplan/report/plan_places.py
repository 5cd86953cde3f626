"""Where a plan finding's subject is written in the plan file: its project, tier or service.

Findings name their subjects as paths (`Project/Tier/Service`); names may themselves hold a
`/`, so the paths are matched whole against the plan's own elements rather than split. The
line is the subject's `ports`/`port` key, the value a reader would change.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from portplan.acceptance import Judged
from portplan.findings import Finding
from portplan.locate import TomlLines
from portplan.model import Plan, subject
from portplan.report.items import Item, Location
from portplan.store import loads, read_utf8, resolve_plan_path

Loc = tuple[int | str, ...]
# An ephemeral-range finding names every service of a project (thousands on a big plan):
# a reader follows a few related places, and locating them all would cost more than the check.
RELATED_LIMIT = 20


class PlanPlaces:
    """Lines of a plan's projects, tiers and services, looked up by subject path."""

    def __init__(self, plan: Plan, text: str, label: str) -> None:
        self.plan = plan
        self.label = label
        self._text = text
        self._lines: TomlLines | None = None
        self._locs: dict[str, Loc] | None = None

    @property
    def text(self) -> str:
        """The plan file's text as read (a save keeps it where the plan did not change)."""
        return self._text

    def _index(self) -> tuple[TomlLines, dict[str, Loc]]:
        # Built on the first look-up only: a clean plan never pays for it.
        if self._lines is None or self._locs is None:
            self._lines = TomlLines(self._text)
            locs: dict[str, Loc] = {}
            for p, project in enumerate(self.plan.projects):
                locs.setdefault(subject(project.name), ("projects", p, "ports"))
                for t, tier in enumerate(project.tiers):
                    tier_loc: Loc = ("projects", p, "tiers", t)
                    locs.setdefault(subject(project.name, tier.name), (*tier_loc, "ports"))
                    for s, service in enumerate(tier.services):
                        path = subject(project.name, tier.name, service.name)
                        locs.setdefault(path, (*tier_loc, "services", s, "port"))
            self._locs = locs
        return self._lines, self._locs

    def locate(self, path: str) -> Location | None:
        lines, locs = self._index()
        loc = locs.get(path)
        if loc is None:
            return None
        line = lines.line(loc)
        if line is None:
            return Location(self.label)
        return Location(self.label, line, _column(lines.lines[line - 1], str(loc[-1])))

    def locate_loc(self, loc: Loc) -> Location:
        """The line of a place given by its keys, e.g. an `accept` entry's rule."""
        lines, _ = self._index()
        line = lines.line(loc)
        if line is None:
            return Location(self.label)
        return Location(self.label, line, _column(lines.lines[line - 1], str(loc[-1])))

    def judged_item(self, judged: Judged) -> Item:
        """A finding as `check` judged it: accepted with its reason, or a stale acceptance
        placed at its own `accept` entry."""
        item = self.item(judged.finding)
        if judged.accepted:
            return replace(item, accepted=judged.reason)
        if judged.entry is not None:
            return replace(item, location=self.locate_loc((*judged.entry.loc, "rule")))
        return item

    def locate_all(self, paths: Iterable[str], limit: int = RELATED_LIMIT) -> list[Location]:
        """The places of up to `limit` of the paths that are plan elements."""
        places: list[Location] = []
        for path in paths:
            if len(places) >= limit:
                break
            if (found := self.locate(path)) is not None:
                places.append(found)
        return places

    def item(self, finding: Finding) -> Item:
        """A plan finding placed at its first subject's line, the others as related places."""
        found = self.locate_all(finding.subjects, 1 + RELATED_LIMIT)
        primary = found[0] if found else Location(self.label)
        return Item(
            finding.severity,
            finding.kind,
            finding.message,
            primary,
            finding.ports,
            finding.subjects,
            tuple(found[1:]),
        )


def _column(line: str, key: str) -> int:
    """1-based column of `key =` on the line, else of its first character."""
    match = re.search(rf'(?<![\w-])"?{re.escape(key)}"?\s*=', line)
    if match:
        return match.start() + 1
    return len(line) - len(line.lstrip()) + 1


def load_with_places(given: str | None) -> tuple[Path, Plan, PlanPlaces]:
    """Resolve and load the plan as `load_plan` does, keeping its text to find lines in."""
    path = resolve_plan_path(given)
    text = read_utf8(path, "plan file")
    plan = loads(text, str(path))
    return path, plan, PlanPlaces(plan, text, str(path))
