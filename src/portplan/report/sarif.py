"""SARIF 2.1.0, the format code-scanning services (GitHub code scanning, …) read.

One reporting descriptor per finding kind from the catalogue, each result tied to it by id
and index; locations are physical (artifact URI and region). Relative paths stay relative,
as code scanning resolves them against the repository root.
"""

from __future__ import annotations

from importlib.metadata import version
from pathlib import PurePath
from urllib.parse import quote

from portplan.catalog import RULES, RuleInfo
from portplan.report.items import Item, Location, Report

SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def artifact_uri(file: str) -> str:
    path = PurePath(file)
    if path.is_absolute():
        return path.as_uri()
    return quote(path.as_posix())


def _descriptor(rule: RuleInfo) -> dict[str, object]:
    return {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.short},
        "fullDescription": {"text": rule.full},
        "help": {"text": rule.help},
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
    }


def _physical(location: Location) -> dict[str, object]:
    physical: dict[str, object] = {"artifactLocation": {"uri": artifact_uri(location.file)}}
    if location.line is not None:
        region: dict[str, int] = {"startLine": location.line}
        if location.column is not None:
            region["startColumn"] = location.column
        physical["region"] = region
    return {"physicalLocation": physical}


def _result(item: Item, rule_index: dict[str, int]) -> dict[str, object]:
    result: dict[str, object] = {
        "ruleId": item.rule.id,
        "ruleIndex": rule_index[item.rule.id],
        "level": LEVELS[item.severity],
        "message": {"text": item.message},
    }
    if item.location is not None:
        result["locations"] = [_physical(item.location)]
    if item.related:
        result["relatedLocations"] = [
            {"id": number, **_physical(place)} for number, place in enumerate(item.related)
        ]
    if item.accepted is not None:
        # Code scanning shows suppressed results as dismissed, with the justification.
        result["suppressions"] = [{"kind": "inSource", "justification": item.accepted}]
    properties: dict[str, object] = {"kind": item.kind}
    if item.ports:
        properties["ports"] = list(item.ports)
    if item.subjects:
        properties["subjects"] = list(item.subjects)
    result["properties"] = properties
    return result


def sarif_log(report: Report) -> dict[str, object]:
    rule_index = {rule.id: number for number, rule in enumerate(RULES)}
    driver = {
        "name": "portplan",
        "version": version("portplan"),
        "rules": [_descriptor(rule) for rule in RULES],
    }
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": driver},
                "automationDetails": {"id": f"portplan/{report.command}/"},
                "results": [_result(item, rule_index) for item in report.items],
            }
        ],
    }
