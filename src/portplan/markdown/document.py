"""What the Markdown reader collects while it walks a document shaped like the master port
assignments; `reader` fills it, `assemble` turns it into plan data.

The shape (see `exporters.markdown_export`, which writes it):

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

from dataclasses import dataclass, field
from typing import Any

from portplan.errors import Problem
from portplan.model import PortRange


@dataclass
class TierDraft:
    """A `### TIER (A-B)` heading, its description paragraph and its service rows."""

    name: str
    ports: PortRange
    line: int
    description: str = ""
    services: list[dict[str, Any]] = field(default_factory=list)
    service_lines: dict[str, int] = field(default_factory=dict)
    has_table: bool = False


@dataclass
class SectionDraft:
    """A `## PROJECT (A-B)` section: its `**Paths:**` line and its tiers."""

    name: str
    ports: PortRange
    line: int
    paths: list[str] | None = None
    tiers: list[TierDraft] = field(default_factory=list)


@dataclass
class RangeRow:
    """A row of the `PORT RANGE ALLOCATIONS` table: the project's range and description."""

    name: str
    ports: PortRange
    description: str
    line: int


@dataclass
class Draft:
    """Everything read so far, the problems found and the section being read."""

    lines: list[str]
    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)
    heading_title: str | None = None
    metadata: dict[str, tuple[str, int]] = field(default_factory=dict)
    range_rows: dict[str, RangeRow] = field(default_factory=dict)
    range_table_seen: bool = False
    reserved: list[dict[str, Any]] = field(default_factory=list)
    sections: list[SectionDraft] = field(default_factory=list)
    section_kind: str = "preamble"
    used_rows: set[str] = field(default_factory=set)

    def fail(self, line: int | None, message: str) -> None:
        self.problems.append(Problem(message, line=line))

    @property
    def section(self) -> SectionDraft | None:
        return self.sections[-1] if self.section_kind == "project" else None

    @property
    def tier(self) -> TierDraft | None:
        section = self.section
        return section.tiers[-1] if section and section.tiers else None
