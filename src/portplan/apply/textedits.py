"""From moves to new file texts: the digits the scan located, replaced, and nothing else.

Each number of a use was located by the scan (`PortUse.spans`); a move replaces those
characters with the new number's digits. Two uses often share digits (a Compose entry
`${PG_PORT:-5432}:5432` and the `.env` line `PG_PORT=16432` it reads): the digits are changed
once, and when two moves would write different numbers there, neither is made.
"""

from __future__ import annotations

import codecs
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from portplan.apply.decide import Move, Pending
from portplan.scan import PortUse

CANNOT_EDIT = (
    "is not written digit for digit (an escape, a number not in plain digits, or a variable "
    "set outside the .env beside the file); change it by hand"
)


@dataclass(frozen=True, slots=True)
class DigitEdit:
    path: Path
    start: int
    end: int
    new: str


@dataclass(slots=True)
class FileEdit:
    """One file's change: its bytes and text as read, and its new text."""

    path: Path
    label: str
    raw: bytes
    old: str
    new: str
    edits: list[DigitEdit]

    @property
    def new_raw(self) -> bytes:
        bom = codecs.BOM_UTF8 if self.raw.startswith(codecs.BOM_UTF8) else b""
        return bom + self.new.encode("utf-8")


def digit_edits(moves: list[Move]) -> tuple[list[DigitEdit], list[Pending]]:
    """The edits the moves ask for, one per place; moves that cannot be made are pending."""
    wanted: dict[tuple[Path, int, int], dict[str, list[Move]]] = defaultdict(
        lambda: defaultdict(list)
    )
    pending: list[Pending] = []
    for move in moves:
        if not move.use.spans:
            pending.append(Pending(move.use, f"{move.why}, but the port {CANNOT_EDIT}"))
            continue
        mapping = dict(zip(move.use.ports, move.ports, strict=True))
        for span in move.use.spans:
            wanted[span.path, span.start, span.end][str(mapping[span.port])].append(move)
    edits: list[DigitEdit] = []
    refused: set[int] = set()
    for (path, start, end), choices in wanted.items():
        if len(choices) == 1:
            edits.append(DigitEdit(path, start, end, next(iter(choices))))
            continue
        numbers = " and ".join(sorted(choices))
        for move in (move for group in choices.values() for move in group):
            if id(move) not in refused:
                refused.add(id(move))
                pending.append(
                    Pending(move.use, f"{move.why}, but its digits would become {numbers}")
                )
    # A move is made whole or not at all: drop every edit of a refused move.
    refused_spans = {
        (span.path, span.start, span.end)
        for move in moves
        if id(move) in refused
        for span in move.use.spans
    }
    kept = [edit for edit in edits if (edit.path, edit.start, edit.end) not in refused_spans]
    return kept, pending


def new_text(text: str, edits: list[DigitEdit]) -> str:
    """`text` with the edits made, from the last to the first so that offsets hold."""
    out = text
    last = len(text) + 1
    for edit in sorted(edits, key=lambda edit: edit.start, reverse=True):
        if edit.end > last:
            raise ValueError("two edits overlap")
        old = text[edit.start : edit.end]
        if not (old.isascii() and old.isdigit() and edit.new.isdigit()):
            raise ValueError("an edit would change more than port digits")
        out = out[: edit.start] + edit.new + out[edit.end :]
        last = edit.start
    return out


def ports_after(use: PortUse, made: dict[tuple[Path, int, int], str]) -> tuple[int, ...]:
    """The ports the use will say once the edits `made` are in its file(s)."""
    if not use.spans:
        return use.ports
    numbers = [int(made.get((span.path, span.start, span.end), span.port)) for span in use.spans]
    if len(use.ports) == 1:
        return (numbers[0],) if len(set(numbers)) == 1 else use.ports
    low, high = numbers[0], numbers[-1]
    return tuple(range(low, high + 1))
