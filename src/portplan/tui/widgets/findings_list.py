"""The findings of the whole plan, most severe first; choosing one posts `FindingChosen`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from portplan.analysis import SYMBOLS, Finding
from portplan.tui.labels import literal
from portplan.tui.widgets.themed import Themed


class FindingsList(OptionList, Themed):
    COMPONENT_CLASSES: ClassVar[set[str]] = OptionList.COMPONENT_CLASSES | Themed.COMPONENT_CLASSES

    @dataclass
    class FindingChosen(Message):
        finding: Finding

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.findings: list[Finding] = []

    def show(self, findings: Sequence[Finding]) -> None:
        highlighted = self.highlighted
        self.findings = list(findings)
        palette = self.palette()
        self.clear_options()
        self.add_options(
            Option(
                Text.assemble((SYMBOLS[f.severity] + " ", palette[f.severity]), literal(f.message))
            )
            for f in self.findings
        )
        if self.findings:
            self.highlighted = min(highlighted or 0, len(self.findings) - 1)
        self.border_title = f"Findings ({len(self.findings)})"

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(self.FindingChosen(self.findings[event.option_index]))
