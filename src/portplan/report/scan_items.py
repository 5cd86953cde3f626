"""Scan and probe findings as report items: a file's own line, else the plan's line.

A scan finding points at the Compose/.env/manifest line that writes the port; a planned
service missing from its project's files, and every probe finding, point at the plan.
A file the scan could not read in full is a `file-problem` item, since the check of that
file is incomplete and CI should see that.
"""

from __future__ import annotations

from portplan.findings import Finding
from portplan.probe import ProbeReport
from portplan.report.items import Item, Location, Report
from portplan.report.plan_places import PlanPlaces
from portplan.scan import ScanReport


def scan_report(report: ScanReport, places: PlanPlaces) -> Report:
    items: list[Item] = []
    for drift in report.findings:
        if drift.place is None:
            items.append(places.item(drift.as_finding()))
            continue
        items.append(
            Item(
                drift.severity,
                drift.kind,
                drift.message,
                Location(drift.place.label, drift.place.line),
                drift.ports,
                drift.subjects,
                tuple(places.locate_all(drift.subjects)),
            )
        )
    for note in report.notes:
        if note.level == "warning":
            location = Location(note.place.label, note.place.line)
            items.append(Item("warning", "file-problem", note.message, location))
    result = {
        "folders": [folder.as_dict() for folder in report.folders],
        "file_problems": report.summary()["file_problems"],
        "drift_found": report.drift_found,
    }
    return Report("scan", places.label, items, result)


def probe_report(report: ProbeReport, places: PlanPlaces) -> Report:
    items = [places.item(finding) for finding in report.findings]
    document = report.as_dict()
    result = {key: value for key, value in document.items() if key != "findings"}
    return Report("probe", places.label, items, result)


def plan_items(findings: list[Finding], places: PlanPlaces) -> list[Item]:
    return [places.item(finding) for finding in findings]
