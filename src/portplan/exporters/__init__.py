"""Plans written in other formats: a Markdown document, JSON, dotenv lines, CSV, and the OS
reservations (sysctl, netsh) that keep its ranges free.

Each format is a function from a plan to text in its own module, and one line in `EXPORTERS`;
`portplan export --format NAME` offers every registered name and lists its help. Writers are
named, not imported, so that an export loads only the one it uses.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import cast

from portplan.model import Plan
from portplan.terminal import first_escaped


class ExportError(ValueError):
    """A plan that the chosen format cannot carry; the sentence says what and where."""


def refuse_control_characters(fields: Iterable[tuple[str, str]], written_as: str) -> None:
    """Raise ExportError for the first (place, text) holding a control or bidi character.

    CSV, .env, sysctl and netsh files have no escape for them, so they would reach whoever
    shows the file (a terminal, an editor, a CI log) raw, able to command it or reorder what
    it shows; JSON writes each as `\\uXXXX`. Refused, as Markdown refuses what it cannot
    carry, rather than changed: an export must not quietly differ from the plan."""
    for place, text in fields:
        char = first_escaped(text)
        if char is not None:
            raise ExportError(
                f"{place}: contains the control character U+{ord(char):04X}, which {written_as} "
                "would pass on raw; remove it, or export as json"
            )


def project_names(plan: Plan, only: str | None = None) -> Iterator[tuple[str, str]]:
    """(place, text) of each project's name (of `only`'s alone, if given), for
    `refuse_control_characters`: the formats that write names only in comment lines."""
    for project in plan.projects:
        if only is None or project.name == only:
            yield f"project {project.name!r}", project.name


@dataclass(frozen=True, slots=True)
class Exporter:
    writer: str  # "module:function", the function taking a plan and giving the text
    help: str  # what the output looks like, for `portplan export --help` (wrapped there)
    # A writer that must see the whole plan (to name things consistently across projects)
    # gets it with `only=` the chosen project; every other writer gets just that project.
    whole_plan: bool = False

    def write(self, plan: Plan, project: str | None = None) -> str:
        module, _, function = self.writer.partition(":")
        writer = getattr(importlib.import_module(module), function)
        if self.whole_plan:
            return cast(Callable[..., str], writer)(plan, only=project)
        scoped = plan if project is None else only_project(plan, project)
        return cast(Callable[[Plan], str], writer)(scoped)


EXPORTERS: dict[str, Exporter] = {
    "md": Exporter(
        "portplan.exporters.markdown_export:export_markdown",
        "a document shaped like the master port assignments; `portplan import` reads it back "
        "to the same plan (UDP services are written `16000/udp`, tier descriptions as a "
        "paragraph under the tier heading, project folders as a `**Paths:**` line)",
    ),
    "json": Exporter(
        "portplan.exporters.json_export:export_json",
        "the plan as JSON, with the keys of the TOML file",
    ),
    "env": Exporter(
        "portplan.exporters.env_export:export_env",
        "one PROJECT_SERVICE_PORT=16432 line per service (ASCII, upper case; a clash gets _2, _3)",
        whole_plan=True,
    ),
    "csv": Exporter(
        "portplan.exporters.csv_export:export_csv",
        "one row per service: project, tier, service, port, protocol, description",
    ),
    "sysctl": Exporter(
        "portplan.exporters.os_reservation_export:export_sysctl",
        "an /etc/sysctl.d/ snippet reserving the project ranges inside Linux's ephemeral range "
        "(net.ipv4.ip_local_reserved_ports; merged, sorted, a comment naming each range's "
        "projects)",
    ),
    "netsh": Exporter(
        "portplan.exporters.os_reservation_export:export_netsh",
        "`netsh int ipv4 add excludedportrange` commands excluding the project ranges on "
        "Windows (run elevated, before Hyper-V reserves the ranges)",
    ),
}


def only_project(plan: Plan, name: str) -> Plan:
    """A copy of the plan holding just one project (metadata and reserved list kept)."""
    copy = plan.model_copy(deep=True)
    copy.projects = [project for project in copy.projects if project.name == name]
    return copy


def export(plan: Plan, fmt: str, project: str | None = None) -> str:
    """The plan (or one project of it) as text in `fmt`, one of EXPORTERS."""
    exporter = EXPORTERS.get(fmt)
    if exporter is None:
        raise ValueError(f"unknown export format {fmt!r} (one of {', '.join(EXPORTERS)})")
    return exporter.write(plan, project)
