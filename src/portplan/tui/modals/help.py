"""F1: every key of the planner, from the same table as the bindings."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from portplan.tui.keymap import Key, display_keys

GUIDE = (
    "The tree shows projects, their tiers and services. ✗ marks an error, ⚠ a warning, "
    "ℹ a note; the details pane explains each one. Edits are checked as you type, "
    "and every edit can be undone."
)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,f1,q", "close", "Close")]

    def __init__(self, keys: tuple[Key, ...]) -> None:
        super().__init__()
        self.keys = keys

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog help"):
            yield Label("portplan — keys", classes="dialog-title")
            yield Static(Text(GUIDE), classes="dialog-intro")
            yield Static(self.key_table())
            yield Label("esc or F1 closes this help", classes="dialog-hint")

    def key_table(self) -> Table:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for key in self.keys:
            table.add_row(display_keys(key), key.help)
        for keys, text in (
            ("↑ ↓ ← →", "Move in the tree; → or enter opens a node"),
            ("map: enter", "On a free port: reserve it; on a used one: select its service"),
            ("map: m", "Move the service highlighted in the tree to the port under the cursor"),
            ("ctrl+p", "Command palette: every action by name"),
            ("esc", "Close a dialog without changing anything"),
        ):
            table.add_row(keys, text)
        return table

    def action_close(self) -> None:
        self.dismiss(None)
