"""Loaded into the planner by `bench_pty.py --timeline FILE` (through PYTHONPATH): for each
key the app handles, when (wall and CPU milliseconds after the key) each step of its answer
and each pass of the cyclic collector began and ended, each frame was handed to the terminal
writer, and the writer wrote it.

    key enter MoveDialog | Session.apply 2.8-7.8 (cpu 5.0) | ... | display 29.5 | written 31.0-37.2

Only the benchmark loads this file; it patches methods by name and changes nothing else.
"""

from __future__ import annotations

import atexit
import gc
import os
import time

FILE = os.environ.get("PORTPLAN_TIMELINE")

if FILE:
    from textual import events
    from textual._compositor import Compositor
    from textual.app import App
    from textual.drivers import _writer_thread
    from textual.screen import Screen

    from portplan.finding_index import FindingIndex
    from portplan.session import Session
    from portplan.tui.modals.form import FormDialog
    from portplan.tui.screens.map_feed import MapFeed
    from portplan.tui.screens.planner import PlannerScreen
    from portplan.tui.widgets.details import Details
    from portplan.tui.widgets.findings_list import FindingsList
    from portplan.tui.widgets.plan_tree import PlanTree

    answers: list[list[str]] = []
    started = [0.0, 0.0]  # wall and CPU time of the last key

    def since() -> tuple[float, float]:
        return (
            (time.perf_counter() - started[0]) * 1000,
            (time.process_time() - started[1]) * 1000,
        )

    def note(text: str) -> None:
        if answers:
            answers[-1].append(text)

    def timed(owner: type, name: str) -> None:
        original = getattr(owner, name)

        def step(*args: object, **kwargs: object) -> object:
            wall, cpu = since()
            try:
                return original(*args, **kwargs)
            finally:
                end, end_cpu = since()
                note(f"{owner.__name__}.{name} {wall:.1f}-{end:.1f} (cpu {end_cpu - cpu:.1f})")

        setattr(owner, name, step)

    for owner, name in [
        (FormDialog, "_refresh_preview"),
        (Session, "apply"),
        (Session, "travel"),
        (Session, "prepare_text"),
        (PlannerScreen, "refresh_views"),
        (FindingIndex, "update"),
        (FindingsList, "show"),
        (Details, "show"),
        (PlanTree, "sync"),
        (PlanTree, "select_ref"),
        (MapFeed, "show"),
        (Screen, "_refresh_layout"),
        (Screen, "_on_timer_update"),
        (Compositor, "render_update"),
    ]:
        timed(owner, name)

    pass_began = [0.0]

    def collector(phase: str, info: dict[str, int]) -> None:
        # Passes of the cyclic collector, young (0, 1) and full (2), inside an answer.
        if phase == "start":
            pass_began[0] = since()[0]
        else:
            note(f"gc{info['generation']} {pass_began[0]:.1f}-{since()[0]:.1f}")

    gc.callbacks.append(collector)

    on_event = App.on_event

    async def key_seen(self: App[object], event: events.Event) -> None:
        seen = (
            f"key {event.key} {type(self.screen).__name__}" if isinstance(event, events.Key) else ""
        )
        # The app hears a key twice (from the driver, and as it comes back from the screen).
        if seen and not (answers and answers[-1] == [seen]):
            started[:] = [time.perf_counter(), time.process_time()]
            answers.append([seen])
        await on_event(self, event)

    App.on_event = key_seen  # type: ignore[method-assign]

    display = App._display

    def shown(self: App[object], screen: object, renderable: object) -> None:
        display(self, screen, renderable)  # type: ignore[arg-type]
        if renderable is not None:
            note(f"display {since()[0]:.1f}")

    App._display = shown  # type: ignore[method-assign]

    def write_frames(self: _writer_thread.WriterThread) -> None:
        # WriterThread.run, noting when each frame's write began and ended.
        while (text := self._queue.get()) is not None:
            began = since()[0]
            self._file.write(text)
            if self._queue.qsize() == 0:
                self._file.flush()
            note(f"written {began:.1f}-{since()[0]:.1f}")
        self._file.flush()

    _writer_thread.WriterThread.run = write_frames  # type: ignore[method-assign]

    def save() -> None:
        with open(FILE, "w", encoding="utf-8") as out:
            out.writelines(" | ".join(answer) + "\n" for answer in answers)

    atexit.register(save)
