"""The planner's first screen imports only what it shows: start-up is most of its first frame.

The dialogs, the previews, the change list, the writers and the recovery replay are loaded
when a key first asks for them. Each test runs the planner in a fresh interpreter up to its
first drawn screen, and fails when one of those imports creeps back onto that path.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

# Each of these was once imported by every start of the planner without being used.
NOT_ON_THE_FIRST_SCREEN = (
    "portplan.tui.modals.apply_files",
    "portplan.tui.modals.changes",
    "portplan.tui.modals.confirm",
    "portplan.tui.modals.dialogs",
    "portplan.tui.modals.find",
    "portplan.tui.modals.form",
    "portplan.tui.modals.help",
    "portplan.tui.modals.safety",
    "portplan.tui.preview",
    "portplan.tui.screens.edit_prompts",
    "portplan.changes",
    "portplan.replay",
    "portplan.search",
    "portplan.safe_write",
    "tomli_w",
    "tomllib",
)

FIRST_SCREEN = """
import asyncio, sys
from pathlib import Path
from portplan.tui.app import create_app
from portplan.tui.screens.planner import PlannerScreen

# What the planner does while the user is quiet after it (tests/test_quiet_work.py) loads
# the writer by design; what the first screen itself loads is the question here.
PlannerScreen.work_while_quiet = lambda self: False

async def main():
    app = create_app(Path(sys.argv[1]))
    async with app.run_test(size=(120, 36)) as pilot:
        while not isinstance(app.screen, PlannerScreen) or not app.screen.query("PortMap"):
            await pilot.pause()
        await pilot.pause()
        print(app.screen.port_map.model is not None)
        {action}
        await pilot.pause()
asyncio.run(main())
print("\\n".join(sys.modules))
"""


def modules_after_first_screen(plan: Path, action: str = "") -> set[str]:
    code = FIRST_SCREEN.replace("{action}", action)
    done = subprocess.run(
        [sys.executable, "-c", code, str(plan)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "XDG_CONFIG_HOME": str(plan.parent / "config")},
    )
    assert done.returncode == 0, done.stderr
    shown, *modules = done.stdout.split()
    assert shown == "True"  # the probe ran after the port map was drawn
    return set(modules)


def test_the_first_screen_loads_no_dialog_writer_or_replay(reference_plan_path: Path) -> None:
    loaded = modules_after_first_screen(reference_plan_path)
    assert "portplan.tui.widgets.port_map" in loaded  # the probe sees the screen's own modules
    assert loaded.isdisjoint(NOT_ON_THE_FIRST_SCREEN), loaded & set(NOT_ON_THE_FIRST_SCREEN)


def test_a_dialog_still_loads_what_it_needs(reference_plan_path: Path) -> None:
    loaded = modules_after_first_screen(reference_plan_path, "await pilot.press('f1')")
    assert "portplan.tui.modals.help" in loaded
