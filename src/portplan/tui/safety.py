"""The planner's guards against losing work, as one object the screen holds: this session's
claim on the plan and its own recovery copy a moment after each edit, the notice of another
planner on the same plan and the offer of every orphaned copy at start, and the question
when the file changed on disk before a save.

The rules themselves (what is stale, what changed, how a copy is written) live in the domain
modules `recovery` and `filestamp`; this object times them, saves, and asks the user. What
the user chose comes back to the screen as a message (nested in `Safekeeping`, handled with
`@on`), so that this object knows nothing of the screen beyond Textual's timers, workers and
dialogs.

Its interface, all the screen calls:

- `start()` once mounted: claims the plan, says if another planner has it open, and offers
  the copies of planners that died (each answer posted as `RecoveryChosen`); `close()` when
  the screen goes;
- `edited()` after every edit, undo and redo; `follow(session)` when the screen loads
  another session; `drop()` after a deliberate discard;
- `save()`: True when saved; a file changed on disk is asked about, and the answer posted
  as `Saved` (overwritten) or `ReloadAsked`;
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Literal

from rich.text import Text
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer

from portplan.filestamp import ChangedOnDisk
from portplan.plan_lock import PlanLock, live_sessions, new_session_id
from portplan.recovery import (
    Recovery,
    copy_path,
    discard,
    orphaned_copies,
    set_aside,
    write_base,
    write_copy,
)
from portplan.session import Session
from portplan.store import Saved as SavedFile
from portplan.tui.labels import literal

# Long enough that a burst of keys writes once, short enough that a crash loses under a second.
RECOVERY_DELAY = 0.5
WORKER_GROUP = "recovery"


class Safekeeping:
    """Recovery copies and the changed-on-disk question for the session a screen shows."""

    class Saved(Message):
        """The plan was saved over a change made on disk, as the user asked."""

    class ReloadAsked(Message):
        """The user wants the file as it is on disk now, dropping every unsaved edit."""

    class RecoveryChosen(Message):
        """A copy left by a planner that died: restore it, or it was deleted (discard).
        `kept`: the older copies not offered after a restore, left for another time."""

        def __init__(
            self, choice: Literal["restore", "discard"], recovery: Recovery, kept: int = 0
        ) -> None:
            super().__init__()
            self.choice = choice
            self.recovery = recovery
            self.kept = kept

        @property
        def restored(self) -> str:
            """What the status line says after a restore."""
            more = f" · {self.kept} older kept for next time" if self.kept else ""
            return (
                f"Restored unsaved edits from {self.recovery.path.name} · ctrl+s saves them, "
                f"u takes them back out{more}"
            )

    def __init__(self, screen: Screen[None], session: Session) -> None:
        self._screen = screen
        self.session = session
        self._timer: Timer | None = None
        # Bumped by every change; a copy written from an older one is written again.
        self._generation = 0
        # This planner's name among the others on the plan: its lock and its copy carry it.
        self.session_id = new_session_id()
        self._lock: PlanLock | None = None
        # Orphaned copies restored here: removed once this session's own copy holds their
        # edits (a copy written after `_adopted_at`), so that a crash between never loses them.
        self._adopted: list[Path] = []
        self._adopted_at = 0
        # The sha256 of the file version whose text was last kept beside the copy.
        self._base_written: str | None = None
        # A copy is written from a thread, and a save or a discard may drop it meanwhile:
        # writing and dropping take turns, and a write started before a drop is not made.
        self._copy_turn = threading.Lock()
        self._drops = 0

    @property
    def copy(self) -> Path:
        """This session's own recovery copy."""
        return copy_path(self.session.path, self.session_id)

    def start(self) -> None:
        """Once the screen shows the plan: claim it, say who else has it open, and offer
        the copies that planners which died left behind."""
        path = self.session.path
        self._lock = PlanLock.claim(path, self.session_id)
        for other in live_sessions(path, self.session_id):
            self._screen.notify(
                f"another portplan has this plan open (pid {other.pid}): each keeps its own "
                "unsaved edits, and a save asks before writing over the other's",
                title=f"{path.name} is open twice",
                severity="warning",
                timeout=15,
            )
        stamp = self.session.stamp
        offers = orphaned_copies(
            path, self.session_id, self.session.plan, stamp.sha256 if stamp else None
        )
        if offers:
            self._screen.run_worker(self._offer(offers), group="safety")

    def close(self) -> None:
        """The screen goes: stop writing and let go of the plan. A copy of unsaved edits
        stays (the app was closed without the quit question): the next start offers it."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if not self.copy.exists():
            discard(self.copy)  # the base kept for it, if any
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def follow(self, session: Session) -> None:
        """The screen shows `session` from now on; the old session's copy goes."""
        if session is not self.session:
            self.drop()
            moved = session.path != self.session.path
            self.session = session
            if moved and self._lock is not None:
                self._lock.release()
                self._lock = PlanLock.claim(session.path, self.session_id)

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
        with self._copy_turn:
            self._drops += 1
            discard(self.copy)
        self._base_written = None
        self._drop_adopted()

    def _drop_adopted(self) -> None:
        for path in self._adopted:
            discard(path)
        self._adopted = []

    def _due(self) -> None:
        self._timer = None
        if not self.session.modified:
            self.copy.unlink(missing_ok=True)  # undone back to the saved plan
            return
        session, generation, drops = self.session, self._generation, self._drops
        self._screen.run_worker(
            lambda: self._write_copy(session, generation, drops),
            thread=True,
            exclusive=True,
            group=WORKER_GROUP,
        )

    def _write_copy(self, session: Session, generation: int, drops: int) -> None:
        # Writing 60,000 services takes a second: off the screen's thread. An edit made while
        # it ran would tear the text, so such a text is dropped and the copy tried again.
        text = session.consistent_text()
        if session is not self.session:
            return
        call = self._screen.app.call_from_thread
        if text is None:
            call(self.edited)
            return
        stamp = session.stamp
        try:
            with self._copy_turn:
                if self._drops != drops:
                    return  # saved or discarded since this copy was asked for
                if stamp is not None and session.disk_text is not None:
                    if stamp.sha256 != self._base_written:
                        # Kept once per load or save, so edits can be replayed on a newer file.
                        write_base(self.copy, session.disk_text)
                        self._base_written = stamp.sha256
                write_copy(self.copy, text, stamp.sha256 if stamp else None)
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
            self.copy.unlink(missing_ok=True)  # saved while the copy was being written
            return
        if self._adopted and generation > self._adopted_at:
            self._drop_adopted()  # this session's copy now holds the restored edits
        if generation != self._generation and self._timer is None:
            self._timer = self._screen.set_timer(RECOVERY_DELAY, self._due)

    async def _offer(self, offers: list[Recovery]) -> None:
        """Each orphaned copy in turn, newest first; an unreadable one is set aside and said
        so. Nothing is deleted or written over before its answer; after a restore the older
        copies wait for another time (restoring one replaces the plan the other would)."""
        from portplan.tui.modals.safety import RecoveryDialog  # dialogs load when first shown

        readable = [offer for offer in offers if offer.match != "unreadable"]
        for offer in offers:
            if offer.match == "unreadable":
                self._set_aside(offer)
        for number, offer in enumerate(readable, 1):
            choice = await self._screen.app.push_screen_wait(
                RecoveryDialog(self.session.path.name, offer, number, len(readable))
            )
            if choice == "discard":
                discard(offer.path)
            elif choice == "restore":
                self._adopted.append(offer.path)
                self._adopted_at = self._generation
            if choice is not None:
                kept = len(readable) - number if choice == "restore" else 0
                self._screen.post_message(self.RecoveryChosen(choice, offer, kept))
            if choice == "restore":
                return

    def _set_aside(self, offer: Recovery) -> None:
        try:
            kept = set_aside(offer)
        except OSError as error:
            message = f"unreadable, and could not be renamed aside: {error.strerror or error}"
            where = offer.path.name
        else:
            message, where = f"unreadable: kept as {kept.name}", kept.name
        self._screen.notify(
            f"A recovery copy of {self.session.path.name} is {message} ({offer.problem})",
            title=f"Recovery copy {where}",
            severity="warning",
            timeout=30,
        )

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
        from portplan.tui.modals.confirm import ConfirmDialog
        from portplan.tui.modals.safety import ExternalChangeDialog

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
