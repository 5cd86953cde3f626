"""Read a port plan from a Markdown document shaped like the master port assignments.

The shape (see `exporters.markdown`, which writes it):

    # MASTER PORT ASSIGNMENTS - All Projects        title (shouted + subtitle → "Master port
                                                      assignments"; `**Title:**` overrides)
    **Strategy:** …                                   plan metadata lines, anywhere:
    **Version:** 2.0  /  **Last Updated:** December 18, 2025  /  **Title:** …
    ## PORT RANGE ALLOCATIONS                         | Port Range | Project | Description |
    ## 🔵 NAME (A-B)                                  one section per project, in plan order;
    **Paths:** web, services/api                      optional, the project's source folders
    ### Tier name (A-B)                               one heading per tier, then optionally a
    A paragraph: the tier's description.              description paragraph and
    | Port | Service | Description |                  one service table (`16000/udp` for UDP)
    ## RESERVED SYSTEM PORTS (NEVER USE)              | Port Range | Reserved For |
    ## MIGRATION CHECKLIST                            derived from the plan; read past

A project section is matched to its range-table row by name, or by `NAME (ALIAS)` in the
table when the heading says `NAME` (the reference writes `SigmaLang` over
`SigmaLang (ΣLANG)`); both must give the same range. Ranges may use an en dash or another
dash (`16000–16099`): typographers write ranges that way and the meaning is not in doubt.
Anything else the reader cannot place — a row without a port, a row with too few or too many
cells, a heading without a range, a duplicate heading, a section whose project is not in the
range table — is a `PlanError` naming its line. A `**Purpose:**` line is read past with a note,
since a plan has no field for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markdown_it.token import Token
from pydantic import ValidationError

from portplan.errors import PlanError, Problem
from portplan.markdown_shape import (
    HEADING_RANGE,
    PORT_CELL,
    RANGE_COLUMNS,
    RESERVED_COLUMNS,
    SECTION_TITLES,
    SERVICE_COLUMNS,
    count_cells,
    parse_date,
    parse_range,
    title_from_heading,
)
from portplan.markdown_text import (
    Segment,
    join_stripped,
    make_parser,
    read_segments,
)
from portplan.model import MAX_PORT, Plan, PortRange
from portplan.store import read_utf8


@dataclass(frozen=True, slots=True)
class ImportResult:
    plan: Plan
    notes: list[Problem]


@dataclass
class _Tier:
    name: str
    ports: PortRange
    line: int
    description: str = ""
    services: list[dict[str, Any]] = field(default_factory=list)
    service_lines: dict[str, int] = field(default_factory=dict)
    has_table: bool = False


@dataclass
class _Section:
    name: str
    ports: PortRange
    line: int
    paths: list[str] | None = None
    tiers: list[_Tier] = field(default_factory=list)


@dataclass
class _RangeRow:
    name: str
    ports: PortRange
    description: str
    line: int


@dataclass
class _Reader:
    lines: list[str]
    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)
    heading_title: str | None = None
    metadata: dict[str, tuple[str, int]] = field(default_factory=dict)
    range_rows: dict[str, _RangeRow] = field(default_factory=dict)
    range_table_seen: bool = False
    reserved: list[dict[str, Any]] = field(default_factory=list)
    sections: list[_Section] = field(default_factory=list)
    section_kind: str = "preamble"
    used_rows: set[str] = field(default_factory=set)

    # --- helpers ------------------------------------------------------------------------

    def fail(self, line: int | None, message: str) -> None:
        self.problems.append(Problem(message, line=line))

    @property
    def section(self) -> _Section | None:
        return self.sections[-1] if self.section_kind == "project" else None

    @property
    def tier(self) -> _Tier | None:
        section = self.section
        return section.tiers[-1] if section and section.tiers else None

    # --- blocks -------------------------------------------------------------------------

    def read(self, tokens: list[Token]) -> None:
        index = 0
        while index < len(tokens):
            token = tokens[index]
            end = _block_end(tokens, index)
            line = token.map[0] + 1 if token.map else None
            if token.type == "heading_open":
                self.heading(int(token.tag[1:]), tokens[index + 1], line)
            elif token.type == "paragraph_open":
                self.paragraph(tokens[index + 1], line)
            elif token.type == "table_open":
                self.table(tokens[index : end + 1], line)
            elif token.type == "hr":
                pass
            elif self.section_kind == "checklist":
                pass  # the checklist is derived from the plan; export writes it afresh
            else:
                what = token.type.removesuffix("_open").replace("_", " ")
                self.fail(line, f"a {what} has no place in a port plan")
            index = end + 1

    def heading(self, level: int, inline: Token, line: int | None) -> None:
        segments = read_segments(inline.children, heading=True)
        text = join_stripped(segments)
        if level == 1:
            if self.heading_title is not None:
                self.fail(line, f"a second title {text!r}; a document has one `# title`")
            self.heading_title = text
            self.section_kind = "preamble"
            return
        if level == 2 and text.casefold() in SECTION_TITLES:
            kind = SECTION_TITLES[text.casefold()]
            if kind == "ranges" and self.range_table_seen:
                self.fail(line, f"a second {text!r} section")
            self.section_kind = kind
            return
        if level > 3:
            self.section_kind = "unplaced"
            self.fail(line, f"heading {text!r}: only ## projects and ### tiers are read")
            return
        shape = "## PROJECT (A-B)" if level == 2 else "### TIER (A-B)"
        # The range is matched in the last literal run only: a name may end in an escaped
        # space or parenthesis, and that belongs to the name.
        last = segments[-1] if segments else None
        match = HEADING_RANGE.match(last.text) if last is not None and last.literal else None
        name = join_stripped([*segments[:-1], Segment(match["name"], True)]) if match else ""
        try:
            if match is None or not name:
                raise ValueError(f"heading {text!r} has no port range (write `{shape}`)")
            ports = parse_range(match["range"])
        except ValueError as error:
            message = str(error)
            self.fail(
                line, message if message.startswith("heading") else f"heading {text!r}: {message}"
            )
            if level == 2:
                self.section_kind = "unplaced"
            elif self.section is not None:
                # Keep its table from being reported again as a table without a tier.
                self.section.tiers.append(_Tier(name or text, PortRange(1, 1), line or 0))
            return
        if level == 2:
            self.project_heading(name, ports, line)
        else:
            self.tier_heading(name, ports, line)

    def project_heading(self, name: str, ports: PortRange, line: int | None) -> None:
        for section in self.sections:
            if section.name == name:
                self.fail(
                    line,
                    f"duplicate heading: project {name!r} already has a section "
                    f"at line {section.line}",
                )
                self.section_kind = "unplaced"
                return
        self.sections.append(_Section(name, ports, line or 0))
        self.section_kind = "project"

    def tier_heading(self, name: str, ports: PortRange, line: int | None) -> None:
        section = self.section
        if section is None:
            self.fail(line, f"tier heading {name!r} is not inside a `## PROJECT (A-B)` section")
            return
        for tier in section.tiers:
            if tier.name == name:
                self.fail(
                    line,
                    f"duplicate heading: tier {name!r} of {section.name!r} already "
                    f"has a heading at line {tier.line}",
                )
                break
        section.tiers.append(_Tier(name, ports, line or 0))

    def paragraph(self, inline: Token, line: int | None) -> None:
        metadata = _metadata_lines(inline.children or [])
        if metadata is not None:
            for offset, (label, segments) in enumerate(metadata):
                self.metadata_line(label, segments, (line or 0) + offset)
            return
        tier = self.tier
        if tier is not None and not tier.has_table and not tier.description:
            tier.description = join_stripped(read_segments(inline.children))
            return
        if self.section_kind == "checklist":
            return
        text = join_stripped(read_segments(inline.children))
        preview = text if len(text) <= 40 else text[:37] + "…"
        self.fail(line, f"paragraph {preview!r} has no place in a port plan")

    def metadata_line(self, label: str, segments: list[Segment], line: int) -> None:
        key = label.casefold()
        if key == "purpose":
            self.notes.append(
                Problem("**Purpose:** is not kept: a plan has no purpose field", line=line)
            )
            return
        if key == "paths":
            section = self.section
            if section is None or section.tiers:
                self.fail(line, "**Paths:** belongs under a project heading, before its tiers")
            elif section.paths is not None:
                self.fail(line, f"a second **Paths:** line for {section.name!r}")
            else:
                section.paths = _split_paths(segments)
            return
        key = "updated" if key == "last updated" else key
        if key in self.metadata:
            self.fail(
                line, f"a second **{label}:** line (the first is at line {self.metadata[key][1]})"
            )
            return
        self.metadata[key] = (join_stripped(segments), line)

    # --- tables -------------------------------------------------------------------------

    def table(self, tokens: list[Token], line: int | None) -> None:
        rows = _table_rows(tokens)
        header, body = rows[0], rows[1:]
        kind = self.section_kind
        if kind == "ranges":
            self.range_table_seen = True
            expected: Sequence[str] = RANGE_COLUMNS
        elif kind == "reserved":
            expected = RESERVED_COLUMNS
        elif kind == "project" and self.tier is not None:
            expected = SERVICE_COLUMNS
            tier = self.tier
            if tier.has_table:
                self.fail(line, f"a second service table under tier {tier.name!r}")
                return
            tier.has_table = True
        elif kind == "project":
            self.fail(line, "a service table needs a `### TIER (A-B)` heading above it")
            return
        else:
            self.fail(
                line,
                "a table outside the range, project and reserved sections has no "
                "place in a port plan",
            )
            return
        if len(header.cells) != len(expected):
            self.fail(
                line,
                f"table has {len(header.cells)} columns; expected "
                f"{len(expected)}: {' | '.join(expected)}",
            )
            return
        for row in body:
            written = count_cells(self.lines[row.line - 1])
            if written != len(expected):
                self.fail(
                    row.line,
                    f"row has {written} cells; expected {len(expected)}: {' | '.join(expected)}",
                )
                continue
            texts = [join_stripped(cell) for cell in row.cells]
            if kind == "ranges":
                self.range_row(texts, row.line)
            elif kind == "reserved":
                self.reserved_row(texts, row.line)
            else:
                self.service_row(texts, row.line)

    def range_row(self, cells: list[str], line: int) -> None:
        ports_text, name, description = cells
        try:
            ports = parse_range(ports_text)
        except ValueError as error:
            self.fail(line, f"row has no port range: {error}")
            return
        if not name.strip():
            self.fail(line, "row has no project name")
            return
        if name in self.range_rows:
            self.fail(
                line,
                f"project {name!r} is already in the range table at line "
                f"{self.range_rows[name].line}",
            )
            return
        self.range_rows[name] = _RangeRow(name, ports, description, line)

    def reserved_row(self, cells: list[str], line: int) -> None:
        ports_text, reason = cells
        try:
            ports = parse_range(ports_text)
        except ValueError as error:
            self.fail(line, f"row has no port or range: {error}")
            return
        self.reserved.append({"ports": str(ports), "reason": reason})

    def service_row(self, cells: list[str], line: int) -> None:
        tier = self.tier
        assert tier is not None
        port_text, name, description = cells
        match = PORT_CELL.match(port_text)
        if not match:
            self.fail(line, f"row has no port: {port_text!r} (write e.g. **16000** or 16000/udp)")
            return
        port = int(match[1])
        if not 1 <= port <= MAX_PORT:
            self.fail(line, f"{port} is not a port (1-{MAX_PORT})")
            return
        if not name.strip():
            self.fail(line, "row has no service name")
            return
        if name in tier.service_lines:
            self.fail(
                line,
                f"service {name!r} is already in tier {tier.name!r} at line "
                f"{tier.service_lines[name]}",
            )
            return
        tier.service_lines[name] = line
        service: dict[str, Any] = {"port": port, "name": name, "description": description}
        if match[2]:
            service["protocol"] = match[2].lower()
        tier.services.append(service)

    # --- assembling ---------------------------------------------------------------------

    def plan_data(self) -> tuple[dict[str, Any], dict[tuple[int | str, ...], int]]:
        """The plan as model data, and the source line of each place in it."""
        data: dict[str, Any] = {}
        lines: dict[tuple[int | str, ...], int] = {}
        title_line = self.metadata.get("title")
        if title_line is not None:
            data["title"] = title_line[0]
        elif self.heading_title is not None:
            data["title"] = title_from_heading(self.heading_title)
        for key in ("version", "strategy"):
            if key in self.metadata:
                data[key], lines[(key,)] = self.metadata[key]
        if "updated" in self.metadata:
            text, line = self.metadata["updated"]
            try:
                data["updated"] = parse_date(text)
            except ValueError as error:
                self.fail(line, f"**Last Updated:** {error}")
        data["reserved"] = self.reserved
        data["projects"] = [
            self.project_data(index, section, lines) for index, section in enumerate(self.sections)
        ]
        for row in self.range_rows.values():
            if row.name not in self.used_rows:
                self.fail(
                    row.line, f"project {row.name!r} has no `## {row.name} ({row.ports})` section"
                )
        return data, lines

    def row_for(self, section: _Section) -> _RangeRow | None:
        row = self.range_rows.get(section.name)
        if row is None:
            # Only when a heading has no row of its own: rare, so a scan is fine.
            headed = {other.name for other in self.sections}
            aliased = [
                candidate
                for candidate in self.range_rows.values()
                if candidate.name.startswith(section.name + " (")
                and candidate.name.endswith(")")
                and candidate.ports == section.ports
                and candidate.name not in headed
            ]
            if len(aliased) == 1:
                row = aliased[0]
        if row is None:
            self.fail(
                section.line,
                f"project {section.name!r} is not in the range table "
                f"(add a row | **{section.ports}** | {section.name} | … |)",
            )
            return None
        if row.ports != section.ports:
            self.fail(
                section.line,
                f"project {section.name!r}: heading says {section.ports} but "
                f"the range table (line {row.line}) says {row.ports}",
            )
        return row

    def project_data(
        self, index: int, section: _Section, lines: dict[tuple[int | str, ...], int]
    ) -> dict[str, Any]:
        row = self.row_for(section)
        name = row.name if row else section.name
        if row is not None:
            self.used_rows.add(row.name)
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


@dataclass(frozen=True, slots=True)
class _Row:
    line: int
    cells: list[list[Segment]]


def _table_rows(tokens: list[Token]) -> list[_Row]:
    rows: list[_Row] = []
    for token in tokens:
        if token.type == "tr_open":
            rows.append(_Row((token.map[0] + 1) if token.map else 0, []))
        elif token.type == "inline" and rows:
            rows[-1].cells.append(read_segments(token.children))
    return rows


def _block_end(tokens: list[Token], start: int) -> int:
    """Index of the token closing the block that opens at `start` (itself when not a container)."""
    if tokens[start].nesting != 1:
        return start
    depth = 0
    for index in range(start, len(tokens)):
        depth += tokens[index].nesting
        if depth == 0:
            return index
    return len(tokens) - 1


_METADATA_LABELS = {"title", "purpose", "strategy", "version", "last updated", "updated", "paths"}


def _metadata_lines(children: Sequence[Token]) -> list[tuple[str, list[Segment]]] | None:
    """`**Label:** value` lines of a paragraph, or None when any line is something else."""
    lines: list[list[Token]] = [[]]
    for token in children:
        if token.type in ("softbreak", "hardbreak"):
            lines.append([])
        else:
            lines[-1].append(token)
    found: list[tuple[str, list[Segment]]] = []
    for line_tokens in lines:
        significant = [t for t in line_tokens if not (t.type == "text" and not t.content)]
        if (
            len(significant) < 3
            or significant[0].type != "strong_open"
            or significant[1].type != "text"
            or significant[2].type != "strong_close"
        ):
            return None
        label = significant[1].content.strip()
        if not label.endswith(":") or label[:-1].strip().casefold() not in _METADATA_LABELS:
            return None
        found.append((label[:-1].strip(), read_segments(significant[3:])))
    return found


def _split_paths(segments: list[Segment]) -> list[str]:
    parts: list[list[Segment]] = [[]]
    for segment in segments:
        if not segment.literal or "," not in segment.text:
            parts[-1].append(segment)
            continue
        first, *rest = segment.text.split(",")
        parts[-1].append(Segment(first, True))
        for piece in rest:
            parts.append([Segment(piece, True)])
    return [join_stripped(part) for part in parts]


def import_markdown(text: str, label: str = "<markdown>") -> ImportResult:
    """Parse a document; raise PlanError listing every line that cannot be placed."""
    reader = _Reader(text.splitlines())
    reader.read(make_parser().parse(text))
    data, lines = reader.plan_data()
    if reader.problems:
        raise PlanError(label, sorted(reader.problems, key=lambda p: p.line or 0))
    try:
        plan = Plan.model_validate(data)
    except ValidationError as error:
        problems = [_problem(detail, lines) for detail in error.errors(include_url=False)]
        raise PlanError(label, problems) from None
    return ImportResult(plan, reader.notes)


def _problem(detail: Any, lines: dict[tuple[int | str, ...], int]) -> Problem:
    loc = tuple(detail["loc"])
    for size in range(len(loc), 0, -1):
        if loc[:size] in lines:
            return Problem(detail["msg"], line=lines[loc[:size]])
    return Problem(detail["msg"])


def read_markdown(path: Path) -> ImportResult:
    # utf-8-sig: editors on Windows often start a Markdown file with a byte-order mark.
    return import_markdown(read_utf8(path, "Markdown file", encoding="utf-8-sig"), str(path))
