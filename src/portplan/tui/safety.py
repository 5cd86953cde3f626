"""The planner's guards against losing work, as one object the screen holds: a recovery copy
a moment after each edit, the offer to restore it at start, and the question when the file
changed on disk before a save.

The rules themselves (what is stale, what changed, how a copy is written) live in the domain
modules `recovery` and `filestamp`; this object times them, saves, and asks the user. What
the user chose comes back to the screen as a message (nested in `Safekeeping`, handled with
`@on`), so that this object knows nothing of the screen beyond Textual's timers, workers and
dialogs.

Its interface, all the screen calls:

- `edited()` after every edit, undo and redo; `follow(session)` when the screen loads
  another session; `drop()` after a deliberate discard;
- `save()`: True when saved; a file changed on disk is asked about, and the answer posted
  as `Saved` (overwritten) or `ReloadAsked`;
- `offer_recovery()` at start: a copy found is asked about, the answer posted as
  `RecoveryChosen`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from rich.text import Text
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer

from portplan.filestamp import ChangedOnDisk
from portplan.recovery import Recovery, discard_recovery, pending_recovery, write_recovery
from portplan.session import Session
from portplan.store import Saved as SavedFile
from portplan.tui.labels import literal
from portplan.tui.modals.confirm import ConfirmDialog
from portplan.tui.modals.safety import ExternalChangeDialog, RecoveryDialog

# Long enough that a burst of keys writes once, short enough that a crash loses under a second.
RECOVERY_DELAY = 0.5
WORKER_GROUP = "recovery"


class Safekeeping:
    """Recovery copies and the changed-on-disk question for the session a screen shows."""

    @dataclass
    class Saved(Message):
        """The plan was saved over a change made on disk, as the user asked."""

    @dataclass
    class ReloadAsked(Message):
        """The user wants the file as it is on disk now, dropping every unsaved edit."""

    @dataclass
    class RecoveryChosen(Message):
        """A copy left by a planner that died: restore it, or it was deleted (discard)."""

        choice: Literal["restore", "discard"]
        recovery: Recovery

    def __init__(self, screen: Screen[None], session: Session) -> None:
        self._screen = screen
        self.session = session
        self._timer: Timer | None = None
        # Bumped by every change; a copy written from an older one is written again.
        self._generation = 0

    def follow(self, session: Session) -> None:
        """The screen shows `session` from now on; the old session's copy goes."""
        if session is not self.session:
            self.drop()
            self.session = session

    # --- the recovery copy ----------------------------------------------------------------

    def edited(self) -> None:
        """Called after every edit, undo and redo: write the copy once the keys go quiet."""
        self._generation += 1
        if self._timer is not None:
            self._timer.stop()
        self._timer = self._screen.set_timer(RECOVERY_DELAY, self._due)

    def drop(self) -> None:
        """After a save or a deliberate discard: no copy, and no copy still on its way."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._screen.workers.cancel_group(self._screen, WORKER_GROUP)
        discard_recovery(self.session.path)

    def _due(self) -> None:
        self._timer = None
        if not self.session.modified:
            discard_recovery(self.session.path)  # undone back to the saved plan
            return
        session, generation = self.session, self._generation
        self._screen.run_worker(
            lambda: self._write_copy(session, generation),
            thread=True,
            exclusive=True,
            group=WORKER_GROUP,
        )

    def _write_copy(self, session: Session, generation: int) -> None:
        # Writing 60,000 services takes a second: off the screen's thread. An edit made while
        # it ran would tear the text, so such a text is dropped and the copy tried again.
        text = session.consistent_text()
        if session is not self.session:
            return
        call = self._screen.app.call_from_thread
        if text is None:
            call(self.edited)
            return
        try:
            write_recovery(session.path, text)
        except OSError as error:
            call(
                self._screen.notify,
                f"Could not write the recovery copy: {error.strerror or error}",
                severity="warning",
            )
            return
        call(self._written, session, generation)

    def _written(self, session: Session, generation: int) -> None:
        if session is not self.session:
            return
        if not session.modified:
            discard_recovery(session.path)  # saved while the copy was being written
        elif generation != self._generation and self._timer is None:
            self._timer = self._screen.set_timer(RECOVERY_DELAY, self._due)

    def offer_recovery(self) -> None:
        """At start: ask about a copy left by a planner that died, if there is one."""
        recovery = pending_recovery(self.session.path)
        if recovery is not None:
            self._screen.run_worker(self._ask_about_recovery(recovery), group="safety")

    async def _ask_about_recovery(self, recovery: Recovery) -> None:
        choice = await self._screen.app.push_screen_wait(
            RecoveryDialog(self.session.path.name, recovery.path.name, recovery.services)
        )
        if choice == "discard":
            discard_recovery(self.session.path)
        if choice is not None:
            self._screen.post_message(self.RecoveryChosen(choice, recovery))

    # --- saving, and the file changed on disk ---------------------------------------------

    def save(self) -> bool:
        """Save the plan; True when saved. A file changed since it was loaded is not
        overwritten: the user is asked (overwrite, reload or neither) and False returned."""
        name = self.session.path.name
        try:
            saved = self.session.save()
        except ChangedOnDisk:
            self._screen.run_worker(self._ask_about_change_on_disk(), group="safety")
            return False
        except OSError as error:
            self._not_saved(name, error)
            return False
        self.drop()
        self._layout_not_kept(saved)
        return True

    def _layout_not_kept(self, saved: SavedFile) -> None:
        if saved.note:
            self._screen.notify(
                literal(f"{self.session.path.name} {saved.note}"),
                title="Layout not kept",
                severity="warning",
                markup=False,
            )

    def _not_saved(self, name: str, error: OSError) -> None:
        self._screen.notify(
            f"Could not save {name}: {error.strerror or error}",
            title="Not saved",
            severity="error",
        )

    async def _ask_about_change_on_disk(self) -> None:
        name = self.session.path.name
        app = self._screen.app
        choice = await app.push_screen_wait(
            ExternalChangeDialog(name, len(self.session.history.done))
        )
        if choice == "overwrite":
            try:
                saved = self.session.save(overwrite=True)
            except OSError as error:
                self._not_saved(name, error)
                return
            self.drop()
            self._layout_not_kept(saved)
            self._screen.post_message(self.Saved())
        elif choice == "reload":
            message = Text.assemble(
                "Drop every unsaved edit and load ",
                (name, "bold"),
                " as it is on disk now? This cannot be undone.",
            )
            if await app.push_screen_wait(ConfirmDialog("Reload", message, "Reload")):
                self._screen.post_message(self.ReloadAsked())
