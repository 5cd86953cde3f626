"""The check before anything is written: the edited texts, read again by the same scan, must
say exactly the intended ports, and nothing else may change (no use gained or lost, no new
problem in a file). The files are read from memory, never from the disk.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from portplan.apply.textedits import ports_after
from portplan.scan import FolderReport, PortUse
from portplan.scan.context import FolderContext
from portplan.scan.scanner import read_folder

_Key = tuple[object, ...]


def _key(use: PortUse, ports: tuple[int, ...]) -> _Key:
    # The context is left out: a Compose entry's context quotes the entry, digits and all.
    return (use.place, ports, use.protocol, use.role, use.source, use.bind, use.picks_one)


def mismatches(
    folders: Sequence[FolderReport],
    texts: dict[Path, str],
    made: dict[tuple[Path, int, int], str],
) -> list[str]:
    """Why the edited files do not read back as intended; empty when they do."""
    problems: list[str] = []
    for folder in folders:
        context = FolderContext(folder.target.folder, folder.target.label)
        context.with_texts(texts)
        again = read_folder(folder.target, context)
        expected = Counter(_key(use, ports_after(use, made)) for use in folder.uses)
        found = Counter(_key(use, use.ports) for use in again.uses)
        for key in sorted((expected - found) | (found - expected), key=str):
            place, ports = key[0], key[1]
            what = "is missing" if expected[key] > found[key] else "appears"
            problems.append(f"{place}: port {_ports(ports)} {what} after the edit")
        notes_before = Counter(str(note) for note in folder.notes)
        notes_after = Counter(str(note) for note in again.notes)
        problems.extend(f"{note} (new after the edit)" for note in notes_after - notes_before)
    return problems


def _ports(ports: object) -> str:
    if isinstance(ports, tuple) and len(ports) > 1:
        return f"{ports[0]}-{ports[-1]}"
    return str(ports[0]) if isinstance(ports, tuple) and ports else str(ports)
