"""Details of the highlighted node or of the port under the map's cursor: what it is, its
range and usage, its findings in full, and every fact of its port (the list `portplan where`
prints, from the same `PortFacts.facts`)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import ClassVar

from rich.text import Text
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from portplan.environment import DEFAULT_ENVIRONMENT, EnvironmentLike
from portplan.finding_index import FindingIndex
from portplan.findings import SYMBOLS, Finding
from portplan.model import NodeRef, Plan, ProjectRef, ServiceRef, TierRef
from portplan.portfacts import PortFact, PortFacts, describe_reserved
from portplan.tui.keymap import SCROLL_KEYS, bindings
from portplan.tui.labels import Palette, literal, used_ports
from portplan.tui.widgets.steady import update_in_place, virtual_size_without_layout
from portplan.tui.widgets.themed import Themed


class ScrollPane(VerticalScroll):
    """The details pane's frame: tab reaches it, and the arrows or j/k/g/G scroll it, so the
    findings below its fold can be read from the keyboard."""

    BINDINGS: ClassVar[list[BindingType]] = bindings(SCROLL_KEYS)

    # The extent of the details, set by the layout that arranged them.
    virtual_size = virtual_size_without_layout()


class Details(Static, Themed):
    COMPONENT_CLASSES: ClassVar[set[str]] = Static.COMPONENT_CLASSES | Themed.COMPONENT_CLASSES

    # Its height follows its text, and the layout that gives it its height gives it this.
    virtual_size = virtual_size_without_layout()

    _shown: Text | None = None
    # What is shown, as the call that shows it: a theme change redraws it in the new colours.
    _reshow: Callable[[], None] | None = None

    def show(
        self,
        plan: Plan,
        ref: NodeRef | None,
        index: FindingIndex,
        listeners: Mapping[int, Sequence[str]] | None = None,
        environment: EnvironmentLike = DEFAULT_ENVIRONMENT,
    ) -> None:
        self._reshow = lambda: self.show(plan, ref, index, listeners, environment)
        if ref is None:
            self._update_text(
                Text("Nothing highlighted. Press r to reserve a port, or a to add a project.")
            )
            return
        palette = self.palette()
        lines: list[Text] = []
        port: int | None = None
        project = plan.project(ref.project)
        if isinstance(ref, ProjectRef):
            lines.append(
                Text.assemble(("Project  ", palette["dim"]), (literal(project.name), "bold"))
            )
            lines.append(Text(literal(project.description or "(no description)")))
            lines.append(_field("Range", str(project.ports), palette))
            lines.append(
                _field(
                    "Used",
                    f"{used_ports(project)} of {len(project.ports)} ports, "
                    f"{len(project.tiers)} tiers",
                    palette,
                )
            )
            if project.paths:
                lines.append(_field("Folders", ", ".join(project.paths), palette))
        else:
            tier = project.tier(ref.tier)
            if isinstance(ref, TierRef):
                lines.append(
                    Text.assemble(("Tier  ", palette["dim"]), (literal(tier.name), "bold"))
                )
                lines.append(_field("Project", literal(project.name), palette))
                if tier.description:
                    lines.append(Text(literal(tier.description)))
                lines.append(_field("Range", str(tier.ports), palette))
                lines.append(
                    _field(
                        "Used",
                        f"{used_ports(tier)} of {len(tier.ports)} ports, "
                        f"{len(tier.services)} services",
                        palette,
                    )
                )
            else:
                service = tier.service(ref.name)
                port = service.port
                lines.append(
                    Text.assemble(("Service  ", palette["dim"]), (literal(service.name), "bold"))
                )
                lines.append(Text(literal(service.description or "(no description)")))
                lines.append(_field("Port", f"{service.port}/{service.protocol}", palette))
                if listeners is not None and service.port in listeners:
                    owners = ", ".join(sorted(set(listeners[service.port])))
                    lines.append(_field("In use", f"◉ {literal(owners)}", palette))
                lines.append(_field("Tier", f"{literal(tier.name)} ({tier.ports})", palette))
                lines.append(
                    _field("Project", f"{literal(project.name)} ({project.ports})", palette)
                )
        findings = index.under(ref) if not isinstance(ref, ServiceRef) else index.direct(ref)
        lines.append(Text(""))
        lines.extend(finding_lines(findings, palette))
        if port is not None:
            lines.extend(fact_lines(port, PortFacts(plan, environment).facts(port), palette))
        self._update_text(Text("\n").join(lines))

    def show_port(
        self,
        plan: Plan,
        port: int,
        owners: Sequence[ServiceRef],
        index: FindingIndex,
        environment: EnvironmentLike = DEFAULT_ENVIRONMENT,
    ) -> None:
        """The port under the map's cursor: who holds it (`owners`, from the map), what
        reserves it, its services' findings and its facts."""
        self._reshow = lambda: self.show_port(plan, port, owners, index, environment)
        self._update_text(port_text(plan, port, owners, index, environment, self.palette()))

    def restyle(self) -> None:
        if self._reshow is not None:
            self._reshow()

    def _update_text(self, text: Text) -> None:
        # Updating draws the pane again even when nothing changed, as after most edits.
        if text == self._shown:
            return
        self._shown = text
        update_in_place(self, text)


def port_text(
    plan: Plan,
    port: int,
    owners: Sequence[ServiceRef],
    index: FindingIndex,
    environment: EnvironmentLike,
    palette: Palette,
) -> Text:
    """A port as `portplan where` tells it: its state, its owners, findings and facts."""
    facts = PortFacts(plan, environment)
    reserved = facts.reserved(port)
    state = "taken" if owners else "reserved" if reserved else "free"
    lines = [
        Text.assemble(("Port  ", palette["dim"]), (str(port), "bold")),
        _field("State", state, palette),
    ]
    for ref in owners:
        service = plan.project(ref.project).tier(ref.tier).service(ref.name)
        text = f"{literal(str(ref))} ({service.protocol})"
        if service.description:
            text += f" — {literal(service.description)}"
        lines.append(_field("Service", text, palette))
    for project, tier in facts.tiers_holding(port):
        where = f"{literal(project.name)}/{literal(tier.name)} ({tier.ports})"
        lines.append(_field("Tier", where, palette))
    for project in facts.projects_holding(port):
        lines.append(_field("Project", f"{literal(project.name)} ({project.ports})", palette))
    for entry in reserved:
        lines.append(_field("Reserved", literal(describe_reserved(entry)), palette))
    if owners:
        lines.append(Text(""))
        lines.extend(finding_lines([f for ref in owners for f in index.direct(ref)], palette))
    found = facts.facts(port)
    lines.extend(fact_lines(port, found, palette))
    if not found:
        lines.extend([Text(""), Text("✓ no hazards at this port", style=palette["ok"])])
    return Text("\n").join(lines)


def finding_lines(findings: Sequence[Finding], palette: Palette) -> list[Text]:
    if not findings:
        return [Text("✓ no findings", style=palette["ok"])]
    lines = [Text(f"Findings ({len(findings)})", style="bold")]
    for finding in findings:
        lines.append(
            Text.assemble(
                (SYMBOLS[finding.severity] + " ", palette[finding.severity]),
                literal(finding.message),
            )
        )
    return lines


def fact_lines(port: int, facts: Sequence[PortFact], palette: Palette) -> list[Text]:
    """Each fact as `where` words it, behind its severity and its symbol on the port map."""
    if not facts:
        return []
    lines = [Text(""), Text(f"Facts ({len(facts)})", style="bold")]
    for fact in facts:
        hazard = fact.hazard
        lines.append(
            Text.assemble(
                (f"{SYMBOLS[hazard.severity]} {fact.kind.symbol} ", palette[hazard.severity]),
                f"{hazard.sentence(port)} ({', '.join(fact.protocols)})",
            )
        )
    return lines


def _field(name: str, value: str, palette: Palette) -> Text:
    return Text.assemble((f"{name:<8}" if len(name) < 8 else f"{name} ", palette["dim"]), value)
