"""While the user does nothing, the planner makes its recovery copy's text ahead, a piece at a
time, so that the first copy after an edit does not make the whole plan's text at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from portplan.session import Session
from tests.tui_helpers import SIZE, make_app, planner_shown, run, wait_seconds


def test_the_text_is_made_ahead_while_quiet_one_piece_per_turn(
    reference_plan_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers: list[bool] = []
    real = Session.prepare_text

    def recorded(session: Session) -> bool:
        answers.append(real(session))
        return answers[-1]

    monkeypatch.setattr(Session, "prepare_text", recorded)

    async def body() -> None:
        app = make_app(reference_plan_path)
        async with app.run_test(size=SIZE) as pilot:
            screen = await planner_shown(pilot)
            await wait_seconds(pilot, lambda: answers and not answers[-1], "the text made")
            projects = len(screen.session.plan.projects)
            assert answers == [True] * projects + [False]
            # Done: a key and a quiet spell later, one look finds nothing more to make.
            await pilot.press("down")
            await wait_seconds(pilot, lambda: len(answers) > projects + 1, "asked again")
            await pilot.pause(0.2)
            assert answers[projects + 1 :] == [False]

    run(body)
