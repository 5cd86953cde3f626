"""The plan as JSON: the same keys and order as the TOML file, dates as ISO text."""

from __future__ import annotations

import json

from portplan.documents import to_document
from portplan.model import Plan


def export_json(plan: Plan) -> str:
    document = to_document(plan)
    if plan.updated is not None:
        document["updated"] = plan.updated.isoformat()
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
