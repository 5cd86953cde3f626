"""The JSON Schema of `ports.toml`, generated from the pydantic model (`portplan schema`).

Editors with a TOML language server (Taplo / Even Better TOML, Tombi) read it to complete
keys and flag mistakes while typing. The structure comes from the model alone; this module
only adds the words an editor shows on hover, and writes draft-07 (`definitions`), which
every one of those servers reads. The schema is shipped as `portplan/ports.schema.json`
and a test keeps that file equal to what this module generates.
"""

from __future__ import annotations

from typing import Any

from portplan.model import Plan
from portplan.terminal import json_text

SCHEMA_FILE = "ports.schema.json"

# Hover text for keys, by model and field; a test fails when one names a key the model lacks.
FIELD_HELP: dict[tuple[str, str], str] = {
    ("Plan", "title"): "The plan's title, e.g. the document it was imported from.",
    ("Plan", "version"): "The plan's own version, as text.",
    ("Plan", "updated"): "The date of the last change, written as a TOML date: 2025-12-18.",
    ("Plan", "strategy"): "One paragraph on how ports are handed out.",
    ("Plan", "reserved"): "Ports no project may use: system ranges, other programs' ports.",
    ("Plan", "projects"): "The projects, each with its own range of ports.",
    ("Project", "name"): "Unique within the plan; matched case-insensitively by the commands.",
    ("Project", "paths"): "Folders of the project's sources, relative to this file, for "
    "`portplan scan`.",
    ("Project", "tiers"): "Parts of the project's range by role: application, API, data …",
    ("Tier", "name"): "Unique within its project.",
    ("Tier", "services"): "The services of this tier, one port each.",
    ("Service", "port"): "The host port, 1-65535.",
    ("Service", "name"): "Unique within its tier.",
    ("Service", "protocol"): "tcp (the default) or udp.",
    ("Reserved", "reason"): "Why the ports are kept free.",
    ("Plan", "accept"): "Findings accepted on purpose, anywhere in the plan.",
    ("Project", "accept"): "Findings accepted on purpose whose subjects are all in this project.",
    ("Tier", "accept"): "Findings accepted on purpose whose subjects are all in this tier.",
    ("Plan", "platforms"): "Where the plan runs; decides which platform facts apply. Default: "
    "linux, macos, windows, browsers; add kubernetes-node or freebsd to opt in.",
    ("Project", "platforms"): "Where this project runs, instead of the plan's platforms.",
    ("Acceptance", "rule"): "The rule's short name (ephemeral-port) or id (PP110).",
    ("Acceptance", "reason"): "Why the team lives with it; shown beside the finding.",
}


def plan_schema() -> dict[str, Any]:
    generated = Plan.model_json_schema(mode="validation", ref_template="#/definitions/{model}")
    definitions: dict[str, Any] = generated.pop("$defs", {})
    for (model, field), text in FIELD_HELP.items():
        holder = generated if model == "Plan" else definitions[model]
        holder["properties"][field]["description"] = text
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        **generated,
        "title": "portplan plan (ports.toml)",
        "description": "A port-allocation plan read by portplan: projects, their tiers and "
        "services, and reserved ports.",
        "definitions": definitions,
    }


def schema_text() -> str:
    """The schema as the shipped file holds it: sorted keys, two-space indent, final newline."""
    return json_text(plan_schema(), sort_keys=True)
