"""Write the README's screenshots (SVG) from the real planner on a copy of data/ports.toml.

.venv/bin/python scripts/screenshots.py
"""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

from textual.pilot import Pilot

from portplan.hazards import DEFAULT_EPHEMERAL
from portplan.model import ServiceRef, TierRef
from portplan.tui.app import PortplanApp, create_app
from portplan.tui.screens.planner import PlannerScreen
from portplan.tui.widgets.findings_list import FindingsList
from portplan.tui.widgets.plan_tree import PlanTree

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "screenshots"
Scene = Callable[[Pilot[None]], Awaitable[None]]


async def until(pilot: Pilot[None], condition: Callable[[], bool]) -> None:
    for _ in range(500):
        if condition():
            return
        await pilot.pause()
    raise RuntimeError("the app never reached the expected state")


async def planner_ready(pilot: Pilot[None]) -> None:
    await until(pilot, lambda: isinstance(pilot.app.screen, PlannerScreen))


async def overview(pilot: Pilot[None]) -> None:
    """The plan's problems first: the findings list on its first error, whose service the
    tree, the details and the map show (the ✗ cells outside the tier's band)."""
    await planner_ready(pilot)
    findings = pilot.app.screen.query_one(FindingsList)
    findings.focus()
    findings.highlighted = 0
    await until(pilot, lambda: findings.has_focus)
    await pilot.press("enter")  # jump to it, as a user would
    tree = pilot.app.screen.query_one(PlanTree)
    first = ServiceRef("DOPPELGANGER-STUDIO", "Infrastructure", "Redis")
    await until(pilot, lambda: tree.current_ref == first and tree.has_focus)
    findings.focus()
    await pilot.pause()


async def move_conflict(pilot: Pilot[None]) -> None:
    await planner_ready(pilot)
    pilot.app.screen.query_one(PlanTree).select_ref(
        ServiceRef("NEURECTOMY", "Databases", "Neo4j Bolt")
    )
    await pilot.press("m")
    await until(pilot, lambda: bool(pilot.app.screen.query("#port")))
    await pilot.press("ctrl+a", "ctrl+k", "1", "6", "5", "0", "0")


async def reserve(pilot: Pilot[None]) -> None:
    await planner_ready(pilot)
    pilot.app.screen.query_one(PlanTree).select_ref(TierRef("NEURECTOMY", "Cache & Messaging"))
    await pilot.press("r")
    await until(pilot, lambda: bool(pilot.app.screen.query("#port")))
    await pilot.press(*"Memcached")


async def help_screen(pilot: Pilot[None]) -> None:
    await planner_ready(pilot)
    await pilot.press("f1")
    await pilot.pause()


SCENES: dict[str, Scene] = {
    "planner": overview,
    "move-conflict": move_conflict,
    "reserve": reserve,
    "help": help_screen,
}


async def shoot(name: str, scene: Scene, plan: Path) -> None:
    app: PortplanApp = create_app(
        plan, ephemeral=DEFAULT_EPHEMERAL, theme="textual-dark", cursor_blink=False
    )
    async with app.run_test(size=(120, 36)) as pilot:
        await scene(pilot)
        await pilot.pause()
        app.save_screenshot(f"{name}.svg", str(OUT))


def main() -> None:
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        for name, scene in SCENES.items():
            plan = Path(folder) / "ports.toml"
            shutil.copy(ROOT / "data" / "ports.toml", plan)
            asyncio.run(shoot(name, scene, plan))
            print(f"wrote screenshots/{name}.svg")


if __name__ == "__main__":
    main()
