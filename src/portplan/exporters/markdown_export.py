"""The plan as a Markdown document of the master-port-assignments shape.

`portplan.markdown.import_markdown` reads it back to an equal plan, whatever the names contain.
Fields the reference shape has no place for are written so that a reader sees them too:
- a UDP service: `**16000/udp**` in the port column (TCP, the default, is left unsaid);
- a tier's description: a paragraph under its `### Tier (A-B)` heading;
- a project's source folders: `**Paths:** web, services/api` under its `##` heading;
- a title the `# SHOUTED TITLE - All Projects` heading cannot carry: a `**Title:**` line.
Characters Markdown would take as markup are escaped (see `portplan.markdown.text`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from portplan.exporters import ExportError
from portplan.markdown.shape import (
    CHECKLIST_TITLE,
    RANGE_COLUMNS,
    RANGES_TITLE,
    RESERVED_COLUMNS,
    RESERVED_TITLE,
    SERVICE_COLUMNS,
    TITLE_SUBTITLE,
    format_date,
    title_from_heading,
)
from portplan.markdown.text import (
    Segment,
    escape_inline,
    escape_segments,
    render_segments,
    uncarriable,
)
from portplan.model import Plan, PortRange, Project, Service, Tier

# Decoration only: the reader drops it. Colours cycle as in the reference document.
PROJECT_MARKS = ("🔵", "🟢", "🟡", "🟣", "🔴", "🟠", "🟤")
RANGES_MARK, RESERVED_MARK, CHECKLIST_MARK = "🎯", "⚠️", "🔧"
GENERAL_CHECKLIST = (
    "Update all .env files with new ports",
    "Update CORS configurations",
    "Update Kubernetes manifests",
    "Test all services with new ports",
)
RULE = "---"


def export_markdown(plan: Plan) -> str:
    _check_carriable(plan)
    blocks: list[str] = []
    blocks += _preamble(plan)
    if plan.projects:
        blocks += [RULE, f"## {RANGES_MARK} {RANGES_TITLE}", _range_table(plan.projects)]
    for index, project in enumerate(plan.projects):
        blocks.append(RULE)
        blocks += _project_blocks(project, PROJECT_MARKS[index % len(PROJECT_MARKS)])
    if plan.reserved:
        rows = [[str(entry.ports), escape_inline(entry.reason)] for entry in plan.reserved]
        blocks += [RULE, f"## {RESERVED_MARK} {RESERVED_TITLE}", _table(RESERVED_COLUMNS, rows)]
    if plan.projects:
        blocks += [RULE, f"## {CHECKLIST_MARK} {CHECKLIST_TITLE}", _checklist(plan.projects)]
    closing = _closing_lines(plan)
    if closing:
        blocks += [RULE, "\n".join(closing)]
    return "\n\n".join(blocks) + "\n"


def _fields(plan: Plan) -> Iterator[tuple[str, str]]:
    yield "title", plan.title
    yield "version", plan.version
    yield "strategy", plan.strategy
    for entry in plan.reserved:
        yield f"reserved {entry.ports}", entry.reason
    for project in plan.projects:
        yield f"project {project.name!r}", project.name
        yield f"project {project.name!r} description", project.description
        for path in project.paths:
            yield f"project {project.name!r} path", path
        for tier in project.tiers:
            place = f"{project.name}/{tier.name}"
            yield f"tier {place!r}", tier.name
            yield f"tier {place!r} description", tier.description
            for service in tier.services:
                yield f"service {place + '/' + service.name!r}", service.name
                yield f"service {place + '/' + service.name!r} description", service.description


def _check_carriable(plan: Plan) -> None:
    for place, text in _fields(plan):
        char = uncarriable(text)
        if char is not None:
            raise ExportError(
                f"{place}: contains the control character U+{ord(char):04X}, which Markdown "
                "cannot carry; remove it, or export as json"
            )


def _preamble(plan: Plan) -> list[str]:
    blocks: list[str] = []
    lines: list[str] = []
    if plan.title:
        shouted = plan.title.upper() + TITLE_SUBTITLE
        if title_from_heading(shouted) == plan.title:
            blocks.append(f"# {escape_inline(shouted, heading=True)}")
        else:
            blocks.append(f"# {escape_inline(plan.title, heading=True)}")
            if title_from_heading(plan.title) != plan.title:
                lines.append(_metadata("Title", plan.title))
    if plan.strategy:
        lines.append(_metadata("Strategy", plan.strategy))
    if lines:
        blocks.append("\n".join(lines))
    return blocks


def _closing_lines(plan: Plan) -> list[str]:
    lines: list[str] = []
    if plan.updated is not None:
        lines.append(f"**Last Updated:** {format_date(plan.updated)}")
    if plan.version:
        lines.append(_metadata("Version", plan.version))
    return lines


def _metadata(label: str, value: str) -> str:
    return f"**{label}:** {escape_inline(value)}"


def _heading(level: int, name: str, ports: PortRange, mark: str = "") -> str:
    segments = escape_segments(name, heading=True)
    segments.append(Segment(f" ({ports})", True))
    prefix = "#" * level + (f" {mark} " if mark else " ")
    return prefix + render_segments(segments)


def _range_table(projects: Sequence[Project]) -> str:
    ordered = sorted(projects, key=lambda project: project.ports.start)
    rows = [
        [f"**{project.ports}**", escape_inline(project.name), escape_inline(project.description)]
        for project in ordered
    ]
    return _table(RANGE_COLUMNS, rows)


def _project_blocks(project: Project, mark: str) -> list[str]:
    blocks = [_heading(2, project.name, project.ports, mark)]
    if project.paths:
        segments: list[Segment] = []
        for index, path in enumerate(project.paths):
            if index:
                segments.append(Segment(", ", True))
            segments += escape_segments(path, also=",")
        blocks.append(f"**Paths:** {render_segments(segments)}")
    for tier in project.tiers:
        blocks += _tier_blocks(tier)
    return blocks


def _tier_blocks(tier: Tier) -> list[str]:
    blocks = [_heading(3, tier.name, tier.ports)]
    if tier.description:
        blocks.append(escape_inline(tier.description, block_start=True))
    if tier.services:
        blocks.append(_table(SERVICE_COLUMNS, [_service_row(service) for service in tier.services]))
    return blocks


def _service_row(service: Service) -> list[str]:
    port = str(service.port) if service.protocol == "tcp" else f"{service.port}/{service.protocol}"
    if service.bind is not None:
        address = f"[{service.bind}]" if ":" in service.bind else service.bind
        port = f"{address}:{port}"
    return [f"**{port}**", escape_inline(service.name), escape_inline(service.description)]


def _checklist(projects: Sequence[Project]) -> str:
    items = [
        f"Update {project.name} configs (docker-compose, .env) to {project.ports}"
        for project in projects
    ]
    items += GENERAL_CHECKLIST
    return "\n".join(f"- [ ] {escape_inline(item)}" for item in items)


def _table(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [
        max([len(column), 3, *(len(row[i]) for row in rows)]) for i, column in enumerate(columns)
    ]

    def line(cells: Sequence[str]) -> str:
        return (
            "| "
            + " | ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True))
            + " |"
        )

    return "\n".join(
        [line(columns), line(["-" * width for width in widths]), *(line(row) for row in rows)]
    )
