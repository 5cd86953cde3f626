"""The findings of the whole plan, most severe first; choosing one posts `FindingChosen`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.binding import BindingType
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from portplan.findings import SYMBOLS, Finding
from portplan.tui.keymap import LIST_KEYS, bindings
from portplan.tui.labels import Palette, literal
from portplan.tui.widgets.themed import Themed


class FindingsList(OptionList, Themed):
    COMPONENT_CLASSES: ClassVar[set[str]] = OptionList.COMPONENT_CLASSES | Themed.COMPONENT_CLASSES
    BINDINGS: ClassVar[list[BindingType]] = bindings(LIST_KEYS)

    class FindingChosen(Message):
        def __init__(self, finding: Finding) -> None:
            super().__init__()
            self.finding = finding

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.findings: list[Finding] = []
        self._shown_palette: Palette | None = None

    def show(self, findings: Sequence[Finding]) -> None:
        findings = list(findings)
        palette = self.palette()
        title = f"Findings ({len(findings)})"
        if self.border_title != title:  # setting it redraws the whole list
            self.border_title = title
        if findings == self.findings and palette is self._shown_palette:
            return  # most edits change no finding: the list, its highlight and scroll stay
        if palette is self._shown_palette and len(findings) == len(self.findings):
            # As many as before (a finding's message changed): only those options change,
            # the rest keep their laid-out lines, and the list keeps its highlight and scroll.
            for position, (was, now) in enumerate(zip(self.findings, findings, strict=True)):
                if was != now:
                    self.replace_option_prompt_at_index(position, _prompt(now, palette))
            self.findings = findings
            return
        highlighted = self.highlighted
        # A finding still listed keeps its option, whose prompt is already laid out.
        reusable: dict[Finding, Option] = {}
        if palette is self._shown_palette:
            reusable = dict(zip(self.findings, self.options, strict=True))
        self.findings = findings
        self._shown_palette = palette
        # In one step: clearing first would empty the list for a moment, hiding and showing
        # its scroll bar, and each of those lays the screen out again.
        self.set_options([reusable.pop(f, None) or _option(f, palette) for f in findings])
        if findings:
            self.highlighted = min(highlighted or 0, len(findings) - 1)

    def restyle(self) -> None:
        self.show(self.findings)  # a new palette: every option is drawn again

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(self.FindingChosen(self.findings[event.option_index]))


def _prompt(finding: Finding, palette: Palette) -> Text:
    return Text.assemble(
        (SYMBOLS[finding.severity] + " ", palette[finding.severity]), literal(finding.message)
    )


def _option(finding: Finding, palette: Palette) -> Option:
    return Option(_prompt(finding, palette))
