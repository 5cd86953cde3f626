"""The plan as data: Plan → Project → Tier → Service, plus reserved ranges.

Validation only: what counts as a *conflict* lives in `analysis`. The models are
mutable on purpose — edits change a plan in place and know how to undo themselves,
which keeps an edit O(1) even on a plan of 60,000 services.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Annotated, Literal

from portplan.catalog import BY_ID, BY_NAME, suggest_rule
from portplan.fields import MAX_PORT as MAX_PORT
from portplan.fields import Bind, Name, Port, Range
from portplan.fields import PortRange as PortRange
from portplan.fields import Protocol as Protocol
from portplan.model_base import Check, Invalid, Model, after_validation
from portplan.records import record

# The platforms a plan or project is meant for; each decides which platform facts apply
# (hazards.PLATFORMS; kept literal here so that the schema lists them).
Platform = Literal["linux", "macos", "windows", "browsers", "kubernetes-node", "freebsd"]


def _duplicates(names: Iterable[str]) -> list[str]:
    return [name for name, count in Counter(names).items() if count > 1]


def _check_rule(value: str) -> str:
    if value not in BY_NAME and value not in BY_ID:
        raise Invalid(
            "unknown_rule",
            "unknown rule {rule}{hint}",
            {"rule": repr(value), "hint": suggest_rule(value)},
        )
    return value


def _check_reason(value: str) -> str:
    if not value.strip():
        raise Invalid("empty_reason", "an acceptance needs a reason: say why")
    return value


class Acceptance(Model):
    """A finding the team has decided to live with: its rule (name or id) and why."""

    rule: Annotated[
        str, Check(after=_check_rule, json_schema={"type": "string", "enum": [*BY_NAME, *BY_ID]})
    ]
    reason: Annotated[
        str, Check(after=_check_reason, json_schema={"type": "string", "pattern": r"\S"})
    ]


class Service(Model):
    port: Port
    name: Name
    description: str = ""
    protocol: Protocol = "tcp"
    bind: Bind = None


class Tier(Model):
    name: Name
    ports: Range
    description: str = ""
    accept: list[Acceptance] = []
    # `= []` is safe: each instance gets a copy of a mutable default.
    services: list[Service] = []

    @after_validation
    def _unique_service_names(self) -> None:
        if duplicates := _duplicates(service.name for service in self.services):
            raise Invalid(
                "duplicate_name",
                "services in tier {tier} share a name: {names}",
                {"tier": repr(self.name), "names": ", ".join(map(repr, duplicates))},
            )

    def find_service(self, name: str) -> Service | None:
        return next((service for service in self.services if service.name == name), None)

    def service(self, name: str) -> Service:
        """The service named `name`; KeyError when there is none."""
        if (found := self.find_service(name)) is None:
            raise KeyError(name)
        return found


class Project(Model):
    name: Name
    ports: Range
    description: str = ""
    # Folders of this project's sources (relative to the plan file), for `portplan scan`.
    paths: list[str] = []
    # Empty: the plan's platforms.
    platforms: list[Platform] = []
    accept: list[Acceptance] = []
    tiers: list[Tier] = []

    @after_validation
    def _unique_tier_names(self) -> None:
        if duplicates := _duplicates(tier.name for tier in self.tiers):
            raise Invalid(
                "duplicate_name",
                "tiers in project {project} share a name: {names}",
                {"project": repr(self.name), "names": ", ".join(map(repr, duplicates))},
            )

    def find_tier(self, name: str) -> Tier | None:
        return next((tier for tier in self.tiers if tier.name == name), None)

    def tier(self, name: str) -> Tier:
        """The tier named `name`; KeyError when there is none."""
        if (found := self.find_tier(name)) is None:
            raise KeyError(name)
        return found


class Reserved(Model):
    ports: Range
    reason: str = ""


class Plan(Model):
    title: str = ""
    version: str = ""
    updated: dt.date | None = None
    strategy: str = ""
    # Empty: linux, macos, windows and browsers (hazards.DEFAULT_PLATFORMS).
    platforms: list[Platform] = []
    accept: list[Acceptance] = []
    reserved: list[Reserved] = []
    projects: list[Project] = []

    @after_validation
    def _unique_project_names(self) -> None:
        if duplicates := _duplicates(project.name for project in self.projects):
            raise Invalid(
                "duplicate_name",
                "projects share a name: {names}",
                {"names": ", ".join(map(repr, duplicates))},
            )

    @after_validation
    def _one_node_per_path(self) -> None:
        if shared := shared_paths(self):
            raise Invalid(
                "shared_path",
                "{paths} names two parts of the plan (a name with '/' makes one path look like"
                " another): rename one of them",
                {"paths": ", ".join(map(repr, shared))},
            )

    def services(self) -> Iterator[tuple[Project, Tier, Service]]:
        for project in self.projects:
            for tier in project.tiers:
                for service in tier.services:
                    yield project, tier, service

    def service_count(self) -> int:
        """How many services the plan has (by the tiers' lengths: 512 steps, not 61,440)."""
        return sum(len(tier.services) for project in self.projects for tier in project.tiers)

    def find_project(self, name: str) -> Project | None:
        return next((project for project in self.projects if project.name == name), None)

    def project(self, name: str) -> Project:
        """The project named `name`; KeyError when there is none."""
        if (found := self.find_project(name)) is None:
            raise KeyError(name)
        return found


def subject(*names: str) -> str:
    """The path of a plan element as findings and the CLI show it: `Project/Tier/Service`."""
    return "/".join(names)


def path_cuts(path: str) -> list[int]:
    """Where `path` has a "/": each place it may part into a name and what lies inside that
    (names may contain "/" themselves, so a path is never simply split)."""
    cuts: list[int] = []
    position = path.find("/")
    while position != -1:
        cuts.append(position)
        position = path.find("/", position + 1)
    return cuts


@record
class ServiceRef:
    """A stable pointer to a service by names; survives edits that replace model objects."""

    project: str
    tier: str
    name: str

    def __str__(self) -> str:
        return self.path

    @property
    def path(self) -> str:
        return subject(self.project, self.tier, self.name)

    def resolve(self, plan: Plan) -> tuple[Project, Tier, Service]:
        """The project, tier and service this names; KeyError when any is gone."""
        project = plan.find_project(self.project)
        tier = project.find_tier(self.tier) if project else None
        service = tier.find_service(self.name) if tier else None
        if project is None or tier is None or service is None:
            raise KeyError(self.path)
        return project, tier, service


@record
class ProjectRef:
    project: str

    def __str__(self) -> str:
        return self.path

    @property
    def path(self) -> str:
        return self.project


@record
class TierRef:
    project: str
    tier: str

    def __str__(self) -> str:
        return self.path

    @property
    def path(self) -> str:
        return subject(self.project, self.tier)


NodeRef = ProjectRef | TierRef | ServiceRef


def nodes_at(plan: Plan, path: str) -> list[NodeRef]:
    """Every project, tier and service whose path is `path`.

    Names may contain "/", so a path is tried at each of its cuts; a valid plan has at most
    one node per path (`Plan` refuses the rest), which is what lets findings, the CLI and the
    planner name nodes by path.
    """
    found: list[NodeRef] = []
    for project in plan.projects:
        if path == project.name:
            found.append(ProjectRef(project.name))
        elif path.startswith(project.name + "/"):
            rest = path[len(project.name) + 1 :]
            for tier in project.tiers:
                if rest == tier.name:
                    found.append(TierRef(project.name, tier.name))
                elif rest.startswith(tier.name + "/"):
                    name = rest[len(tier.name) + 1 :]
                    if tier.find_service(name) is not None:
                        found.append(ServiceRef(project.name, tier.name, name))
    return found


def shared_paths(plan: Plan) -> list[str]:
    """Paths that name two nodes (tier `b/A` and service `A` of tier `b` are both `P/b/A`)."""
    # Without a "/" in a project or tier name, paths of different depths differ in their
    # number of "/" and names are unique per level: no path can be shared. The common case
    # costs one pass over the projects and tiers, not one over 60,000 services.
    if not any("/" in p.name or any("/" in t.name for t in p.tiers) for p in plan.projects):
        return []
    counts = Counter(
        path
        for project in plan.projects
        for path in (
            project.name,
            *(
                path
                for tier in project.tiers
                for path in (
                    subject(project.name, tier.name),
                    *(subject(project.name, tier.name, s.name) for s in tier.services),
                )
            ),
        )
    )
    return [path for path, count in counts.items() if count > 1]
