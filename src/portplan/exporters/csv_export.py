"""One CSV row per service: project, tier, service, port, protocol, description.

Rows end in `\\n` rather than RFC 4180's `\\r\\n`, so the output diffs and greps cleanly;
every CSV reader accepts both.
"""

from __future__ import annotations

import csv
import io

from portplan.model import Plan

COLUMNS = ("project", "tier", "service", "port", "protocol", "description")


def export_csv(plan: Plan) -> str:
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
