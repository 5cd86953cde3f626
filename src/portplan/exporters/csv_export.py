"""One CSV row per service: project, tier, service, port, protocol, description.

Rows end in `\\n` rather than RFC 4180's `\\r\\n`, so the output diffs and greps cleanly;
every CSV reader accepts both.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from portplan.exporters import refuse_control_characters
from portplan.model import Plan

COLUMNS = ("project", "tier", "service", "port", "protocol", "description")


def _fields(plan: Plan) -> Iterator[tuple[str, str]]:
    for project in plan.projects:
        yield f"project {project.name!r}", project.name
        for tier in project.tiers:
            place = f"{project.name}/{tier.name}"
            yield f"tier {place!r}", tier.name
            for service in tier.services:
                yield f"service {place + '/' + service.name!r}", service.name
                yield f"service {place + '/' + service.name!r} description", service.description


def export_csv(plan: Plan) -> str:
    refuse_control_characters(_fields(plan), "a CSV file")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for project, tier, service in plan.services():
        writer.writerow(
            (
                project.name,
                tier.name,
                service.name,
                service.port,
                service.protocol,
                service.description,
            )
        )
    return buffer.getvalue()
