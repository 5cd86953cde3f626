"""Plans written in other formats: a Markdown document, JSON, dotenv lines, CSV.

Each format is a function from a plan to text; `portplan export` picks one by name.
"""

from __future__ import annotations

from portplan.model import Plan

FORMATS = ("md", "json", "env", "csv")


class ExportError(ValueError):
    """A plan that the chosen format cannot carry; the sentence says what and where."""


def only_project(plan: Plan, name: str) -> Plan:
    """A copy of the plan holding just one project (metadata and reserved list kept)."""
    copy = plan.model_copy(deep=True)
    copy.projects = [project for project in copy.projects if project.name == name]
    return copy


def export(plan: Plan, fmt: str, project: str | None = None) -> str:
    """The plan (or one project of it) as text in `fmt`, one of FORMATS."""
    if fmt == "env":
        from portplan.exporters.env_export import export_env

        # Variable names are worked out over the whole plan, so one project's names match.
        return export_env(plan, only=project)
    scoped = plan if project is None else only_project(plan, project)
    if fmt == "md":
        from portplan.exporters.markdown_export import export_markdown

        return export_markdown(scoped)
    if fmt == "json":
        from portplan.exporters.json_export import export_json

        return export_json(scoped)
    if fmt == "csv":
        from portplan.exporters.csv_export import export_csv

        return export_csv(scoped)
    raise ValueError(f"unknown export format {fmt!r} (one of {', '.join(FORMATS)})")
