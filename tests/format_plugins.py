"""Formats that exist only for the registry tests: each is what a contributor would write to
add an exporter or an import format — one function, registered by one line."""

from __future__ import annotations

from pathlib import Path

from portplan.importers import ImportResult
from portplan.model import Plan
from portplan.store import loads


def export_ports(plan: Plan) -> str:
    """`PORT PROJECT/TIER/SERVICE` lines."""
    return "".join(
        f"{service.port} {project.name}/{tier.name}/{service.name}\n"
        for project, tier, service in plan.services()
    )


def read_toml_text(path: Path) -> ImportResult:
    """A plan already in TOML, under another name: the smallest reader there is."""
    return ImportResult(loads(path.read_text(encoding="utf-8")), [])
