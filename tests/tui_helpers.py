"""Shared pieces for driving the planner in tests."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path

from textual.pilot import Pilot

from portplan.hazards import DEFAULT_EPHEMERAL
from portplan.tui.app import PortplanApp, create_app

SIZE = (120, 36)
THEME = "textual-dark"


def make_app(path: Path) -> PortplanApp:
    """The app as the CLI builds it, with the machine's live facts pinned."""
    return create_app(path, ephemeral=DEFAULT_EPHEMERAL, theme=THEME, cursor_blink=False)


async def wait_for(pilot: Pilot[None], condition: Callable[[], bool], what: str) -> None:
    """Let the app run until `condition` holds; fail with `what` if it never does."""
    for _ in range(500):
        if condition():
            return
        await pilot.pause()
    raise AssertionError(f"timed out waiting for: {what}")


def run(body: Callable[[], Awaitable[None]]) -> None:
    asyncio.run(body())


async def type_text(pilot: Pilot[None], text: str) -> None:
    await pilot.press(*[{" ": "space"}.get(char, char) for char in text])


async def clear_input(pilot: Pilot[None]) -> None:
    await pilot.press("ctrl+a", "ctrl+k")
