"""Plans read from other formats: `portplan import` picks a reader by `--format`, else by the
document's suffix, else reads the Markdown port-assignments document it was made for.

A new import format is one module with a function `read(path) -> ImportResult` and one line
in `IMPORTERS`. Readers are named, not imported, so that `portplan import` loads only the one
it uses.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from portplan.errors import Problem
from portplan.model import Plan


@dataclass(frozen=True, slots=True)
class ImportResult:
    """The plan read, and notes on what the document said that a plan cannot keep."""

    plan: Plan
    notes: list[Problem]


@dataclass(frozen=True, slots=True)
class Importer:
    reader: str  # "module:function", the function taking a path and giving an ImportResult
    suffixes: tuple[str, ...]  # how a document's name ends, lower case, to pick it unasked
    help: str  # what the format reads, for `portplan import --help` (wrapped there)

    def read(self, path: Path) -> ImportResult:
        module, _, function = self.reader.partition(":")
        reader = getattr(importlib.import_module(module), function)
        return cast(Callable[[Path], ImportResult], reader)(path)


IMPORTERS: dict[str, Importer] = {
    "md": Importer(
        "portplan.markdown:read_markdown",
        (".md", ".markdown"),
        "a master-port-assignments document, as `portplan export --format md` writes it. "
        "It needs a `## PORT RANGE ALLOCATIONS` table (Port Range | Project | Description), "
        "one `## NAME (A-B)` section per project with `### TIER (A-B)` headings and service "
        "tables (Port | Service | Description; `16000/udp` for UDP), and optionally a "
        "`## RESERVED SYSTEM PORTS (NEVER USE)` table and `**Version:**`, `**Last Updated:**` "
        "and `**Strategy:**` lines. Text that was UTF-8 read as Mac Roman or Windows-1252 is "
        "repaired where the repair is exact; decoration emoji in headings are dropped; en "
        "dashes in ranges are read as hyphens.",
    ),
}


# For a document whose name says nothing (`notes.txt`, `PORTS`): what `import` always read.
DEFAULT_IMPORTER = "md"


def importer_for(path: Path, name: str | None = None) -> Importer:
    """The importer named, else the one whose suffix the document has, else the default."""
    if name is not None:
        return IMPORTERS[name]
    suffix = path.suffix.lower()
    for importer in IMPORTERS.values():
        if suffix in importer.suffixes:
            return importer
    return IMPORTERS[DEFAULT_IMPORTER]
