"""The planner remembers the theme chosen while it runs, in a settings file in the user's
config folder; a settings file that cannot be used is reported and ignored, never fatal."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from portplan.hazards import DEFAULT_EPHEMERAL
from portplan.tui.app import create_app
from portplan.tui.labels import shown_path
from portplan.tui.screens.planner import PlannerScreen
from portplan.tui.settings import settings_path
from tests.tui_helpers import SIZE, make_app, run, wait_for


@pytest.fixture
def config_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A config folder of the test's own: settings written here reach no other test."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return tmp_path / "config"


def _opened(plan: Path, choose: str | None = None) -> tuple[str, list[str]]:
    """Open the planner as the command line does; choose a theme; the theme it ended in and
    its notifications."""
    seen: list[str] = []

    async def body() -> None:
        app = create_app(plan, ephemeral=DEFAULT_EPHEMERAL, cursor_blink=False)
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "planner")
            await pilot.pause()
            seen.extend(str(n.message) for n in app._notifications)
            if choose is not None:
                app.theme = choose
                await wait_for(pilot, lambda: app.current_theme.name == choose, "theme")
                await pilot.pause()
                seen.extend(str(n.message) for n in app._notifications)
            seen.append(app.theme)

    run(body)
    return seen[-1], seen[:-1]


def test_the_chosen_theme_is_remembered_between_runs(
    reference_plan_path: Path, config_home: Path
) -> None:
    first, _ = _opened(reference_plan_path)
    assert first == "textual-dark"  # Textual's default until one is chosen
    assert not settings_path().exists()
    _opened(reference_plan_path, choose="textual-light")
    assert settings_path().is_relative_to(config_home)
    assert tomllib.loads(settings_path().read_text(encoding="utf-8")) == {"theme": "textual-light"}
    theme, notes = _opened(reference_plan_path)
    assert (theme, notes) == ("textual-light", [])


def test_a_fixed_theme_neither_reads_nor_writes_the_settings(
    reference_plan_path: Path, config_home: Path
) -> None:
    settings_path().parent.mkdir(parents=True)
    settings_path().write_text('theme = "textual-light"\n', encoding="utf-8")

    async def body() -> None:
        app = make_app(reference_plan_path)  # the tests' fixed theme
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, PlannerScreen), "planner")
            assert app.theme == "textual-dark"
            app.theme = "solarized-light"
            await wait_for(pilot, lambda: app.current_theme.name == "solarized-light", "theme")

    run(body)
    assert settings_path().read_text(encoding="utf-8") == 'theme = "textual-light"\n'


BROKEN_SETTINGS = {
    "invalid TOML": (b'theme = "textual-light\n', "invalid TOML"),
    "not a name": (b"theme = 3\n", "theme must be"),
    "no such theme": (b'theme = "[bold]neon\\u001b"\n', "there is no theme"),
    "not UTF-8": (b'theme = "\xff"\n', "UTF-8"),
}


@pytest.mark.parametrize("case", BROKEN_SETTINGS)
def test_a_broken_settings_file_is_reported_and_ignored(
    reference_plan_path: Path, config_home: Path, case: str
) -> None:
    content, words = BROKEN_SETTINGS[case]
    settings_path().parent.mkdir(parents=True)
    settings_path().write_bytes(content)
    theme, notes = _opened(reference_plan_path)
    assert theme == "textual-dark"
    assert len(notes) == 1 and words in notes[0]
    assert notes[0].startswith(shown_path(settings_path())) and "ignored" in notes[0]
    assert "\x1b" not in notes[0]
    assert settings_path().read_bytes() == content  # left for the user to mend


def test_a_settings_folder_that_cannot_be_written_is_reported(
    reference_plan_path: Path, config_home: Path
) -> None:
    config_home.mkdir()
    (config_home / "portplan").write_text("a file where the folder should be\n")
    theme, notes = _opened(reference_plan_path, choose="textual-light")
    assert theme == "textual-light"  # chosen for this run all the same
    assert any("cannot be written" in note for note in notes), notes
