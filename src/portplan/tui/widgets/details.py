"""Details of the highlighted node: what it is, its range and usage, and its findings in full."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

from rich.text import Text
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from portplan.finding_index import FindingIndex
from portplan.findings import SYMBOLS
from portplan.model import NodeRef, Plan, ProjectRef, ServiceRef, TierRef
from portplan.tui.keymap import SCROLL_KEYS, bindings
from portplan.tui.labels import Palette, literal, used_ports
from portplan.tui.widgets.themed import Themed


class ScrollPane(VerticalScroll):
    """The details pane's frame: tab reaches it, and the arrows or j/k/g/G scroll it, so the
    findings below its fold can be read from the keyboard."""

    BINDINGS: ClassVar[list[BindingType]] = bindings(SCROLL_KEYS)


class Details(Static, Themed):
    COMPONENT_CLASSES: ClassVar[set[str]] = Static.COMPONENT_CLASSES | Themed.COMPONENT_CLASSES

    _shown: Text | None = None
    _shown_from: tuple[Plan, NodeRef | None, FindingIndex, Mapping[int, Sequence[str]] | None]

    def show(
        self,
        plan: Plan,
        ref: NodeRef | None,
        index: FindingIndex,
        listeners: Mapping[int, Sequence[str]] | None = None,
    ) -> None:
        self._shown_from = (plan, ref, index, listeners)
        if ref is None:
            self._update_text(
                Text("Nothing highlighted. Press r to reserve a port, or a to add a project.")
            )
            return
        palette = self.palette()
        lines: list[Text] = []
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
        if findings:
            lines.append(Text(f"Findings ({len(findings)})", style="bold"))
            for finding in findings:
                lines.append(
                    Text.assemble(
                        (SYMBOLS[finding.severity] + " ", palette[finding.severity]),
                        literal(finding.message),
                    )
                )
        else:
            lines.append(Text("✓ no findings", style=palette["ok"]))
        self._update_text(Text("\n").join(lines))

    def restyle(self) -> None:
        if hasattr(self, "_shown_from"):
            self.show(*self._shown_from)

    def _update_text(self, text: Text) -> None:
        # Updating lays the screen out again even when nothing changed, as after most edits.
        if text != self._shown:
            self._shown = text
            self.update(text)


def _field(name: str, value: str, palette: Palette) -> Text:
    return Text.assemble((f"{name:<8}", palette["dim"]), value)
