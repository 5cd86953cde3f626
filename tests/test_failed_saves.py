"""A save that fails at any step leaves every file as it was: the plan, its link, its `.bak`.

Each step that touches the disk (a write, an fsync, a rename, a link, a mode or owner change)
is made to fail in turn; the previous `.bak` is replaced before the plan is, so it must come
back when replacing the plan fails.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from portplan import safe_write
from tests.test_safe_writes import PLAN, moved


class FailingStep:
    """Count every step of a save that touches the disk; make the `fail_at`-th raise EIO."""

    STEPS = ("replace", "link", "fsync", "chmod", "chown", "write")

    def __init__(self, fail_at: int) -> None:
        self.fail_at = fail_at
        self.steps = 0
        self.failed: str | None = None

    def step(self, name: str) -> None:
        self.steps += 1
        if self.steps == self.fail_at:
            self.failed = name
            raise OSError(errno.EIO, f"injected failure in {name}")

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        for name in self.STEPS[:-1]:
            real = getattr(os, name)

            def failing(*args: Any, _real: Any = real, _name: str = name, **kwargs: Any) -> Any:
                self.step(_name)
                return _real(*args, **kwargs)

            monkeypatch.setattr(safe_write.os, name, failing)
        real_fdopen, real_open = os.fdopen, open

        def wrap(stream: Any) -> Any:
            real_write = stream.write

            def write(data: bytes) -> int:
                self.step("write")
                return int(real_write(data))

            stream.write = write
            return stream

        monkeypatch.setattr(safe_write.os, "fdopen", lambda *a, **k: wrap(real_fdopen(*a, **k)))
        monkeypatch.setattr(
            safe_write, "open", lambda *a, **k: wrap(real_open(*a, **k)), raising=False
        )


LAYOUTS = {
    "plain": lambda folder: None,
    "hard-linked": lambda folder: os.link(folder / "ports.toml", folder / "other.toml"),
}


@pytest.mark.parametrize("layout", LAYOUTS.values(), ids=list(LAYOUTS))
@pytest.mark.parametrize("had_backup", [True, False], ids=["old-bak", "no-bak"])
def test_a_save_failing_at_any_step_leaves_every_file_as_it_was(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    layout: Callable[[Path], None],
    had_backup: bool,
) -> None:
    """Each step of the save fails in turn: either the save raised and every file in the
    folder is byte-for-byte what it was (no leftovers), or it finished (a step whose failure
    does not matter, like the folder's fsync) and the plan and its backup are the new ones."""
    point = 0
    while True:
        point += 1
        folder = tmp_path / f"at-{point}"
        folder.mkdir()
        (folder / "ports.toml").write_text(PLAN, encoding="utf-8")
        if had_backup:
            (folder / "ports.toml.bak").write_text("# the previous backup\n", encoding="utf-8")
        layout(folder)
        before = {path.name: path.read_bytes() for path in folder.iterdir()}
        faults = FailingStep(point)
        faults.install(monkeypatch)
        try:
            moved(folder / "ports.toml")
        except OSError as error:
            assert error.errno == errno.EIO and faults.failed is not None
            raised = True
        else:
            raised = False
        finally:
            monkeypatch.undo()
        after = {path.name: path.read_bytes() for path in folder.iterdir()}
        if raised:
            assert after == before, f"failing at step {point} ({faults.failed})"
        else:
            assert after.keys() == before.keys() | {"ports.toml.bak"}, f"step {point}"
            assert after["ports.toml.bak"] == PLAN.encode()
            assert b"port = 20001" in after["ports.toml"]
        if faults.failed is None:
            break  # the save took fewer steps than `point`: every step has been failed once
    assert point > 8  # the steps were really counted


def test_without_hard_links_the_previous_backup_is_copied_aside_and_put_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan, backup = tmp_path / "ports.toml", tmp_path / "ports.toml.bak"
    plan.write_text(PLAN, encoding="utf-8")
    backup.write_text("# the previous backup\n", encoding="utf-8")
    before = {path.name: path.read_bytes() for path in tmp_path.iterdir()}
    real_replace = os.replace

    def no_link(*args: Any) -> None:
        raise OSError(errno.EPERM, "no hard links on this file system")

    def replace(source: Any, destination: Any) -> None:
        if Path(destination) == plan:
            raise OSError(errno.EIO, "the plan could not be replaced")
        real_replace(source, destination)

    monkeypatch.setattr(safe_write.os, "link", no_link)
    monkeypatch.setattr(safe_write.os, "replace", replace)
    with pytest.raises(OSError, match="could not be replaced"):
        moved(plan)
    monkeypatch.undo()
    assert {path.name: path.read_bytes() for path in tmp_path.iterdir()} == before
