"""The planner's settings between runs (the theme) in `settings.toml` in the user's config
folder, found with platformdirs: ~/.config/portplan on Linux (or $XDG_CONFIG_HOME/portplan),
~/Library/Application Support/portplan on macOS, %APPDATA%\\portplan on Windows.

Settings are a convenience, so a settings file that cannot be used never stops the planner:
it is reported in one sentence (file, line, what) and ignored, and stays as it is until the
user changes a setting, which writes the file afresh (atomically, like a plan).
"""

from __future__ import annotations

from pathlib import Path

import platformdirs

from portplan.errors import PlanError
from portplan.records import record
from portplan.store import read_utf8
from portplan.tomlread import loads as parse_toml

IGNORED = "ignored; the planner starts with its default theme"


@record
class Settings:
    theme: str | None = None


def settings_path() -> Path:
    return platformdirs.user_config_path("portplan", appauthor=False) / "settings.toml"


def load_settings(path: Path, shown: str) -> tuple[Settings, str | None]:
    """The settings in `path` (the defaults when it does not exist) and, when the file
    cannot be used, the sentence that says why (`shown` names the file in it)."""
    if not path.exists() and not path.is_symlink():
        return Settings(), None
    from tomllib import TOMLDecodeError  # the planner's start-up loads it only when needed

    try:
        data = parse_toml(read_utf8(path, "settings file"))
    except PlanError as error:
        return Settings(), f"{shown}: {error.problems[0].message} — {IGNORED}"
    except TOMLDecodeError as error:
        return Settings(), f"{shown}: invalid TOML: {error} — {IGNORED}"
    theme = data.get("theme")
    if theme is not None and not isinstance(theme, str):
        return Settings(), f"{shown}: theme must be a theme's name in quotes — {IGNORED}"
    return Settings(theme=theme), None


def save_settings(path: Path, shown: str, settings: Settings) -> str | None:
    """Write `settings`, or say in one sentence why they could not be written."""
    import tomli_w

    from portplan.safe_write import write_text_atomic

    data = {} if settings.theme is None else {"theme": settings.theme}
    try:
        write_text_atomic(path, tomli_w.dumps(data))
    except OSError as error:
        return f"{shown}: cannot be written ({error.strerror}); the theme is not remembered"
    return None
