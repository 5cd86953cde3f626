"""New TOML text for what a layout-keeping save adds: values, inline tables, `[[...]]` blocks.

What already stands in the file is kept as the user wrote it (`preserve`); only an element
the edits created is written here, in the canonical layout.
"""

from __future__ import annotations

from typing import Any

import tomli_w

from portplan.documents import element_document
from portplan.model import Acceptance, Project, Reserved, Service, Tier
from portplan.model_base import Model

HEADER_NAMES = {
    "projects": "projects",
    "reserved": "reserved",
    "tiers": "projects.tiers",
    "services": "projects.tiers.services",
}


def literal_fits(old_token: str, value: str) -> bool:
    """Keep 'literal' quoting when the new text can be written that way too."""
    if not old_token.startswith("'") or old_token.startswith("'''"):
        return False
    return all(char == "\t" or (" " <= char != "\x7f" and char != "'") for char in value)


def toml(value: Any) -> str:
    return tomli_w.dumps({"v": value})[4:-1]


def inline_value(value: Any) -> str:
    if isinstance(value, dict):
        return inline_table(value)
    if isinstance(value, list):
        return "[" + ", ".join(inline_value(item) for item in value) + "]"
    return toml(value)


def inline_table(document: dict[str, Any]) -> str:
    if not document:
        return "{}"
    return "{ " + ", ".join(f"{k} = {inline_value(v)}" for k, v in document.items()) + " }"


def accepted(entry: Acceptance) -> dict[str, Any]:
    return {"rule": entry.rule, "reason": entry.reason}


def document(model: Model) -> dict[str, Any]:
    if isinstance(model, Acceptance):
        return accepted(model)
    assert isinstance(model, Service | Tier | Project | Reserved)
    return element_document(model)


def block_text(key: str, document: dict[str, Any]) -> str:
    """A new `[[...]]` block in the canonical layout, the tiers of a new project included.

    Lists of tables inside it are written as inline tables one per line, whatever their
    length: tomli_w would turn long ones into blocks named from the document's root."""
    tiers = document.pop("tiers", []) if key == "projects" else []
    services = document.pop("services", None) if key == "tiers" else None
    text = f"[[{HEADER_NAMES[key]}]]\n" + tomli_w.dumps(document)
    if services is not None:
        text += "services = " + lines_of_tables(services, "\n") + "\n"
    for tier in tiers:
        text += "\n" + block_text("tiers", tier)
    return text


def lines_of_tables(documents: list[dict[str, Any]], newline: str) -> str:
    if not documents:
        return "[]"
    return "[" + newline + "".join(f"    {inline_table(d)},{newline}" for d in documents) + "]"
