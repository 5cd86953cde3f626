"""What the plan tree shows: each node's children in order, and what its label is drawn
from. Pure functions of the plan and its findings, so the widget only places and redraws."""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

from portplan.finding_index import FindingIndex
from portplan.model import NodeRef, Plan, Project, ProjectRef, Service, ServiceRef, Tier, TierRef
from portplan.tui.labels import Palette, project_label, service_label, tier_label, used_ports
from portplan.tui.node_label import NodeLabel


class Entry(NamedTuple):
    """A node the tree should show, with the model objects its label is drawn from."""

    ref: NodeRef
    project: Project
    tier: Tier | None = None
    service: Service | None = None


def children_of(plan: Plan, ref: NodeRef | None) -> list[Entry]:
    """The children `ref` should have, in order (the projects for None): services by port."""
    if ref is None:
        return [Entry(ProjectRef(project.name), project) for project in plan.projects]
    project = plan.project(ref.project)
    if isinstance(ref, ProjectRef):
        return [Entry(TierRef(project.name, tier.name), project, tier) for tier in project.tiers]
    if isinstance(ref, TierRef):
        tier = next(tier for tier in project.tiers if tier.name == ref.tier)
        ordered = sorted(tier.services, key=lambda service: (service.port, service.name))
        return [
            Entry(ServiceRef(project.name, tier.name, service.name), project, tier, service)
            for service in ordered
        ]
    return []


def label_key(
    entry: Entry, index: FindingIndex, theme: str, in_use: Mapping[int, str]
) -> tuple[object, ...]:
    """Everything a node's label shows: an unchanged key means an unchanged label, so the
    label is not built again (building Rich text is most of a relabel's cost)."""
    service, tier, project = entry.service, entry.tier, entry.project
    if service is not None:
        return (
            theme,
            index.worst(entry.ref),
            service.port,
            service.protocol,
            service.name,
            in_use.get(service.port),
        )
    counts = tuple(index.counts(entry.ref).values())
    if tier is not None:
        return (theme, tier.name, str(tier.ports), len(tier.ports), used_ports(tier), counts)
    return (
        theme,
        project.name,
        str(project.ports),
        len(project.ports),
        used_ports(project),
        counts,
    )


def label_parts(
    entry: Entry, index: FindingIndex, palette: Palette, in_use: Mapping[int, str]
) -> NodeLabel:
    """The node's label, in the parts that give way at the tree's edge."""
    service, tier, project = entry.service, entry.tier, entry.project
    if service is not None:
        assert tier is not None
        return service_label(project, tier, service, index, palette, in_use.get(service.port))
    if tier is not None:
        return tier_label(project, tier, index, palette)
    return project_label(project, index, palette)
