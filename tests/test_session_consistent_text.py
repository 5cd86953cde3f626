"""The recovery copy is written from another thread: it must never hold a half-made edit."""

from __future__ import annotations

from pathlib import Path

import pytest
import tomli_w
from hypothesis import given
from hypothesis import strategies as st

from portplan.edits import EditError, MoveService, ReleaseService
from portplan.model import Plan, ServiceRef
from portplan.session import Session
from portplan.store import dumps, loads
from tests.test_incremental import edits_for
from tests.test_properties import SMALL_PLANS

LOKI = ServiceRef("NEURECTOMY", "Observability", "Loki")


def test_text_at_rest_is_the_plan(reference_plan_path: Path) -> None:
    session = Session.open(reference_plan_path)
    session.apply(MoveService(LOKI, 16995))
    text = session.consistent_text()
    assert text is not None and loads(text) == session.plan


def test_an_edit_during_the_writing_drops_the_text_and_keeps_no_block(
    reference_plan_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = Session.open(reference_plan_path)
    real_dumps = tomli_w.dumps
    calls: list[object] = []

    def dumps_while_someone_edits(document: dict[str, object]) -> str:
        text = real_dumps(document)
        calls.append(document)
        if len(calls) == 2:  # the head and the first project written: the screen's thread edits
            session.apply(ReleaseService(LOKI))
        return text

    monkeypatch.setattr(tomli_w, "dumps", dumps_while_someone_edits)
    assert session.consistent_text() is None
    monkeypatch.setattr(tomli_w, "dumps", real_dumps)
    assert session.consistent_text() == dumps(session.plan)  # nothing of the torn text kept


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


def test_the_kept_text_of_the_reference_plan_is_dumps(reference_plan_path: Path) -> None:
    session = Session.open(reference_plan_path)  # a head with reserved ranges and accepts
    for _ in range(2):  # made, then from the kept blocks
        assert session.consistent_text() == dumps(session.plan)
    session.apply(MoveService(LOKI, 16995))
    assert session.consistent_text() == dumps(session.plan)


@given(SMALL_PLANS, st.data())
def test_the_kept_text_is_dumps_after_every_edit_preview_undo_and_redo(
    plan: Plan, data: st.DataObject
) -> None:
    """Blocks are kept per project and made again for the projects an edit names; whatever
    the edits (a tier's range changes everything), the text is the canonical one."""
    session = Session(plan, Path("plan.toml"), exists=False)
    assert session.consistent_text() == dumps(session.plan)
    for _ in range(data.draw(st.integers(1, 8))):
        step = data.draw(st.sampled_from(["edit", "edit", "preview", "undo", "redo"]))
        if step == "undo":
            session.undo()
        elif step == "redo":
            session.redo()
        else:
            edit = data.draw(edits_for(session.plan))
            if edit is None:
                continue
            try:
                session.preview(edit) if step == "preview" else session.apply(edit)
            except EditError:
                continue
        for _ in range(data.draw(st.integers(0, 3))):  # blocks made while the user is quiet
            session.prepare_text()
        assert session.consistent_text() == dumps(session.plan)


def test_blocks_made_while_quiet_leave_the_copy_only_the_head_to_make(
    reference_plan_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = Session.open(reference_plan_path)
    projects = len(session.plan.projects)
    made = 0
    while session.prepare_text():
        made += 1
        assert made <= projects, "prepare_text never says it is done"
    assert made == projects
    real_dumps = tomli_w.dumps
    documents: list[dict[str, object]] = []

    def counted(document: dict[str, object]) -> str:
        documents.append(document)
        return real_dumps(document)

    expected = dumps(session.plan)
    monkeypatch.setattr(tomli_w, "dumps", counted)
    assert session.consistent_text() == expected
    assert [list(document) for document in documents] == [
        [key for key in documents[0] if key != "projects"]
    ]  # the head alone
    session.apply(MoveService(LOKI, 16995))
    documents.clear()
    assert session.prepare_text() and not session.prepare_text()  # the moved one's project
    assert [document.get("projects", [{}])[0].get("name") for document in documents] == [
        LOKI.project
    ]
