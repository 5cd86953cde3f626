"""A small plan and file writers shared by the scan tests."""

from __future__ import annotations

from pathlib import Path

from portplan.model import Plan
from portplan.store import loads

PLAN_TEXT = """
title = "Scan test plan"
reserved = [
    { ports = "0-1023", reason = "System" },
    { ports = "5432", reason = "PostgreSQL default" },
]

[[projects]]
name = "ALPHA"
ports = "16000-16999"
paths = ["alpha"]

[[projects.tiers]]
name = "Web"
ports = "16000-16099"
services = [
    { port = 16000, name = "Frontend" },
    { port = 16080, name = "API" },
]

[[projects.tiers]]
name = "Data"
ports = "16400-16499"
services = [
    { port = 16432, name = "PostgreSQL" },
    { port = 16450, name = "Metrics", protocol = "udp" },
]

[[projects]]
name = "BETA"
ports = "26000-26999"
paths = ["beta"]

[[projects.tiers]]
name = "Web"
ports = "26000-26099"
services = [{ port = 26000, name = "Frontend" }]
"""


def plan() -> Plan:
    return loads(PLAN_TEXT, "plan.toml")


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
