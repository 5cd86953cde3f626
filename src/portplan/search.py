"""Find services, tiers and projects by port number or part of a name."""

from __future__ import annotations

from portplan.model import NodeRef, Plan, ProjectRef, ServiceRef, TierRef


def find_nodes(plan: Plan, query: str, limit: int = 200) -> list[tuple[NodeRef, str]]:
    """Matches as (ref, one-line description): a number matches ports, text matches names."""
    text = query.strip()
    if not text:
        return []
    matches: list[tuple[NodeRef, str]] = []
    if text.isdigit():
        port = int(text)
        for project, tier, service in plan.services():
            if service.port == port:
                ref = ServiceRef(project.name, tier.name, service.name)
                matches.append((ref, f"{service.port}  {ref}"))
        for project in plan.projects:
            for tier in project.tiers:
                if port in tier.ports:
                    matches.append(
                        (
                            TierRef(project.name, tier.name),
                            f"{tier.ports}  {project.name}/{tier.name}",
                        )
                    )
        return matches[:limit]
    needle = text.casefold()
    for project in plan.projects:
        if needle in project.name.casefold():
            matches.append((ProjectRef(project.name), f"{project.ports}  {project.name}"))
        for tier in project.tiers:
            if needle in tier.name.casefold():
                matches.append(
                    (TierRef(project.name, tier.name), f"{tier.ports}  {project.name}/{tier.name}")
                )
            for service in tier.services:
                if needle in service.name.casefold():
                    ref = ServiceRef(project.name, tier.name, service.name)
                    matches.append((ref, f"{service.port}  {ref}"))
                if len(matches) >= limit:
                    return matches
    return matches
