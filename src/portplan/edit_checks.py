"""What every edit checks before it touches a plan, and how it finds its targets by name.

An edit raises `EditError` with a sentence for the user before changing anything, so a
refused edit leaves the plan exactly as it was.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Iterator, Sequence

from portplan.model import (
    MAX_PORT,
    NodeRef,
    Plan,
    PortRange,
    Project,
    Service,
    ServiceRef,
    Tier,
    TierRef,
    nodes_at,
    subject,
)


class EditError(ValueError):
    """An edit that would make the plan invalid; nothing was changed."""


def find_project(plan: Plan, name: str) -> Project:
    if (project := plan.find_project(name)) is None:
        raise EditError(f"there is no project named {name!r}")
    return project


def find_tier(plan: Plan, project: str, name: str) -> Tier:
    if (tier := find_project(plan, project).find_tier(name)) is None:
        raise EditError(f"project {project!r} has no tier named {name!r}")
    return tier


def find_service(plan: Plan, ref: ServiceRef) -> Service:
    if (service := find_tier(plan, ref.project, ref.tier).find_service(ref.name)) is None:
        raise EditError(f"there is no service {ref}")
    return service


def check_port(port: int) -> None:
    if not 1 <= port <= MAX_PORT:
        raise EditError(f"{port} is not a port (1-{MAX_PORT})")


def check_range(ports: PortRange) -> None:
    # PortRange itself accepts any two numbers; the plan file does not.
    if ports.start > ports.end:
        raise EditError(f"range {ports.start}-{ports.end} is reversed (start > end)")
    if ports.start < 0 or ports.end > MAX_PORT:
        raise EditError(f"{ports.start}-{ports.end} is not a port range (0-{MAX_PORT})")


def check_name(name: str, taken: Sequence[str], what: str) -> None:
    if not name.strip():
        raise EditError(f"a {what} name cannot be empty")
    if name in taken:
        raise EditError(f"there is already a {what} named {name!r} here")


def check_folders(folders: Sequence[str]) -> None:
    """A project's `paths`: each a folder named once (blank is no folder)."""
    seen: set[str] = set()
    for folder in folders:
        if not folder.strip():
            raise EditError("a folder cannot be blank")
        if folder in seen:
            raise EditError(f"the folder {folder!r} is listed twice")
        seen.add(folder)


def check_paths(
    plan: Plan, paths: Iterable[str], leaving: Callable[[NodeRef], bool] = lambda _: False
) -> None:
    """Refuse names that would give two nodes one path (`Plan` refuses such a file too).

    `leaving` tells the nodes the edit itself renames or moves away from their paths.
    """
    for path in paths:
        if any(not leaving(ref) for ref in nodes_at(plan, path)):
            raise EditError(
                f"{path!r} would name two parts of the plan (a name with '/' makes one path"
                " look like another): choose another name"
            )


def tier_paths(project: str, tier: Tier) -> Iterator[str]:
    yield subject(project, tier.name)
    for service in tier.services:
        yield subject(project, tier.name, service.name)


def project_paths(name: str, project: Project) -> Iterator[str]:
    yield name
    for tier in project.tiers:
        yield from tier_paths(name, tier)


def under_project(name: str) -> Callable[[NodeRef], bool]:
    return lambda ref: ref.project == name


def under_tier(project: str, tier: str) -> Callable[[NodeRef], bool]:
    def under(ref: NodeRef) -> bool:
        return isinstance(ref, TierRef | ServiceRef) and (ref.project, ref.tier) == (project, tier)

    return under


def insert_by_port(services: list[Service], service: Service) -> int:
    """Keep a tier's services in port order, the order the planner and the file show."""
    position = bisect.bisect_right([s.port for s in services], service.port)
    services.insert(position, service)
    return position
