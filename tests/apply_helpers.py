"""A plan before and after a move, and a way to apply it to files in a temporary folder."""

from __future__ import annotations

import re
from pathlib import Path

from portplan.apply import Preparation, prepare, write_all
from portplan.model import Plan
from portplan.scan import Target
from portplan.store import loads

NEW_TEXT = """\
title = "Apply test plan"

[[projects]]
name = "ALPHA"
ports = "16000-16999"
paths = ["alpha"]

[[projects.tiers]]
name = "Web"
ports = "16000-16099"
services = [
    { port = 16000, name = "Frontend", description = "Vite dev server" },
    { port = 16001, name = "Admin" },
    { port = 16080, name = "API" },
]

[[projects.tiers]]
name = "Data"
ports = "16400-16499"
services = [
    { port = 16432, name = "PostgreSQL" },
    { port = 16450, name = "Metrics", protocol = "udp" },
]
"""
# The same plan before ALPHA was rebased from 15000 to 16000.
OLD_TEXT = re.sub(r"\b16(\d{3})\b", r"15\1", NEW_TEXT)


def new_plan() -> Plan:
    return loads(NEW_TEXT, "ports.toml")


def old_plan() -> Plan:
    return loads(OLD_TEXT, "old.toml")


def lay_out(folder: Path, files: dict[str, str | bytes]) -> None:
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_bytes(content.encode("utf-8"))


def targets(folder: Path) -> list[Target]:
    return [Target(folder, "alpha", "ALPHA")]


def apply_to(
    tmp_path: Path, files: dict[str, str | bytes], *, old: Plan | None = None
) -> tuple[Preparation, dict[str, bytes]]:
    """Lay the files out in tmp_path/alpha, apply the move (from `old`), give every file back."""
    folder = tmp_path / "alpha"
    lay_out(folder, files)
    preparation = prepare(new_plan(), targets(folder), old)
    write_all(preparation.files)
    return preparation, {name: (folder / name).read_bytes() for name in files}
