"""Find projects and tiers by what a user typed.

Names may contain "/" (the reference plan has a tier called `AI/ML Services`), so a path is
never split blindly: every split point is tried against the plan's real names. Matching is
case-insensitive, and a unique prefix of a name is enough.
"""

from __future__ import annotations

from portplan.errors import UsageError
from portplan.model import Plan, Project, Tier
from portplan.records import record


@record
class Scope:
    project: Project
    tier: Tier | None = None

    @property
    def path(self) -> str:
        return self.project.name if self.tier is None else f"{self.project.name}/{self.tier.name}"


def _matches(query: str, names: list[str]) -> tuple[list[str], bool]:
    """Names equal to `query` (exact, case-insensitive), else those it is a prefix of."""
    lowered = query.casefold()
    exact = [name for name in names if name.casefold() == lowered]
    if exact:
        return exact, True
    return [name for name in names if name.casefold().startswith(lowered)], False


def resolve_scope(plan: Plan, text: str) -> Scope:
    """Resolve `PROJECT` or `PROJECT/TIER`; raise UsageError naming the candidates."""
    query = text.strip().strip("/")
    if not query:
        raise UsageError("give a project name, or PROJECT/TIER")
    candidates: list[tuple[int, Scope]] = []  # (exact segments, scope)
    project_names = [project.name for project in plan.projects]
    split_points = [-1] + [i for i, char in enumerate(query) if char == "/"]
    for point in split_points:
        project_part = query if point == -1 else query[:point]
        tier_part = None if point == -1 else query[point + 1 :]
        names, project_exact = _matches(project_part, project_names)
        for name in names:
            project = plan.project(name)
            if tier_part is None:
                candidates.append((int(project_exact), Scope(project)))
                continue
            tiers, tier_exact = _matches(tier_part, [tier.name for tier in project.tiers])
            for tier_name in tiers:
                candidates.append(
                    (int(project_exact) + int(tier_exact), Scope(project, project.tier(tier_name)))
                )
    if not candidates:
        known = ", ".join(project_names) or "none"
        raise UsageError(f"no project or tier matches {text!r} (projects: {known})")
    best = max(score for score, _ in candidates)
    chosen = {scope.path: scope for score, scope in candidates if score == best}
    if len(chosen) > 1:
        raise UsageError(f"{text!r} is ambiguous: it matches {', '.join(sorted(chosen))}")
    return next(iter(chosen.values()))
