"""The plan as JSON: the same keys and order as the TOML file, dates as ISO text."""

from __future__ import annotations

from portplan.documents import to_document
from portplan.model import Plan
from portplan.terminal import json_text


def export_json(plan: Plan) -> str:
    document = to_document(plan)
    if plan.updated is not None:
        document["updated"] = plan.updated.isoformat()
    return json_text(document)
