"""The planner's guards against losing work: a recovery copy after each edit, the offer to
restore it at start, and the question when the file changed on disk before a save.

A part of `PlannerScreen` kept in its own file; the rules themselves (what is stale, what
changed) live in the domain modules `recovery` and `filestamp`.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.timer import Timer

from portplan.errors import PlanError
from portplan.finding_index import FindingIndex
from portplan.recovery import (
    RestorePlan,
    discard_recovery,
    pending_recovery,
    write_recovery,
)
from portplan.session import Session
from portplan.tui.modals.confirm import ConfirmDialog
from portplan.tui.modals.safety import ExternalChangeDialog, RecoveryDialog
from portplan.tui.screens.planner_base import PlannerBase

# Long enough that a burst of keys writes once, short enough that a crash loses under a second.
RECOVERY_DELAY = 0.5


class SafeEditing(PlannerBase):
    """The guards against losing work, as part of PlannerScreen."""

    _recovery_timer: Timer | None = None
    # Bumped by every change; a copy written from an older one is written again.
    _edit_generation = 0

    # --- the recovery copy ----------------------------------------------------------------

    def schedule_recovery(self) -> None:
        """Called after every edit, undo and redo: write the copy once the keys go quiet."""
        self._edit_generation += 1
        if self._recovery_timer is not None:
            self._recovery_timer.stop()
        self._recovery_timer = self.set_timer(RECOVERY_DELAY, self._recovery_due)

    def _recovery_due(self) -> None:
        self._recovery_timer = None
        if not self.session.modified:
            discard_recovery(self.session.path)  # undone back to the saved plan
            return
        self._write_recovery_copy(self.session, self._edit_generation)

    @work(thread=True, exclusive=True, group="recovery")
    def _write_recovery_copy(self, session: Session, generation: int) -> None:
        # Writing 60,000 services takes a second: off the screen's thread. An edit made while
        # it ran would tear the text, so such a text is dropped and the copy tried again.
        text = session.consistent_text()
        if session is not self.session:
            return
        if text is None:
            self.app.call_from_thread(self.schedule_recovery)
            return
        try:
            write_recovery(session.path, text)
        except OSError as error:
            self.app.call_from_thread(
                self.notify,
                f"Could not write the recovery copy: {error.strerror or error}",
                severity="warning",
            )
            return
        self.app.call_from_thread(self._recovery_written, session, generation)

    def _recovery_written(self, session: Session, generation: int) -> None:
        if session is not self.session:
            return
        if not session.modified:
            discard_recovery(session.path)  # saved while the copy was being written
        elif generation != self._edit_generation and self._recovery_timer is None:
            self._recovery_timer = self.set_timer(RECOVERY_DELAY, self._recovery_due)

    def drop_recovery(self) -> None:
        """After a save or a deliberate discard: no copy, and no copy still on its way."""
        if self._recovery_timer is not None:
            self._recovery_timer.stop()
            self._recovery_timer = None
        self.workers.cancel_group(self, "recovery")
        discard_recovery(self.session.path)

    @work
    async def offer_recovery(self) -> None:
        recovery = pending_recovery(self.session.path)
        if recovery is None:
            return
        choice = await self.app.push_screen_wait(
            RecoveryDialog(self.session.path.name, recovery.path.name, recovery.services)
        )
        if choice == "restore":
            self.apply(RestorePlan(recovery.plan), self.plan_tree.current_ref)
            self.set_status(
                f"Restored unsaved edits from {recovery.path.name} · ctrl+s saves "
                f"them, u takes them back out · {self._summary_line()}"
            )
        elif choice == "discard":
            discard_recovery(self.session.path)
            self.set_status(f"Deleted {recovery.path.name}")

    # --- the file changed on disk -----------------------------------------------------------

    @work
    async def resolve_external_change(self) -> None:
        name = self.session.path.name
        choice = await self.app.push_screen_wait(
            ExternalChangeDialog(name, len(self.session.history.done))
        )
        if choice == "overwrite":
            try:
                self.session.save(overwrite=True)
            except OSError as error:
                self.notify(
                    f"Could not save {name}: {error.strerror or error}",
                    title="Not saved",
                    severity="error",
                )
                return
            self.drop_recovery()
            self._update_title()
            self.set_status(f"Saved {name} over the change on disk · {self._summary_line()}")
        elif choice == "reload":
            message = Text.assemble(
                "Drop every unsaved edit and load ",
                (name, "bold"),
                " as it is on disk now? This cannot be undone.",
            )
            if await self.app.push_screen_wait(ConfirmDialog("Reload", message, "Reload")):
                self.reload_from_disk()

    def reload_from_disk(self) -> None:
        from portplan.tui.screens.planner import EXPAND_ALL_UP_TO, keep_out_of_collections

        try:
            session = Session.open(self.session.path, self.session.ephemeral)
        except PlanError as error:
            self.notify(str(error), title="Cannot reload", severity="error")
            return
        self.drop_recovery()
        self.session = session
        self.app.session = session  # type: ignore[attr-defined]
        self.index = FindingIndex(session.plan, session.all_findings)
        services = sum(1 for _ in session.plan.services())
        self.plan_tree.show_plan(session.plan, self.index, expand_all=services <= EXPAND_ALL_UP_TO)
        if self.plan_tree.root.children:
            self.plan_tree.move_cursor(self.plan_tree.root.children[0])
        self.refresh_views(self.plan_tree.current_ref)
        keep_out_of_collections(services)
        self.set_status(f"Reloaded {session.path.name} from disk · {self._summary_line()}")
