"""Which rows of the port map draw differently after its model or its cursor changed.

Textual keeps each drawn line of a widget until the widget is refreshed; a refresh of the
whole widget drops them all, and the next frame draws every row of the map again (about
20 ms at 120 columns on a 1,000-port project, in an edit's 50 ms budget). After an edit or a
cursor step only a few cells change, so the map refreshes only the rows named here.
"""

from __future__ import annotations

from portplan.portmap import PortMapModel


def changed_cells(old: PortMapModel, new: PortMapModel) -> set[int] | None:
    """The cells (offsets into the range) drawn differently in `new` than in `old`; None
    when the whole grid may differ (another range or another highlighted tier)."""
    if old.ports != new.ports or old.home != new.home:
        return None
    cells = {
        i for i, (was, now) in enumerate(zip(old.states, new.states, strict=True)) if was != now
    }
    start = new.ports.start
    # A cell's look also follows its hazard's kind and whether a probe saw it in use.
    was_kinds, now_kinds = old.hazard_kinds, new.hazard_kinds
    cells.update(
        port - start
        for port in was_kinds.keys() | now_kinds.keys()
        if was_kinds.get(port) != now_kinds.get(port)
    )
    cells.update(port - start for port in old.listening.keys() ^ new.listening.keys())
    return cells


def rows_of(cells: set[int], per_row: int) -> set[int]:
    """The grid rows (from the range's first) holding `cells`."""
    return {cell // per_row for cell in cells}
