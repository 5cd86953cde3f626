"""The recovery copy is written from another thread: it must never hold a half-made edit."""

from __future__ import annotations

from pathlib import Path

import pytest

import portplan.session as session_module
from portplan.edits import MoveService, ReleaseService
from portplan.model import Plan, ServiceRef
from portplan.session import Session
from portplan.store import dumps, loads

LOKI = ServiceRef("NEURECTOMY", "Observability", "Loki")


def test_text_at_rest_is_the_plan(reference_plan_path: Path) -> None:
    session = Session.open(reference_plan_path)
    session.apply(MoveService(LOKI, 16995))
    text = session.consistent_text()
    assert text is not None and loads(text) == session.plan


def test_an_edit_during_the_writing_drops_the_text(
    reference_plan_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = Session.open(reference_plan_path)

    def dumps_while_someone_edits(plan: Plan) -> str:
        half = dumps(plan)
        session.apply(ReleaseService(LOKI))  # the screen's thread, mid-way through
        return half

    monkeypatch.setattr(session_module, "dumps", dumps_while_someone_edits)
    assert session.consistent_text() is None


def test_a_preview_in_progress_is_never_written(
    reference_plan_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = Session.open(reference_plan_path)
    seen: list[str | None] = []
    real_apply = MoveService.apply

    def apply_and_read(edit: MoveService, plan: Plan) -> None:
        real_apply(edit, plan)
        seen.append(session.consistent_text())  # another thread reads while previewing

    monkeypatch.setattr(MoveService, "apply", apply_and_read)
    session.preview(MoveService(LOKI, 16500), 16500, moving=str(LOKI))
    assert seen and all(text is None for text in seen)
    assert session.consistent_text() is not None
