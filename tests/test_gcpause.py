"""The collector switches: paused inside a block, or until a later moment (the planner's frame
after an edit); full passes moved to quiet moments; a caller's own pause is respected; no
other module switches it."""

from __future__ import annotations

import gc
import re
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from portplan.gcpause import (
    FREEZE_FROM,
    FULL_PASS_AFTER,
    SKIPPED_RETRIES,
    QuietPasses,
    collector_paused,
)
from tests.tui_helpers import SIZE, make_app, owe_a_full_pass, run, wait_seconds

SRC = Path(__file__).resolve().parents[1] / "src" / "portplan"


@pytest.fixture(autouse=True)
def collector_enabled() -> Iterator[None]:
    thresholds = gc.get_threshold()
    gc.enable()
    yield
    gc.enable()
    gc.set_threshold(*thresholds)
    gc.unfreeze()  # a test that froze objects gives them back to the collector


@pytest.fixture
def full_passes() -> Iterator[list[int]]:
    """One entry per full pass of the collector while the test runs."""
    passes: list[int] = []

    def seen(phase: str, info: dict[str, int]) -> None:
        if phase == "stop" and info["generation"] == 2:
            passes.append(info["collected"])

    gc.callbacks.append(seen)
    yield passes
    gc.callbacks.remove(seen)


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


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


def test_full_passes_wait_while_open_and_the_rule_comes_back_after() -> None:
    gc.set_threshold(700, 10, 10)
    quiet = QuietPasses()
    quiet.start(services=10)
    assert gc.get_threshold() == (700, 10, FULL_PASS_AFTER)
    quiet.stop()
    assert gc.get_threshold() == (700, 10, 10)


def test_a_pass_only_once_the_user_is_quiet(full_passes: list[int]) -> None:
    clock = Clock()
    quiet = QuietPasses(quiet=0.1, clock=clock)
    quiet.start(services=10)
    owe_a_full_pass()
    quiet.input_seen()
    clock.now += 0.04
    assert quiet.collect_if_quiet() == pytest.approx(0.06)
    assert full_passes == []
    clock.now += 0.05
    quiet.input_seen()  # another key: the quiet spell starts again
    clock.now += 0.09
    assert quiet.collect_if_quiet() == pytest.approx(0.01)
    clock.now += 0.01
    assert quiet.collect_if_quiet() is None
    assert len(full_passes) == 1
    assert quiet.collect_if_quiet() is None  # nothing owed since: no second pass
    assert len(full_passes) == 1


def test_no_pass_inside_an_edits_own_pause(full_passes: list[int]) -> None:
    clock = Clock()
    quiet = QuietPasses(quiet=0.1, clock=clock)
    quiet.start(services=10)
    owe_a_full_pass()
    clock.now += 1
    with collector_paused():
        assert quiet.collect_if_quiet() == 0.1  # asked again later
    assert full_passes == []
    assert quiet.collect_if_quiet() is None
    assert len(full_passes) == 1


def test_a_pass_another_thread_kept_from_running_is_asked_again(full_passes: list[int]) -> None:
    clock = Clock()
    quiet = QuietPasses(quiet=0.1, clock=clock)
    quiet.start(services=10)
    owe_a_full_pass()
    clock.now += 1
    inside, let_go = threading.Event(), threading.Event()

    def hold(phase: str, info: dict[str, int]) -> None:
        # The other thread's pass waits here, as a finaliser can, with the GIL let go.
        if phase == "start" and threading.current_thread() is other:
            inside.set()
            let_go.wait(5)

    other = threading.Thread(target=gc.collect, args=(0,))
    gc.callbacks.append(hold)
    try:
        other.start()
        assert inside.wait(5)
        # Python skipped the pass: asked again later, a few times, and then the caller goes
        # on (its work after a pass must not wait for ever on a collector that stays busy).
        assert [quiet.collect_if_quiet() for _ in range(SKIPPED_RETRIES + 1)] == [0.1] * (
            SKIPPED_RETRIES
        ) + [None]
        assert full_passes == []
    finally:
        let_go.set()
        other.join()
        gc.callbacks.remove(hold)
    assert quiet.collect_if_quiet() is None
    assert len(full_passes) == 1


@pytest.mark.parametrize("services", [FREEZE_FROM - 1, FREEZE_FROM])
def test_a_large_plans_first_quiet_pass_freezes_what_it_leaves(
    services: int, full_passes: list[int]
) -> None:
    clock = Clock()
    quiet = QuietPasses(quiet=0.1, clock=clock)
    quiet.start(services=services)
    clock.now += 1
    kept = [[index] for index in range(1000)]  # the first screen's objects
    gc.collect()
    full_passes.clear()  # from here on, no full pass is owed
    frozen = gc.get_freeze_count()
    quiet.collect_if_quiet()
    if services < FREEZE_FROM:
        assert full_passes == []  # nothing owed, nothing to settle
        assert gc.get_freeze_count() == frozen
    else:
        assert len(full_passes) == 1
        assert gc.get_freeze_count() >= frozen + len(kept)
        owe_a_full_pass()
        quiet.collect_if_quiet()
        assert gc.get_freeze_count() >= frozen + len(kept)
        assert len(full_passes) == 2  # later passes do not freeze again: see gcpause


def test_the_planner_makes_its_full_passes_after_keys(
    reference_plan_path: Path, full_passes: list[int]
) -> None:
    async def body() -> None:
        gc.set_threshold(700, 10, 10)
        app = make_app(reference_plan_path)
        async with app.run_test(size=SIZE) as pilot:
            assert gc.get_threshold() == (700, 10, FULL_PASS_AFTER)
            await pilot.pause(0.3)
            owe_a_full_pass()
            full_passes.clear()
            await pilot.press("down")
            await wait_seconds(pilot, lambda: full_passes, "a full pass after the key")
        assert gc.get_threshold() == (700, 10, 10)

    run(body)


def test_a_large_plan_is_left_out_of_passes_as_soon_as_it_is_read(
    reference_plan_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import portplan.gcpause as gcpause
    from portplan.tui.app import create_app

    monkeypatch.setattr(gcpause, "FREEZE_FROM", 1)  # the reference plan counts as large
    from portplan.session import Session

    enabled: list[bool] = []
    real_open = Session.open

    def spied_open(path: Path, ephemeral: object) -> Session:
        enabled.append(gc.isenabled())
        return real_open(path, ephemeral)  # type: ignore[arg-type]

    monkeypatch.setattr(Session, "open", spied_open)
    frozen = gc.get_freeze_count()
    app = create_app(reference_plan_path, theme="textual-dark")
    assert enabled == [False]  # no pass, young or full, walks the plan while it is read
    assert gc.isenabled()
    services = sum(1 for _ in app.session.plan.services())
    assert gc.get_freeze_count() >= frozen + services


def test_before_pass_runs_just_before_each_quiet_pass(full_passes: list[int]) -> None:
    clock = Clock()
    calls: list[int] = []
    quiet = QuietPasses(quiet=0.1, clock=clock, before_pass=lambda: calls.append(len(full_passes)))
    quiet.start(services=10)
    clock.now += 1
    gc.collect()
    full_passes.clear()
    quiet.collect_if_quiet()
    assert calls == []  # no pass owed, nothing to let go of
    owe_a_full_pass()
    quiet.collect_if_quiet()
    assert calls == [0] and len(full_passes) == 1  # called before the pass it precedes
