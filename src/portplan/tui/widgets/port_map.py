"""Every port of the highlighted project as one cell of a grid, with a cell cursor.

The screen hands in a `PortMapModel` (built in the domain from the plan and its findings)
and handles the messages this widget posts; the map itself decides nothing. Lines are drawn
on demand with `render_line`, so only the visible rows cost anything.
"""

from __future__ import annotations

from typing import ClassVar, Self

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events, on
from textual.binding import Binding, BindingType
from textual.geometry import Offset, Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from portplan.model import ServiceRef
from portplan.portmap import CELL_STATES, PortMapModel
from portplan.tui.keymap import MAP_KEYS, bindings
from portplan.tui.labels import literal
from portplan.tui.widgets.map_legend import MARKS, legend_lines
from portplan.tui.widgets.map_repaint import changed_cells, rows_of
from portplan.tui.widgets.themed import text_style

# Cells per row, widest first: 50 makes a 1,000-port project 20 rows with round labels.
ROW_WIDTHS = (100, 50, 40, 25, 20, 10, 5)
LABEL_WIDTH = 6
# The cursor's port and owner go in the bottom border; under the grid is only the legend.
FOOTER_LINES = 0


class PortMap(Widget, can_focus=True):
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        *(f"portmap--{state}" for state in CELL_STATES),
        "portmap--hazard-info",
        "portmap--home",
        "portmap--in-use",
        "portmap--cursor",
        "portmap--label",
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "step(-1)", "Left", show=False),
        Binding("right", "step(1)", "Right", show=False),
        Binding("up", "step_row(-1)", "Up", show=False),
        Binding("down", "step_row(1)", "Down", show=False),
        Binding("pageup", "step_row(-10)", "Page up", show=False),
        Binding("pagedown", "step_row(10)", "Page down", show=False),
        Binding("home", "jump(0)", "First port", show=False),
        Binding("end", "jump(-1)", "Last port", show=False),
        *bindings(MAP_KEYS),
    ]

    # watch_cursor draws again only the rows the cursor left and entered.
    cursor: reactive[int] = reactive(0, layout=False, repaint=False)

    class CellChosen(Message):
        """Enter on a cell: reserve it when free, show its owner when used."""

        def __init__(self, port: int, owners: tuple[ServiceRef, ...]) -> None:
            super().__init__()
            self.port = port
            self.owners = owners

    class CursorMoved(Message):
        def __init__(self, port: int) -> None:
            super().__init__()
            self.port = port

    class MoveHere(Message):
        """m: move the service highlighted in the tree to the cursor's port."""

        def __init__(self, port: int) -> None:
            super().__init__()
            self.port = port

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.model: PortMapModel | None = None
        self._top = 0
        # Styles and legend lines by theme (and width): every drawn line asks for them.
        self._styles: tuple[str, dict[str, Style]] | None = None
        self._legends: dict[tuple[str, int, bool, tuple[str, ...]], list[Text]] = {}
        self._borders_only = False  # while _set_borders sets the border's texts

    # --- data ---------------------------------------------------------------------------

    def show(self, model: PortMapModel | None, *, cursor_port: int | None = None) -> None:
        """Draw `model`; keep the cursor on its port when the range is the same."""
        previous = self.model
        self.model = model
        if model is None:
            self.border_title = "Ports"
            self.border_subtitle = ""
            self.refresh(layout=True)
            return
        port: int | None = cursor_port
        if port is None and previous is not None and previous.ports == model.ports:
            port = previous.ports.start + self.cursor
        if cursor_port is None and model.home is not None and port not in model.home:
            port = None  # a newly highlighted tier: start on its first port
        if port is None or port not in model.ports:
            port = model.home.start if model.home is not None else model.ports.start
        if model is previous and port - model.ports.start == self.cursor:
            return  # the same cells, the same cursor: nothing to draw again
        was_cursor, was_top = self.cursor, self._top
        self.set_reactive(PortMap.cursor, port - model.ports.start)
        home = f" · tier {literal(model.home_name)} {model.home}" if model.home_name else ""
        self._set_borders(Text(f"Ports · {literal(model.project)} {model.ports}{home}"))
        self._scroll_to_cursor()
        # The map's height follows its rows and its legend: the same range and legend items
        # need no new layout, only a repaint, and the same rows in view only of what changed.
        if (
            previous is None
            or previous.ports != model.ports
            or bool(previous.listening) != bool(model.listening)
            or previous.kinds_shown != model.kinds_shown
        ):
            self.refresh(layout=True)
        elif was_top != self._top or (cells := changed_cells(previous, model)) is None:
            self.refresh()
        else:
            self._refresh_cells(cells | {was_cursor, self.cursor})

    @property
    def cursor_port(self) -> int | None:
        return None if self.model is None else self.model.ports.start + self.cursor

    # --- geometry -----------------------------------------------------------------------

    def row_width(self) -> int:
        room = max(self.size.width - LABEL_WIDTH, 1)
        return next((width for width in ROW_WIDTHS if width <= room), ROW_WIDTHS[-1])

    def _rows(self) -> int:
        if self.model is None:
            return 0
        width = self.row_width()
        return (len(self.model.ports) + width - 1) // width

    def _visible_rows(self) -> int:
        return max(self.size.height - FOOTER_LINES - self._legend_lines(), 1)

    def _legend_lines(self) -> int:
        return len(self._legend())

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        if self.model is None:
            return 1
        cells = max(width - LABEL_WIDTH, 1)
        row = next((w for w in ROW_WIDTHS if w <= cells), ROW_WIDTHS[-1])
        rows = (len(self.model.ports) + row - 1) // row
        legend = len(self._legend(width))
        return rows + FOOTER_LINES + legend

    def _scroll_to_cursor(self) -> None:
        if self.model is None or self.size.height == 0:
            return
        row = self.cursor // self.row_width()
        visible = self._visible_rows()
        if row < self._top:
            self._top = row
        elif row >= self._top + visible:
            self._top = row - visible + 1
        self._top = max(0, min(self._top, max(self._rows() - visible, 0)))

    def on_resize(self) -> None:
        self._scroll_to_cursor()

    # --- keys ---------------------------------------------------------------------------

    def _move_to(self, cell: int) -> None:
        if self.model is None:
            return
        self.cursor = max(0, min(cell, len(self.model.ports) - 1))

    def watch_cursor(self, was: int, now: int) -> None:
        top = self._top
        self._scroll_to_cursor()
        self._set_borders()
        if self._top != top:
            self.refresh()  # scrolled: every row in view is another
        else:
            self._refresh_cells({was, now})
        if self.model is not None:
            self.post_message(self.CursorMoved(self.model.ports.start + self.cursor))

    def action_step(self, cells: int) -> None:
        self._move_to(self.cursor + cells)

    def action_step_row(self, rows: int) -> None:
        self._move_to(self.cursor + rows * self.row_width())

    def action_jump(self, cell: int) -> None:
        if self.model is not None:
            self._move_to(cell if cell >= 0 else len(self.model.ports) - 1)

    def on_click(self, event: events.Click) -> None:
        """A click puts the cursor on the cell under the mouse; a double-click is enter."""
        cell = self._cell_at(event.get_content_offset(self))
        if cell is None:
            return
        self.focus()
        self._move_to(cell)
        if event.chain >= 2:
            self.action_choose()

    def _cell_at(self, offset: Offset | None) -> int | None:
        if offset is None or self.model is None or offset.y >= self._visible_rows():
            return None
        column = offset.x - LABEL_WIDTH
        per_row = self.row_width()
        cell = (self._top + offset.y) * per_row + column
        if not 0 <= column < per_row or cell >= len(self.model.ports):
            return None
        return cell

    def action_move_here(self) -> None:
        port = self.cursor_port
        if port is not None:
            self.post_message(self.MoveHere(port))

    def action_choose(self) -> None:
        port = self.cursor_port
        if self.model is not None and port is not None:
            self.post_message(self.CellChosen(port, self.model.owners.get(port, ())))

    # --- drawing ------------------------------------------------------------------------

    @on(events.Mount)
    def _follow_the_theme(self) -> None:
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._restyle())

    def _restyle(self) -> None:
        self._styles = None
        self._legends.clear()
        self.border_subtitle = self._status()
        self.refresh()

    # --- drawing again only what changed (map_repaint) --------------------------------

    def _refresh_cells(self, cells: set[int]) -> None:
        """Draw again only the rows in view that hold `cells`."""
        top, visible, width = self._top, self._visible_rows(), self.size.width
        rows = rows_of(cells, self.row_width())
        self.refresh(*(Region(0, row - top, width, 1) for row in rows if 0 <= row - top < visible))

    def _set_borders(self, title: Text | None = None) -> None:
        """Set the border's title (if given) and the cursor's status under the grid, drawing
        again only the two border rows: Textual's setters refresh the whole widget."""
        self._borders_only = True
        try:
            if title is not None:
                self.border_title = title
            self.border_subtitle = self._status()
        finally:
            self._borders_only = False

    def refresh(
        self,
        *regions: Region,
        repaint: bool = True,
        layout: bool = False,
        recompose: bool = False,
    ) -> Self:
        if self._borders_only and not (regions or layout or recompose):
            # Regions are given inside the border and padding: the border rows lie outside.
            offset, outer = self.content_offset, self.outer_size
            regions = (
                Region(-offset.x, -offset.y, outer.width, 1),
                Region(-offset.x, outer.height - 1 - offset.y, outer.width, 1),
            )
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    def _style(self, name: str) -> Style:
        if not self.is_mounted:
            return text_style(self, f"portmap--{name}")
        theme = self.app.theme
        if self._styles is None or self._styles[0] != theme:
            self._styles = (theme, {})
        styles = self._styles[1]
        if (style := styles.get(name)) is None:
            style = styles[name] = text_style(self, f"portmap--{name}")
        return style

    def _legend(self, width: int | None = None) -> list[Text]:
        """The legend as lines no wider than the widget: whole items only, never a split one.
        Callers must not change the lines (they are kept for the next call)."""
        # "listening" only means something after a probe (key p): shown from then on.
        probed = self.model is not None and bool(self.model.listening)
        kinds = self.model.kinds_shown if self.model is not None else ()
        width = max(self.size.width if width is None else width, 1)
        key = (self.app.theme, width, probed, kinds)
        if self.is_mounted and (lines := self._legends.get(key)) is not None:
            return lines
        lines = legend_lines(width, probed, kinds, self._style, self._cell)
        if self.is_mounted:
            self._legends[key] = lines
        return lines

    def _mark(self, port: int) -> str:
        """What `port`'s cell shows: its state, or the kind of its hazard (a key of MARKS)."""
        assert self.model is not None
        state = self.model.state(port)
        return self.model.hazard_kinds.get(port, state) if state == "hazard" else state

    def _cell(self, mark: str) -> tuple[str, Style]:
        symbol, style = MARKS[mark]
        return symbol, self._style(style)

    def _status(self) -> Text:
        model, port = self.model, self.cursor_port
        if model is None or port is None:
            return Text("")
        parts: list[Text | tuple[str, Style] | str] = [
            (f"{port:>5} ", self._style("label") + Style(bold=True)),
            self._cell(self._mark(port)),
            " ",
        ]
        owners = model.owners.get(port, ())
        if owners:
            parts.append(literal(", ".join(str(owner) for owner in owners)))
            if port in model.listening:
                parts.append(f" · ◉ in use: {literal(model.listening[port])}")
        else:
            parts.append(literal(model.notes.get(port, "free")))
        return Text.assemble(*parts)

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        model = self.model
        if model is None:
            return Strip([Segment(" Highlight a project to see its ports.".ljust(width))])
        visible = self._visible_rows()
        if y < visible:
            return self._grid_line(self._top + y, width)
        below = y - visible
        lines = self._legend()
        if below < len(lines):
            text = lines[below].copy()
            text.truncate(width, pad=True)
            return Strip(text.render(self.app.console)).apply_style(self.rich_style).crop(0, width)
        return Strip([Segment(" " * width)])

    def _grid_line(self, row: int, width: int) -> Strip:
        model = self.model
        assert model is not None
        per_row = self.row_width()
        first = model.ports.start + row * per_row
        if first > model.ports.end:
            return Strip([Segment(" " * width)])
        base = self.rich_style
        home_style = self._style("home")
        cursor_style = self._style("cursor")
        in_use_style = self._style("in-use")
        listening = model.listening
        segments = [Segment(f"{first:>5} ", base + self._style("label"))]
        cursor_port = model.ports.start + self.cursor
        home = model.home
        # A row is a few runs of alike cells: each cell's style is looked up by what decides
        # it, and alike neighbours share one segment.
        combined: dict[tuple[str, bool, bool, bool], Style] = {}
        symbols: dict[str, str] = {}
        states, start, hazard_kinds = model.states, model.ports.start, model.hazard_kinds
        run: list[str] = []
        run_style: Style | None = None
        for port in range(first, min(first + per_row, model.ports.end + 1)):
            mark: str = states[port - start]  # as _mark, inline: it runs for every cell
            if mark == "hazard":
                mark = hazard_kinds.get(port, mark)
            key = (
                mark,
                home is not None and home.start <= port <= home.end,
                port in listening and mark != "listening",
                port == cursor_port,
            )
            style = combined.get(key)
            if style is None:
                symbols[mark], cell_style = self._cell(mark)
                style = base + cell_style
                if key[1]:
                    style += home_style
                if key[2]:
                    style += in_use_style  # a planned port the probe found in use
                if key[3]:
                    style += cursor_style
                combined[key] = style
            if style is not run_style:
                if run_style is not None:
                    segments.append(Segment("".join(run), run_style))
                run, run_style = [], style
            run.append(symbols[mark])
        if run_style is not None:
            segments.append(Segment("".join(run), run_style))
        used = LABEL_WIDTH + min(per_row, model.ports.end - first + 1)
        if used < width:
            segments.append(Segment(" " * (width - used), base))
        return Strip(segments).crop(0, width)
