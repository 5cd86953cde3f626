"""The port map's legend: what each mark means, folded into lines as wide as the map."""

from __future__ import annotations

from collections.abc import Callable

from rich.style import Style
from rich.text import Text

from portplan.portfacts import HAZARD_KINDS, KIND_BY_NAME
from portplan.portmap import CELL_STATES, CellState

# Every state has its own symbol, so the map reads the same without colour. A free port with
# a hazard ("hazard") is drawn with its hazard kind's symbol and legend entry (`HazardKind`):
# the generic one here is only a fallback.
SYMBOLS: dict[CellState, str] = {
    "free": "·",
    "used": "●",
    "error": "✗",
    "warning": "⚠",
    "reserved": "R",
    "hazard": "▓",
    "listening": "◉",
}
LEGEND_NAMES: dict[CellState, str] = {
    "free": "free",
    "used": "used",
    "error": "error",
    "warning": "warning",
    "reserved": "reserved",
    "hazard": "hazard",
    "listening": "listening, not planned",
}

# A hazard kind's cells take the colour of its severity: a warning, or a note (safe ports,
# tools' default ports).
HAZARD_STYLES = {"warning": "hazard", "info": "hazard-info"}
# What a cell can show, by its state or (a free port with a hazard) its hazard kind's name:
# its symbol and the name of its style.
MARKS: dict[str, tuple[str, str]] = {
    **{state: (SYMBOLS[state], state) for state in CELL_STATES},
    **{kind.kind: (kind.symbol, HAZARD_STYLES[kind.severity]) for kind in HAZARD_KINDS},
}


def legend_lines(
    width: int,
    probed: bool,
    kinds: tuple[str, ...],
    style: Callable[[str], Style],
    cell: Callable[[str], tuple[str, Style]],
) -> list[Text]:
    """Free, used and the rest, the tier's shade, then each hazard kind on the map (only
    those: at 80 columns every kind would take the grid's rows); whole items only, never a
    split one. `style` gives a named style of the map, `cell` a mark's symbol and style."""
    items = [
        Text.assemble((SYMBOLS[state], style(state)), f" {LEGEND_NAMES[state]}")
        for state in CELL_STATES
        if state != "hazard" and (state != "listening" or probed)
    ]
    items.append(Text.assemble((" ", style("home")), " tier"))
    for name in kinds:
        items.append(Text.assemble(cell(name), f" {KIND_BY_NAME[name].label}"))
    lines: list[Text] = [Text()]
    for item in items:
        line = lines[-1]
        if line.cell_len and line.cell_len + 1 + item.cell_len > width:
            lines.append(Text())
            line = lines[-1]
        if line.cell_len:
            line.append(" ")
        line.append_text(item)
    return lines
