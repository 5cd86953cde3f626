"""How the planner looks, beyond what a snapshot shows: the title names the file a save will
create, colours come from the theme, and the chosen theme is remembered."""

from __future__ import annotations

from pathlib import Path

import pytest

from portplan.session import Session
from portplan.tui.labels import file_title, shown_path
from portplan.tui.screens.planner import PlannerScreen
from tests.tui_helpers import make_app, run, wait_for


def test_a_plan_not_created_yet_is_titled_with_its_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # No plan in the folder: the planner opens data/ports.toml, which a save creates.
    monkeypatch.chdir(tmp_path)
    (tmp_path / "data").mkdir()

    async def body() -> None:
        app = make_app(Path("data/ports.toml"))
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "planner")
            assert app.sub_title == "data/ports.toml (new file)"
            await pilot.press("ctrl+s")
            await wait_for(pilot, lambda: (tmp_path / "data/ports.toml").exists(), "saved")
            await wait_for(pilot, lambda: app.sub_title == "ports.toml", "titled as saved")

    run(body)


def test_shown_paths_are_the_ones_a_user_would_type(tmp_path: Path) -> None:
    assert shown_path(Path("data/ports.toml")) == "data/ports.toml"
    assert shown_path(tmp_path / "data" / "ports.toml", cwd=tmp_path) == "data/ports.toml"
    assert shown_path(Path.home() / "plans" / "p.toml", cwd=tmp_path) == "~/plans/p.toml"
    assert shown_path(Path("/elsewhere/p.toml"), cwd=tmp_path) == "/elsewhere/p.toml"


def test_a_title_shows_a_hostile_file_name_literally(tmp_path: Path) -> None:
    session = Session.open(tmp_path / "evil\x1b[2J.toml")
    title = file_title(session)
    assert "\x1b" not in title
    assert title.startswith("/") and title.endswith("evil␛[2J.toml (new file)")
