"""The first screen makes the finding index once (half a second on 61,440 services), and a
reload from disk makes it again for the plan read."""

from __future__ import annotations

from pathlib import Path

import pytest

import portplan.tui.screens.planner as planner
from portplan.finding_index import FindingIndex
from tests.tui_helpers import SIZE, make_app, planner_shown, run


def test_the_finding_index_is_made_once_per_plan_shown(
    reference_plan_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[FindingIndex] = []

    def counted(*args: object) -> FindingIndex:
        made.append(FindingIndex(*args))  # type: ignore[arg-type]
        return made[-1]

    monkeypatch.setattr(planner, "FindingIndex", counted)

    async def body() -> None:
        app = make_app(reference_plan_path)
        async with app.run_test(size=SIZE) as pilot:
            screen = await planner_shown(pilot)
            await pilot.pause()
            assert len(made) == 1 and screen.index is made[0]
            screen.reload_from_disk()
            await pilot.pause()
            assert len(made) == 2 and screen.index is made[1]

    run(body)
