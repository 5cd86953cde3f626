"""Edits to a plan's shape: tiers and projects added, removed, renamed or rebased."""

from __future__ import annotations

from portplan.edit_checks import (
    EditError,
    check_folders,
    check_name,
    check_paths,
    check_range,
    find_project,
    find_tier,
    project_paths,
    tier_paths,
    under_project,
    under_tier,
)
from portplan.model import MAX_PORT, Plan, PortRange, Project, Tier


class AddTier:
    def __init__(self, project: str, tier: Tier) -> None:
        self.project = project
        self.tier = tier

    @property
    def label(self) -> str:
        return f"add tier {self.project}/{self.tier.name} ({self.tier.ports})"

    def apply(self, plan: Plan) -> None:
        project = find_project(plan, self.project)
        check_name(self.tier.name, [t.name for t in project.tiers], "tier")
        check_paths(plan, tier_paths(self.project, self.tier))
        check_range(self.tier.ports)
        project.tiers.append(self.tier.model_copy(deep=True))

    def revert(self, plan: Plan) -> None:
        project = find_project(plan, self.project)
        project.tiers = [t for t in project.tiers if t.name != self.tier.name]


class RemoveTier:
    def __init__(self, project: str, name: str) -> None:
        self.project = project
        self.name = name
        self._removed: Tier | None = None
        self._position: int = -1

    @property
    def label(self) -> str:
        return f"remove tier {self.project}/{self.name}"

    def apply(self, plan: Plan) -> None:
        project = find_project(plan, self.project)
        tier = find_tier(plan, self.project, self.name)
        self._position = project.tiers.index(tier)
        self._removed = project.tiers.pop(self._position)

    def revert(self, plan: Plan) -> None:
        assert self._removed is not None, "revert before apply"
        find_project(plan, self.project).tiers.insert(self._position, self._removed)


class EditTier:
    def __init__(
        self, project: str, name: str, new_name: str, description: str, ports: PortRange
    ) -> None:
        self.project = project
        self.name = name
        self.new_name = new_name
        self.description = description
        self.ports = ports
        self._before: tuple[str, str, PortRange] | None = None

    @property
    def label(self) -> str:
        return f"edit tier {self.project}/{self.name}"

    def apply(self, plan: Plan) -> None:
        project = find_project(plan, self.project)
        tier = find_tier(plan, self.project, self.name)
        if self.new_name != tier.name:
            check_name(self.new_name, [t.name for t in project.tiers], "tier")
            renamed = tier.model_copy(update={"name": self.new_name})
            check_paths(
                plan, tier_paths(self.project, renamed), under_tier(self.project, tier.name)
            )
        check_range(self.ports)
        self._before = (tier.name, tier.description, tier.ports)
        tier.name, tier.description, tier.ports = self.new_name, self.description, self.ports

    def revert(self, plan: Plan) -> None:
        assert self._before is not None, "revert before apply"
        tier = find_tier(plan, self.project, self.new_name)
        tier.name, tier.description, tier.ports = self._before


class AddProject:
    def __init__(self, project: Project) -> None:
        self.project = project

    @property
    def label(self) -> str:
        return f"add project {self.project.name} ({self.project.ports})"

    def apply(self, plan: Plan) -> None:
        check_name(self.project.name, [p.name for p in plan.projects], "project")
        check_paths(plan, project_paths(self.project.name, self.project))
        check_range(self.project.ports)
        plan.projects.append(self.project.model_copy(deep=True))

    def revert(self, plan: Plan) -> None:
        plan.projects = [p for p in plan.projects if p.name != self.project.name]


class RemoveProject:
    def __init__(self, name: str) -> None:
        self.name = name
        self._removed: Project | None = None
        self._position: int = -1

    @property
    def label(self) -> str:
        return f"remove project {self.name}"

    def apply(self, plan: Plan) -> None:
        project = find_project(plan, self.name)
        self._position = plan.projects.index(project)
        self._removed = plan.projects.pop(self._position)

    def revert(self, plan: Plan) -> None:
        assert self._removed is not None, "revert before apply"
        plan.projects.insert(self._position, self._removed)


class EditProject:
    def __init__(self, name: str, new_name: str, description: str, ports: PortRange) -> None:
        self.name = name
        self.new_name = new_name
        self.description = description
        self.ports = ports
        self._before: tuple[str, str, PortRange] | None = None

    @property
    def label(self) -> str:
        return f"edit project {self.name}"

    def apply(self, plan: Plan) -> None:
        project = find_project(plan, self.name)
        if self.new_name != project.name:
            check_name(self.new_name, [p.name for p in plan.projects], "project")
            check_paths(plan, project_paths(self.new_name, project), under_project(project.name))
        check_range(self.ports)
        self._before = (project.name, project.description, project.ports)
        project.name, project.description, project.ports = (
            self.new_name,
            self.description,
            self.ports,
        )

    def revert(self, plan: Plan) -> None:
        assert self._before is not None, "revert before apply"
        project = find_project(plan, self.new_name)
        project.name, project.description, project.ports = self._before


class EditFolders:
    """A project's `paths`: the folders `scan` and `apply` look in, relative to the plan."""

    def __init__(self, project: str, paths: list[str]) -> None:
        self.project = project
        self.paths = paths
        self._before: list[str] | None = None

    @property
    def label(self) -> str:
        return f"set the folders of {self.project} ({', '.join(self.paths) or 'none'})"

    def apply(self, plan: Plan) -> None:
        project = find_project(plan, self.project)
        check_folders(self.paths)
        self._before = list(project.paths)
        project.paths = list(self.paths)

    def revert(self, plan: Plan) -> None:
        assert self._before is not None, "revert before apply"
        find_project(plan, self.project).paths = list(self._before)


class Rebase:
    """Move a project (or one of its tiers) to a new start port; everything keeps its offset."""

    def __init__(self, project: str, new_start: int, tier: str | None = None) -> None:
        self.project = project
        self.new_start = new_start
        self.tier = tier
        self._offset = 0

    @property
    def label(self) -> str:
        target = self.project if self.tier is None else f"{self.project}/{self.tier}"
        return f"rebase {target} to {self.new_start}"

    def _targets(self, plan: Plan) -> tuple[Project | None, list[Tier]]:
        project = find_project(plan, self.project)
        if self.tier is None:
            return project, list(project.tiers)
        return None, [find_tier(plan, self.project, self.tier)]

    def offset_for(self, plan: Plan) -> int:
        project, tiers = self._targets(plan)
        start = project.ports.start if project is not None else tiers[0].ports.start
        return self.new_start - start

    def apply(self, plan: Plan) -> None:
        offset = self.offset_for(plan)
        project, tiers = self._targets(plan)
        ends = [project.ports.end] if project is not None else []
        starts = [project.ports.start] if project is not None else []
        for tier in tiers:
            ends.append(tier.ports.end)
            starts.append(tier.ports.start)
            for service in tier.services:
                ends.append(service.port)
                starts.append(service.port)
        highest, lowest = max(ends, default=0), min(starts, default=1)
        if highest + offset > MAX_PORT or lowest + offset < 1:
            raise EditError(f"rebasing to {self.new_start} would push ports outside 1-{MAX_PORT}")
        self._offset = offset
        self._shift(project, tiers, offset)

    def revert(self, plan: Plan) -> None:
        project, tiers = self._targets(plan)
        self._shift(project, tiers, -self._offset)

    @staticmethod
    def _shift(project: Project | None, tiers: list[Tier], offset: int) -> None:
        if project is not None:
            project.ports = project.ports.shifted(offset)
        for tier in tiers:
            tier.ports = tier.ports.shifted(offset)
            for service in tier.services:
                service.port += offset
