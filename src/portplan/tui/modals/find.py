"""Find a node by port number or part of a name; enter jumps to the highlighted match."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from portplan.model import NodeRef
from portplan.tui.labels import literal

Search = Callable[[str], list[tuple[NodeRef, str]]]


class FindDialog(ModalScreen[NodeRef | None]):
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("down", "cursor(1)", "Next match", show=False),
        Binding("up", "cursor(-1)", "Previous match", show=False),
    ]

    def __init__(self, search: Search) -> None:
        super().__init__()
        self.search = search
        self.matches: list[NodeRef] = []

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Find a port or a name", classes="dialog-title")
            yield Input(placeholder="16500, redis, api…", id="query")
            yield OptionList(id="matches")
            yield Label("enter jumps to the highlighted match · esc closes", classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(Input).cursor_blink = getattr(self.app, "cursor_blink", True)

    @on(Input.Changed)
    def _query_changed(self, event: Input.Changed) -> None:
        found = self.search(event.value)
        self.matches = [ref for ref, _ in found]
        matches = self.query_one("#matches", OptionList)
        matches.clear_options()
        matches.add_options(Option(Text(literal(line))) for _, line in found)
        if found:
            matches.highlighted = 0

    def action_cursor(self, step: int) -> None:
        matches = self.query_one("#matches", OptionList)
        if self.matches:
            current = matches.highlighted or 0
            matches.highlighted = max(0, min(len(self.matches) - 1, current + step))

    @on(Input.Submitted)
    def _submitted(self) -> None:
        highlighted = self.query_one("#matches", OptionList).highlighted
        if self.matches and highlighted is not None:
            self.dismiss(self.matches[highlighted])

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.matches[event.option_index])

    def action_cancel(self) -> None:
        self.dismiss(None)
