"""Walk a Markdown document's blocks — headings, paragraphs, tables — into a `Draft`.

Each block goes where the document's shape (see `document`) says; a block that has no place in
a port plan is a problem naming its line, and reading goes on so that every such line is
reported at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from markdown_it.token import Token

from portplan.errors import Problem
from portplan.fields import MAX_DIGITS_READ
from portplan.markdown.blocks import block_end, metadata_lines, split_paths, table_rows
from portplan.markdown.document import Draft, RangeRow, SectionDraft, TierDraft
from portplan.markdown.shape import (
    HEADING_RANGE,
    PORT_CELL,
    RANGE_COLUMNS,
    RESERVED_COLUMNS,
    SECTION_TITLES,
    SERVICE_COLUMNS,
    count_cells,
    parse_range,
)
from portplan.markdown.text import Segment, join_stripped, read_segments
from portplan.model import MAX_PORT, PortRange


@dataclass
class Reader(Draft):
    """A draft that reads blocks into itself."""

    def read(self, tokens: list[Token]) -> None:
        index = 0
        while index < len(tokens):
            token = tokens[index]
            end = block_end(tokens, index)
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
                self.section.tiers.append(TierDraft(name or text, PortRange(1, 1), line or 0))
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
        self.sections.append(SectionDraft(name, ports, line or 0))
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
        section.tiers.append(TierDraft(name, ports, line or 0))

    def paragraph(self, inline: Token, line: int | None) -> None:
        metadata = metadata_lines(inline.children or [])
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
                section.paths = split_paths(segments)
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
        rows = table_rows(tokens)
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
        self.range_rows[name] = RangeRow(name, ports, description, line)

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
        if len(match[3]) > MAX_DIGITS_READ:
            self.fail(line, f"a number of {len(match[3]):,} digits is not a port (1-{MAX_PORT})")
            return
        port = int(match[3])
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
        if match[4]:
            service["protocol"] = match[4].lower()
        if bind := match[1] or match[2]:
            service["bind"] = bind
        tier.services.append(service)
