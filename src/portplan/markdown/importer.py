"""The Markdown import format: a document, as text or a file, to a plan and its notes.

Registered in `portplan.importers`; every line the reader cannot place is reported at once,
as one `PlanError` naming each line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from portplan.errors import PlanError, Problem
from portplan.importers import ImportResult
from portplan.markdown.assemble import plan_data
from portplan.markdown.reader import Reader
from portplan.markdown.text import make_parser
from portplan.model import Plan
from portplan.store import read_utf8


def import_markdown(text: str, label: str = "<markdown>") -> ImportResult:
    """Parse a document; raise PlanError listing every line that cannot be placed."""
    reader = Reader(text.splitlines())
    reader.read(make_parser().parse(text))
    data, lines = plan_data(reader)
    if reader.problems:
        raise PlanError(label, sorted(reader.problems, key=lambda p: p.line or 0))
    try:
        plan = Plan.model_validate(data)
    except ValidationError as error:
        problems = [_problem(detail, lines) for detail in error.errors(include_url=False)]
        raise PlanError(label, problems) from None
    return ImportResult(plan, reader.notes)


def _problem(detail: Any, lines: dict[tuple[int | str, ...], int]) -> Problem:
    loc = tuple(detail["loc"])
    for size in range(len(loc), 0, -1):
        if loc[:size] in lines:
            return Problem(detail["msg"], line=lines[loc[:size]])
    return Problem(detail["msg"])


def read_markdown(path: Path) -> ImportResult:
    # utf-8-sig: editors on Windows often start a Markdown file with a byte-order mark.
    return import_markdown(read_utf8(path, "Markdown file", encoding="utf-8-sig"), str(path))
