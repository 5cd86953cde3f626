"""One apply, worked out in full before any file is touched.

Scan the folders against the plan (keeping the texts the scan read), decide the moves, turn
them into digit edits, leave out files that may not be written, build every new text, and
read the new texts again (`portplan.apply.verify`). The result says what would change, what
needs a person, and — when anything is wrong — why nothing may be written.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from portplan.apply.decide import Move, Pending, decide
from portplan.apply.files import ApplyRefused, current_bytes, outside, read_only
from portplan.apply.textedits import DigitEdit, FileEdit, digit_edits, new_text
from portplan.apply.verify import mismatches
from portplan.environment import DEFAULT_ENVIRONMENT, EnvironmentLike
from portplan.model import Plan
from portplan.scan import FileNote, FolderReport, Target, scan
from portplan.scan.context import FolderContext
from portplan.scan.scanner import read_folder


@dataclass(slots=True)
class Preparation:
    files: list[FileEdit] = field(default_factory=list)
    moves: list[Move] = field(default_factory=list)
    pending: list[Pending] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # "file: why it is left alone"
    notes: list[FileNote] = field(default_factory=list)  # files the scan could not read

    @property
    def ports_changed(self) -> int:
        return sum(len(file.edits) for file in self.files)


class _Reader:
    """Reads each folder as the scan does, keeping its context (and so the texts it read)."""

    def __init__(self) -> None:
        self.contexts: list[FolderContext] = []

    def __call__(self, target: Target) -> FolderReport:
        context = FolderContext(target.folder, target.label)
        self.contexts.append(context)
        return read_folder(target, context)

    def text_and_label(self, path: Path) -> tuple[str, str]:
        for context in self.contexts:
            text, _ = context.text(path)
            if text is not None and context.contains(path):
                return text, context.label_of(path)
        text, _ = self.contexts[0].text(path)
        return text or "", os.path.normpath(path)


def prepare(
    plan: Plan,
    targets: Sequence[Target],
    old: Plan | None = None,
    ephemeral: EnvironmentLike = DEFAULT_ENVIRONMENT,
) -> Preparation:
    """What an apply would do; ApplyRefused when no file may be written (and why)."""
    reader = _Reader()
    report = scan(plan, targets, ephemeral, reader)
    decisions = decide(report, plan, old)
    edits, pending = digit_edits(decisions.moves)
    result = Preparation(moves=decisions.moves, pending=decisions.pending + pending)
    result.notes = [note for note in report.notes if note.level == "warning"]
    by_file: dict[Path, list[DigitEdit]] = defaultdict(list)
    for edit in edits:
        by_file[edit.path].append(edit)
    folders = [target.folder for target in targets]
    for path in sorted(by_file):
        text, label = reader.text_and_label(path)
        if outside(path, folders):
            result.skipped.append(f"{label}: outside the folders being applied; not changed")
        elif read_only(path):
            result.skipped.append(f"{label}: read-only; not changed")
        else:
            result.files.append(_file_edit(path, label, text, by_file[path]))
    made = {(e.path, e.start, e.end): e.new for file in result.files for e in file.edits}
    texts = {file.path: file.new for file in result.files}
    if problems := mismatches(report.folders, texts, made):
        raise ApplyRefused(
            "nothing written: the edited files would not read back as intended: "
            + "; ".join(problems)
        )
    return result


def _file_edit(path: Path, label: str, text: str, edits: list[DigitEdit]) -> FileEdit:
    raw = current_bytes(path)
    if raw is None or _decoded(raw) != text:
        raise ApplyRefused(f"{label}: changed on disk since it was read; run apply again")
    try:
        changed = new_text(text, edits)
    except ValueError as error:
        raise ApplyRefused(f"{label}: {error}; nothing written") from None
    return FileEdit(path, label, raw, text, changed, edits)


def _decoded(raw: bytes) -> str | None:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
