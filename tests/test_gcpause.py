"""The collector switches: paused inside a block, or until a later moment (the planner's frame
after an edit); a caller's own pause is respected; no other module switches it."""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from portplan.gcpause import collector_paused

SRC = Path(__file__).resolve().parents[1] / "src" / "portplan"


@pytest.fixture(autouse=True)
def collector_enabled() -> Iterator[None]:
    gc.enable()
    yield
    gc.enable()


def test_paused_inside_the_block_only() -> None:
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner block does not end the outer pause
    assert gc.isenabled()


def test_a_callers_own_pause_is_kept() -> None:
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled()
    resumes: list[Callable[[], None]] = []
    with collector_paused(resume_with=resumes.append):
        pass
    assert resumes == []  # nothing to resume: the caller enables it when it wants to
    assert not gc.isenabled()


def test_resume_with_keeps_the_pause_until_called() -> None:
    resumes: list[Callable[[], None]] = []
    with collector_paused(resume_with=resumes.append):
        assert not gc.isenabled()
        with collector_paused(resume_with=resumes.append):
            pass
    assert not gc.isenabled()  # still paused after the block: until the frame is drawn
    assert len(resumes) == 1  # the nested pause asked for nothing more
    resumes[0]()
    assert gc.isenabled()


def test_resume_with_is_asked_even_when_the_block_fails() -> None:
    resumes: list[Callable[[], None]] = []
    with pytest.raises(ValueError), collector_paused(resume_with=resumes.append):
        raise ValueError("edit refused")
    resumes[0]()
    assert gc.isenabled()


def test_no_module_but_gcpause_switches_the_collector() -> None:
    switch = re.compile(r"^\s*(import gc\b|from gc import)", re.MULTILINE)
    offenders = [
        str(path.relative_to(SRC))
        for path in SRC.rglob("*.py")
        if path.name != "gcpause.py" and switch.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
