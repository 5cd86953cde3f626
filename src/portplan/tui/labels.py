"""Rich `Text` for plan nodes, and the plan's one-line summary. User text is always appended
as plain text, never as markup, and control characters are made visible so a name cannot
move the terminal's cursor."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from operator import attrgetter
from pathlib import Path

from rich.style import Style
from rich.text import Text

from portplan.finding_index import FindingIndex
from portplan.findings import SEVERITIES, SYMBOLS, Finding, Severity, summarize
from portplan.model import Plan, Project, ProjectRef, Service, ServiceRef, Tier, TierRef
from portplan.session import Session
from portplan.terminal import escape_table
from portplan.tui.node_label import NodeLabel

# Widgets that show plan text declare these as component classes (coloured from the theme in
# portplan.tcss) and pass their resolved styles in as a palette.
STYLE_NAMES = ("error", "warning", "info", "ok", "range", "dim", "port")
COMPONENT_CLASSES = frozenset(f"portplan--{name}" for name in STYLE_NAMES)
Palette = Mapping[str, Style]


# The header's icon (a click opens the command palette): a character every monospace font
# has, so that it draws in a terminal and in the screenshots (Textual's ⭘ is missing from
# most fonts a browser falls back to, and showed as an empty box).
HEADER_ICON = "≡"


# C0 controls as their Unicode pictures (␛ for ESC, ␊ for a line break, which would break a
# tree line); C1 controls and bidi overrides as the command line's escapes (`\x9b`, `\u202e`).
_LITERAL = escape_table({code: chr(0x2400 + code) for code in range(0x20)} | {0x7F: "␡"})


def literal(text: str) -> str:
    """Show control and bidi characters as visible symbols instead of obeying them."""
    return text.translate(_LITERAL)


def plain(text: str | Text) -> Text:
    """User text for a widget, a dialog title, a list or a notification: shown literally,
    never parsed as markup (`[red]x[/]`, `[bold` stay as written), controls made visible."""
    return text if isinstance(text, Text) else Text(literal(text))


def marker(severity: Severity | None, palette: Palette) -> Text:
    if severity is None:
        return Text("✓", style=palette["ok"])
    return Text(SYMBOLS[severity], style=palette[severity])


def counts_text(counts: Mapping[Severity, int], palette: Palette) -> Text:
    parts: list[Text] = []
    for severity in SEVERITIES:
        if counts[severity]:
            parts.append(Text(f"{SYMBOLS[severity]}{counts[severity]}", style=palette[severity]))
    return Text(" ").join(parts) if parts else Text("✓", style=palette["ok"])


def used_ports(tier_or_project: Tier | Project) -> int:
    """How many ports of its range its services hold (a project's label counts 960 services,
    on every first screen and every edit of the project: the ports are gathered and bounded
    in C, by `map`, `set`, `min` and `max`, and sorted only when some lie outside)."""
    low, high = tier_or_project.ports.start, tier_or_project.ports.end
    if isinstance(tier_or_project, Tier):
        ports = set(map(_PORT, tier_or_project.services))
    else:
        ports = set().union(*(map(_PORT, tier.services) for tier in tier_or_project.tiers))
    if not ports or (low <= min(ports) and max(ports) <= high):
        return len(ports)
    ordered = sorted(ports)
    return bisect_right(ordered, high) - bisect_left(ordered, low)


_PORT = attrgetter("port")


def project_label(project: Project, index: FindingIndex, palette: Palette) -> NodeLabel:
    return NodeLabel(
        Text(literal(project.name), "bold"),
        details=(
            Text(str(project.ports), palette["range"]),
            Text(f"{used_ports(project)}/{len(project.ports)} used", palette["dim"]),
        ),
        tail=counts_text(index.counts(ProjectRef(project.name)), palette),
    )


def tier_label(project: Project, tier: Tier, index: FindingIndex, palette: Palette) -> NodeLabel:
    return NodeLabel(
        Text(literal(tier.name)),
        details=(
            Text(str(tier.ports), palette["range"]),
            Text(f"{used_ports(tier)}/{len(tier.ports)} used", palette["dim"]),
        ),
        tail=counts_text(index.counts(TierRef(project.name, tier.name)), palette),
    )


def service_label(
    project: Project,
    tier: Tier,
    service: Service,
    index: FindingIndex,
    palette: Palette,
    in_use_by: str | None = None,
) -> NodeLabel:
    ref = ServiceRef(project.name, tier.name, service.name)
    protocol = "/udp" if service.protocol == "udp" else ""
    head = Text.assemble(
        marker(index.worst(ref), palette),
        " ",
        (f"{service.port:>5}{protocol}", palette["port"]),
        "  ",
    )
    in_use = () if in_use_by is None else (Text(f"◉ {literal(in_use_by)}", palette["info"]),)
    return NodeLabel(Text(literal(service.name)), head=head, details=in_use)


def shown_path(path: Path, cwd: Path | None = None) -> str:
    """A path as the user would type it here: relative to the working folder when inside it,
    from ~ when inside the home folder, else whole."""
    if not path.is_absolute():
        return str(path)
    for base, prefix in ((cwd or Path.cwd(), ""), (Path.home(), "~/")):
        if path.is_relative_to(base):
            return prefix + str(path.relative_to(base))
    return str(path)


def file_title(session: Session) -> str:
    """The screen title's file part. A file not created yet is named with its folder (the
    default plan may be data/ports.toml), so the user knows where a save will write it."""
    path = session.path
    name = path.name if session.exists else f"{shown_path(path)} (new file)"
    return plain(name).plain + (" ● modified" if session.modified else "")


def plan_title(plan: Plan) -> Text:
    return plain(plan.title) if plan.title else Text("untitled plan")


def summary_line(plan: Plan, findings: Sequence[Finding]) -> str:
    """The status line's summary: the plan's size and its findings by severity."""
    counts = summarize(findings)
    services = plan.service_count()
    return (
        f"{len(plan.projects)} projects, {services} services · "
        f"✗ {counts['error']} errors · ⚠ {counts['warning']} warnings · "
        f"ℹ {counts['info']} info"
    )
