"""Hypothesis strategies for valid plans whose names are as awkward as names can be."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st
from pydantic import ValidationError

from portplan.model import MAX_PORT, Plan, PortRange, Project, Reserved, Service, Tier

# Text that has tripped Markdown writers: markup characters, escapes, references, table
# pipes, mojibake that a reader would "repair", emoji that a reader would drop, odd spaces.
AWKWARD = [
    "|",
    "\\|",
    "\\",
    "*",
    "**",
    "_",
    "`",
    "[x](y)",
    "<b>",
    "&amp;",
    "&#32;",
    "#",
    " #",
    "Œ£LANG",
    "üéØ",
    "‚ö†Ô∏è",
    "Ã©",
    "🔵 ",
    "⚠️",
    "\u00a0",
    "\t",
    "\n",
    "\r",
    " ",
    "  ",
    "1. ",
    "- ",
    "> ",
    "(1-2)",
    " (16000-16099)",
    "---",
    "=",
    "**Version:** 1",
    ",",
    "é",
    " - All Projects",
    "MASTER PORT ASSIGNMENTS",
    "Œ",
    "\u2028",
    "\ufeff",
    "\u200d",
]

# Every character except the C0/C1 controls Markdown cannot carry (tested separately).
_CHARACTERS = st.characters(
    exclude_categories=("Cs",),
    exclude_characters=[chr(c) for c in range(0x20) if chr(c) not in "\t\n\r\x0c"]
    + [chr(c) for c in range(0x7F, 0xA0)]
    + ["\ufffe", "\uffff"],
)
text = st.lists(st.sampled_from(AWKWARD) | st.text(_CHARACTERS, max_size=4), max_size=4).map(
    "".join
)
names = text.filter(lambda value: bool(value.strip()))
ports = st.integers(1, MAX_PORT)


@st.composite
def port_ranges(draw: st.DrawFn) -> PortRange:
    start = draw(ports)
    end = draw(st.integers(start, min(MAX_PORT, start + 2000)))
    return PortRange(start, end)


def plan_or_none(data: object) -> Plan | None:
    """The plan, or None when its only fault is two nodes sharing a path (a name with "/"
    making `P/b` + `A` read as `P` + `b/A`), which `Plan` refuses and a strategy redraws."""
    try:
        return Plan.model_validate(data)
    except ValidationError as error:
        if all(detail["type"] == "shared_path" for detail in error.errors()):
            return None
        raise


def is_plan(plan: Plan | None) -> bool:
    return plan is not None


services = st.builds(
    Service,
    port=ports,
    name=names,
    description=text,
    protocol=st.sampled_from(["tcp", "udp"]),
    bind=st.sampled_from([None, "127.0.0.1", "::1", "0.0.0.0", "192.168.1.100"]),
)
tiers = st.builds(
    Tier,
    name=names,
    ports=port_ranges(),
    description=text,
    services=st.lists(services, max_size=3, unique_by=lambda service: service.name),
)
projects = st.builds(
    Project,
    name=names,
    ports=port_ranges(),
    description=text,
    paths=st.lists(text, max_size=3),
    tiers=st.lists(tiers, max_size=3, unique_by=lambda tier: tier.name),
)
plans = (
    st.builds(
        dict,
        title=text,
        version=text,
        updated=st.none() | st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)),
        strategy=text,
        reserved=st.lists(st.builds(Reserved, ports=port_ranges(), reason=text), max_size=3),
        projects=st.lists(projects, max_size=4, unique_by=lambda project: project.name),
    )
    .map(plan_or_none)
    .filter(is_plan)
)
