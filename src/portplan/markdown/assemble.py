"""Turn what the reader collected into plan data for the model, keeping the source line of
each project, tier and service so that a validation error can name its line.

A project section is matched to its range-table row by name, or by `NAME (ALIAS)` in the
table when the heading says `NAME`; both must give the same range.
"""

from __future__ import annotations

from typing import Any

from portplan.markdown.document import Draft, RangeRow, SectionDraft
from portplan.markdown.shape import parse_date, title_from_heading


def plan_data(draft: Draft) -> tuple[dict[str, Any], dict[tuple[int | str, ...], int]]:
    """The plan as model data, and the source line of each place in it."""
    data: dict[str, Any] = {}
    lines: dict[tuple[int | str, ...], int] = {}
    title_line = draft.metadata.get("title")
    if title_line is not None:
        data["title"] = title_line[0]
    elif draft.heading_title is not None:
        data["title"] = title_from_heading(draft.heading_title)
    for key in ("version", "strategy"):
        if key in draft.metadata:
            data[key], lines[(key,)] = draft.metadata[key]
    if "updated" in draft.metadata:
        text, line = draft.metadata["updated"]
        try:
            data["updated"] = parse_date(text)
        except ValueError as error:
            draft.fail(line, f"**Last Updated:** {error}")
    data["reserved"] = draft.reserved
    data["projects"] = [
        _project_data(draft, index, section, lines) for index, section in enumerate(draft.sections)
    ]
    for row in draft.range_rows.values():
        if row.name not in draft.used_rows:
            draft.fail(
                row.line, f"project {row.name!r} has no `## {row.name} ({row.ports})` section"
            )
    return data, lines


def _row_for(draft: Draft, section: SectionDraft) -> RangeRow | None:
    row = draft.range_rows.get(section.name)
    if row is None:
        # Only when a heading has no row of its own: rare, so a scan is fine.
        headed = {other.name for other in draft.sections}
        aliased = [
            candidate
            for candidate in draft.range_rows.values()
            if candidate.name.startswith(section.name + " (")
            and candidate.name.endswith(")")
            and candidate.ports == section.ports
            and candidate.name not in headed
        ]
        if len(aliased) == 1:
            row = aliased[0]
    if row is None:
        draft.fail(
            section.line,
            f"project {section.name!r} is not in the range table "
            f"(add a row | **{section.ports}** | {section.name} | … |)",
        )
        return None
    if row.ports != section.ports:
        draft.fail(
            section.line,
            f"project {section.name!r}: heading says {section.ports} but "
            f"the range table (line {row.line}) says {row.ports}",
        )
    return row


def _project_data(
    draft: Draft, index: int, section: SectionDraft, lines: dict[tuple[int | str, ...], int]
) -> dict[str, Any]:
    row = _row_for(draft, section)
    name = row.name if row else section.name
    if row is not None:
        draft.used_rows.add(row.name)
    lines[("projects", index)] = section.line
    project: dict[str, Any] = {
        "name": name,
        "ports": str(section.ports),
        "description": row.description if row else "",
    }
    if section.paths is not None:
        project["paths"] = section.paths
    project["tiers"] = []
    for tier_index, tier in enumerate(section.tiers):
        lines[("projects", index, "tiers", tier_index)] = tier.line
        for service_index, service in enumerate(tier.services):
            lines[("projects", index, "tiers", tier_index, "services", service_index)] = (
                tier.service_lines[service["name"]]
            )
        project["tiers"].append(
            {
                "name": tier.name,
                "ports": str(tier.ports),
                "description": tier.description,
                "services": tier.services,
            }
        )
    return project
