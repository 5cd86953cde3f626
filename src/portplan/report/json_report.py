"""The JSON envelope every command prints with `--format json` (documented in docs/json.md).

`schema_version` changes only when a field is removed or changes meaning; new fields may be
added within a version, so readers should ignore keys they do not know.
"""

from __future__ import annotations

from portplan.report.items import Report

SCHEMA_VERSION = 1


def envelope(report: Report) -> dict[str, object]:
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": "portplan",
        "command": report.command,
        "plan": report.plan,
        "summary": report.summary(),
        "findings": [item.as_dict() for item in report.items],
        "result": report.result,
    }
