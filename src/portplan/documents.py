"""A plan as plain TOML data: the tables and keys the file format writes, defaults left out.

The canonical writer (`store.dumps`), the layout-keeping save (`preserve`) and the JSON export
all write an element the same way; this is that one way.
"""

from __future__ import annotations

from typing import Any

from portplan.model import Acceptance, Plan, Project, Reserved, Service, Tier


def to_document(plan: Plan) -> dict[str, Any]:
    """The plan as plain TOML data, in the file format's key order, defaults left out."""
    document = head_document(plan)
    if plan.projects:
        document["projects"] = [project_document(project) for project in plan.projects]
    if not document:
        # An empty file is refused on load, so a plan emptied in the editor keeps its title key.
        document["title"] = plan.title
    return document


def head_document(plan: Plan) -> dict[str, Any]:
    """The keys and tables before the projects (which come last in the file)."""
    document: dict[str, Any] = {}
    for key in ("title", "version"):
        if value := getattr(plan, key):
            document[key] = value
    if plan.updated is not None:
        document["updated"] = plan.updated
    if plan.strategy:
        document["strategy"] = plan.strategy
    if plan.platforms:
        document["platforms"] = list(plan.platforms)
    if plan.accept:
        document["accept"] = _accept_document(plan.accept)
    if plan.reserved:
        document["reserved"] = [_reserved_document(entry) for entry in plan.reserved]
    return document


def _reserved_document(entry: Reserved) -> dict[str, Any]:
    return {"ports": str(entry.ports), "reason": entry.reason}


def project_document(project: Project) -> dict[str, Any]:
    document: dict[str, Any] = {"name": project.name, "ports": str(project.ports)}
    if project.description:
        document["description"] = project.description
    if project.paths:
        document["paths"] = list(project.paths)
    if project.platforms:
        document["platforms"] = list(project.platforms)
    if project.accept:
        document["accept"] = _accept_document(project.accept)
    document["tiers"] = [_tier_document(tier) for tier in project.tiers]
    return document


def _tier_document(tier: Tier) -> dict[str, Any]:
    document: dict[str, Any] = {"name": tier.name, "ports": str(tier.ports)}
    if tier.description:
        document["description"] = tier.description
    if tier.accept:
        document["accept"] = _accept_document(tier.accept)
    document["services"] = [_service_document(service) for service in tier.services]
    return document


def _accept_document(entries: list[Acceptance]) -> list[dict[str, str]]:
    return [{"rule": entry.rule, "reason": entry.reason} for entry in entries]


def _service_document(service: Service) -> dict[str, Any]:
    document: dict[str, Any] = {"port": service.port, "name": service.name}
    if service.description:
        document["description"] = service.description
    if service.protocol != "tcp":
        document["protocol"] = service.protocol
    if service.bind is not None:
        document["bind"] = service.bind
    return document


def element_document(element: Service | Tier | Project | Reserved) -> dict[str, Any]:
    """One element of a plan as plain TOML data, as `to_document` writes it."""
    if isinstance(element, Service):
        return _service_document(element)
    if isinstance(element, Tier):
        return _tier_document(element)
    if isinstance(element, Project):
        return project_document(element)
    return _reserved_document(element)
