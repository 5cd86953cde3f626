"""Shared pieces for driving the planner in tests."""

from __future__ import annotations

import asyncio
import gc
import os
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen

from portplan.edits import MoveService
from portplan.filestamp import FileStamp
from portplan.hazards import DEFAULT_EPHEMERAL
from portplan.model import ServiceRef
from portplan.recovery import copy_path, write_copy
from portplan.session import Session
from portplan.store import dumps
from portplan.tui.app import PortplanApp, create_app
from portplan.tui.screens.planner import PlannerScreen

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


async def planner_shown(pilot: Pilot[None]) -> PlannerScreen:
    """The planner screen, once the app shows it."""
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, PlannerScreen), "planner")
    screen = pilot.app.screen
    assert isinstance(screen, PlannerScreen)
    return screen


async def wait_seconds(pilot: Pilot[None], condition: Callable[[], object], what: str) -> None:
    """Like wait_for, for things behind a timer: let real time pass between checks."""
    for _ in range(100):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError(f"timed out waiting for: {what}")


# A planner that died: its session id names its copy, and no lock of it is held.
DEAD_SESSION = "4242-20260101T000000.000000"
LOKI = ServiceRef("NEURECTOMY", "Observability", "Loki")


def leave_orphan(
    plan_path: Path,
    session: str = DEAD_SESSION,
    port: int = 16995,
    *,
    age: float = 0,
    base: str | None = "",
) -> Path:
    """The copy a planner that died left beside the reference plan: Loki moved to `port`,
    made from the file as it is (or from `base`, a sha256), written `age` seconds ago."""
    edited = Session.open(plan_path)
    edited.apply(MoveService(LOKI, port))
    stamp = FileStamp.of(plan_path)
    assert stamp is not None
    path = copy_path(plan_path, session)
    write_copy(path, dumps(edited.plan), stamp.sha256 if base == "" else base)
    if age:
        moment = time.time() - age
        os.utime(path, (moment, moment))
    return path


async def frames_drawn_by_the_timer(
    screen: Screen[object], keys: Callable[[], Awaitable[None]], *, then: float = 0.0
) -> int:
    """How many frames the screen's own update timer draws for `keys` (and in the `then`
    seconds after the screen is up to date), waiting in real time: the pilot's pauses draw
    frames themselves, and would hide a timer that never ticks."""
    await screen_settled(screen)
    frames: list[str] = []
    draw = screen._compositor_refresh

    def counted() -> None:
        task = asyncio.current_task()
        frames.append(task.get_name() if task is not None else "")
        draw()

    screen._compositor_refresh = counted  # type: ignore[method-assign]
    try:
        await keys()
        for _ in range(200):
            await asyncio.sleep(0.01)
            if frames and not (screen._dirty_widgets or screen._layout_required):
                break
        await asyncio.sleep(then)
    finally:
        screen._compositor_refresh = draw  # type: ignore[method-assign]
    return frames.count("screen_update")


async def screen_settled(screen: Screen[object]) -> None:
    """Waits in real time until `screen` has drawn everything asked of it, and nothing new
    was asked for a few checks in a row: on a busy machine what an earlier key set in motion
    (a scroll into view, the details it showed) can still be on its way."""
    calm = 0
    for _ in range(300):
        calm = 0 if screen._dirty_widgets or screen._layout_required else calm + 1
        if calm == 3:
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the screen never settled")


def keys_sent(app: App[None], *keys: str) -> Callable[[], Awaitable[None]]:
    """Sends `keys` as the terminal would, without the pilot's pause after them (which draws
    a frame itself): for `frames_drawn_by_the_timer`."""

    async def send() -> None:
        await app._press_keys(keys)

    return send


def run(body: Callable[[], Awaitable[None]]) -> None:
    asyncio.run(body())


async def type_text(pilot: Pilot[None], text: str) -> None:
    await pilot.press(*[{" ": "space"}.get(char, char) for char in text])


async def clear_input(pilot: Pilot[None]) -> None:
    await pilot.press("ctrl+a", "ctrl+k")


def owe_a_full_pass() -> None:
    """A middle pass of the collector, as the young ones make while the user works: from now
    on a full pass is owed. (Python skips a collect() asked while another thread, such as
    Textual's writer, is collecting: asked until one ran.)"""
    for _ in range(500):
        before = gc.get_stats()[1]["collections"]
        gc.collect(1)
        if gc.get_stats()[1]["collections"] > before:
            break
        time.sleep(0.01)  # the other thread's pass may wait on a finaliser: let it end
    assert gc.get_count()[2] > 0
