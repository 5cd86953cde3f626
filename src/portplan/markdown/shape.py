"""The shape of a port-assignments Markdown document, shared by its reader and its writer:
section titles, table columns, the title convention, and how ranges and dates are written.

Ranges may use an en dash or another dash (`16000–16099`): typographers write ranges that way,
and the meaning is not in doubt, so the reader accepts them; the writer uses a hyphen.
"""

from __future__ import annotations

import datetime as dt
import re

from portplan.model import PortRange

RANGES_TITLE = "PORT RANGE ALLOCATIONS"
RESERVED_TITLE = "RESERVED SYSTEM PORTS (NEVER USE)"
CHECKLIST_TITLE = "MIGRATION CHECKLIST"
TITLE_SUBTITLE = " - All Projects"
SECTION_TITLES = {
    RANGES_TITLE.casefold(): "ranges",
    RESERVED_TITLE.casefold(): "reserved",
    "reserved ports": "reserved",
    CHECKLIST_TITLE.casefold(): "checklist",
}
RANGE_COLUMNS = ("Port Range", "Project", "Description")
SERVICE_COLUMNS = ("Port", "Service", "Description")
RESERVED_COLUMNS = ("Port Range", "Reserved For")

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2212"
_RANGE = re.compile(rf"^(\d+)(?:\s*[{_DASHES}]\s*(\d+))?$")
HEADING_RANGE = re.compile(
    rf"^(?P<name>.*?)\s*\((?P<range>\d+(?:\s*[{_DASHES}]\s*\d+)?)\)\s*$", re.DOTALL
)
# `16000`, `16000/udp`, and with the address a service binds: `127.0.0.1:16000`, `[::1]:16000`.
PORT_CELL = re.compile(
    r"^(?:(?:\[([0-9A-Fa-f:.]+)\]|([0-9.]+)):)?([0-9]+)(?:\s*/\s*(tcp|udp))?$", re.IGNORECASE
)
_DATE = re.compile(r"^([A-Za-z]+)\s+(\d{1,2}),?\s+(\d{1,4})$")


def title_from_heading(text: str) -> str:
    """`MASTER PORT ASSIGNMENTS - All Projects` → `Master port assignments`; else as written."""
    if text.endswith(TITLE_SUBTITLE):
        head = text[: -len(TITLE_SUBTITLE)]
        if head and head == head.upper() and head != head.lower():
            return head[:1] + head[1:].lower()
    return text


def parse_range(text: str) -> PortRange:
    match = _RANGE.match(text.strip())
    if not match:
        raise ValueError(f"{text!r} is not a port range (write A-B or N)")
    # PortRange.parse refuses digits of other scripts and numbers too long for int().
    return PortRange.parse(f"{match[1]}-{match[2] or match[1]}")


def parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    match = _DATE.match(text)
    months = {month.casefold(): number for number, month in enumerate(MONTHS, start=1)}
    if match and match[1].casefold() in months:
        try:
            return dt.date(int(match[3]), months[match[1].casefold()], int(match[2]))
        except ValueError:
            pass
    raise ValueError(f"{text!r} is not a date (write e.g. December 18, 2025 or 2025-12-18)")


def count_cells(line: str) -> int:
    """Cells in one table row of source, as GFM splits it (a backslash escapes a pipe)."""
    body = line.strip()
    if body.startswith("|"):
        body = body[1:]
    if body.endswith("|") and not body.endswith("\\|"):
        body = body[:-1]
    cells, escaped = 1, False
    for char in body:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "|":
            cells += 1
    return cells


def format_date(day: dt.date) -> str:
    """The reference's `December 18, 2025`, spelled the same whatever the locale."""
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"
