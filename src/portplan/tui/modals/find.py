"""Find a node by port number or part of a name; enter jumps to the highlighted match."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from portplan.model import NodeRef
from portplan.tui.keymap import FIND_KEYS, bindings
from portplan.tui.labels import literal, plain
from portplan.tui.modals.form import FieldInput
from portplan.tui.modals.frame import Dialog

Search = Callable[[str], list[tuple[NodeRef, str]]]


class FindDialog(Dialog[NodeRef | None]):
    KEYS = FIND_KEYS
    BINDINGS: ClassVar[list[BindingType]] = bindings(FIND_KEYS)
    HELP = (
        "Type a port number (16500) or part of a name (redis); the matches update as you "
        "type. ↑ and ↓ choose one, enter highlights it in the tree."
    )
    title_text = "Find a port or a name"

    def __init__(self, search: Search) -> None:
        super().__init__()
        self.search = search
        self.matches: list[NodeRef] = []

    def compose_head(self) -> ComposeResult:
        yield Label(plain(self.title_text), classes="dialog-title")
        yield FieldInput(placeholder="16500, redis, api…", id="query", compact=True)

    def compose_body(self) -> ComposeResult:
        yield OptionList(id="matches")

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

    def action_jump(self) -> None:
        highlighted = self.query_one("#matches", OptionList).highlighted
        if self.matches and highlighted is not None:
            self.dismiss(self.matches[highlighted])

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.matches[event.option_index])

    def action_cancel(self) -> None:
        self.dismiss(None)
