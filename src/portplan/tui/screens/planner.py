"""The planner screen: it assembles the widgets, owns the session and turns keys into edits.

Widgets only show things and post messages (handled here with `@on`); every edit, undo and
redo crosses one boundary (`_editing`: the session changes, then every view is refreshed
from the result). What the screen delegates, each to one object it holds:

- `EditPrompts` (edit_prompts.py): the editing dialogs, from a highlighted node to an edit;
- `MapFeed` (map_feed.py): the port map's model for the highlighted node, built only when
  an edit could have changed it;
- `Safekeeping` (tui/safety.py): the recovery copy and the changed-on-disk question;
- `Navigator` (navigation.py): tab between panes, find, and the steps through the findings;
- `HistoryKeys` (history_keys.py): undo and redo keys, taken together between frames;
- surveys.py: the probe and the scan, run in threads, their reports posted back as messages;
- panels.py: the dialogs that only show or ask (help, changes, apply, quit), loaded when opened.
"""

from __future__ import annotations

from collections.abc import Collection
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Header, Static, Tree

from portplan.edits import Edit, EditError
from portplan.errors import PlanError
from portplan.finding_index import FindingIndex
from portplan.gcpause import keep_out_of_collections
from portplan.model import NodeRef
from portplan.recovery import RestorePlan
from portplan.session import Session, Step
from portplan.tui.frame_clock import SteadyFrames
from portplan.tui.frame_pause import paused_until_written
from portplan.tui.keymap import PLANNER_KEYS, bindings
from portplan.tui.labels import HEADER_ICON, file_title, summary_line
from portplan.tui.safety import Safekeeping
from portplan.tui.screens import panels, surveys
from portplan.tui.screens.breakpoints import starting_classes
from portplan.tui.screens.history_keys import HistoryKeys, status_after
from portplan.tui.screens.map_feed import MapFeed, Refusal
from portplan.tui.screens.navigation import Navigator
from portplan.tui.widgets.details import Details, ScrollPane
from portplan.tui.widgets.findings_list import FindingsList
from portplan.tui.widgets.footer import FittingFooter
from portplan.tui.widgets.plan_tree import PlanTree
from portplan.tui.widgets.port_map import PortMap
from portplan.tui.widgets.status_line import StatusLine

if TYPE_CHECKING:
    from portplan.tui.screens.edit_prompts import EditPrompts, Prompt, Proposal

# Small plans open fully expanded; large ones open at project level and load on demand.
EXPAND_ALL_UP_TO = 400
EMPTY_PLAN = "No projects yet — press A to add one"


class PlannerScreen(SteadyFrames, Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = bindings(PLANNER_KEYS)
    # Classes for portplan.tcss: a wide screen gives the map a cell per port, 100 a row; a
    # tall one gives the findings list the room.
    HORIZONTAL_BREAKPOINTS = [(0, "-normal"), (180, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (45, "-tall")]

    def __init__(self, session: Session) -> None:
        size, wide, tall = self.app.size, self.HORIZONTAL_BREAKPOINTS, self.VERTICAL_BREAKPOINTS
        super().__init__(classes=starting_classes(size, wide, tall))
        self.session = session
        self.index = FindingIndex(session.plan, session.all_findings)
        self.safety = Safekeeping(self, session)
        self.map_feed = MapFeed(PortMap(id="map"))
        self.navigator = Navigator(self, self)
        self.history_keys = HistoryKeys(
            lambda flush: self.app.call_next(flush), self.set_timer, self._take_steps
        )
        # The node the details and the map show (see _highlighted).
        self._details_ref: NodeRef | None = None
        # The node the status line speaks of: moving elsewhere makes it stale.
        self._status_about: NodeRef | None = None

    @property
    def plan_tree(self) -> PlanTree:
        return self.query_one(PlanTree)

    @property
    def port_map(self) -> PortMap:
        return self.map_feed.port_map

    # --- layout and loading -------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header(icon=HEADER_ICON)
        with Horizontal(id="main"):
            with Vertical(id="left"):
                yield Static(Text(EMPTY_PLAN), id="empty-plan")
                yield PlanTree(id="tree")
                with ScrollPane(id="details-pane"):
                    yield Details(id="details")
            yield self.port_map
        yield FindingsList(id="findings")
        yield StatusLine("", id="status")
        yield FittingFooter()

    def on_mount(self) -> None:
        self.query_one("#details-pane").border_title = "Details"
        self.plan_tree.border_title = "Plan"
        self.load(self.session)
        if not self.session.exists:
            self.set_status(
                f"New plan: {self.session.path.name} is created on the first save "
                "(ctrl+s). Press A to add a project."
            )
        else:
            self.set_status(self._summary_line())
        self.plan_tree.focus()
        self.safety.start()

    def on_unmount(self) -> None:
        self.safety.close()

    def work_while_quiet(self) -> bool:
        """One piece of work that makes later answers quicker, done while the user does
        nothing (the app calls it); True if more is left."""
        return self.session.live.prepare_owners() or self.session.prepare_text()

    def load(self, session: Session) -> None:
        """Show `session` from scratch: the one path for the first screen and a reload."""
        if session is not self.session:
            # A reload. The first screen's index was made with the screen (half a second on
            # 61,440 services): not made twice.
            self.index = FindingIndex(session.plan, session.all_findings)
        self.safety.follow(session)
        self.session = session
        self.navigator.finding_cursor = -1
        services = session.plan.service_count()
        tree = self.plan_tree
        tree.show_plan(session.plan, self.index, expand_all=services <= EXPAND_ALL_UP_TO)
        if tree.root.children:
            tree.move_cursor(tree.root.children[0])
        self.query_one(FindingsList).show(session.all_findings)
        self._show_details(tree.current_ref)
        self._update_title()
        self._show_empty_state()
        keep_out_of_collections(services)

    def _show_empty_state(self) -> None:
        self.query_one("#empty-plan").display = not self.session.plan.projects

    def _summary_line(self) -> str:
        return summary_line(self.session.plan, self.session.findings)

    def _update_title(self) -> None:
        self.app.sub_title = file_title(self.session)

    def set_status(self, text: str, about: NodeRef | None = None) -> None:
        """Say `text`; when it is `about` a node, it gives way to the summary once the
        cursor leaves that node."""
        self._status_about = about
        self.query_one(StatusLine).say(text)

    # --- refreshing after a change ----------------------------------------------------

    def refresh_views(self, select: NodeRef | None = None) -> None:
        self.index = self.index.update(self.session.plan, self.session.all_findings)
        tree = self.plan_tree
        # After an edit to services, only the projects it or its findings touched redraw.
        touched, self.session.touched = self.session.touched, None
        only = None if touched is None else touched | self.index.changed_projects
        tree.sync(self.session.plan, self.index, only)
        if select is not None:
            tree.select_ref(select)
        self.query_one(FindingsList).show(self.session.all_findings)
        self._show_details(tree.current_ref, edited=True, only=only)
        self._update_title()
        self._show_empty_state()
        self.safety.edited()

    def _show_details(
        self, ref: NodeRef | None, *, edited: bool = False, only: Collection[str] | None = None
    ) -> None:
        self._details_ref = ref
        if ref is not None and not self.index.contains(ref):
            ref = None
        session = self.session
        details = self.query_one(Details)
        details.show(session.plan, ref, self.index, session.listeners, session.ephemeral)
        self.map_feed.show(
            ref, self.session, self.index, self.plan_tree.in_use, edited=edited, only=only
        )

    @on(Tree.NodeHighlighted)
    def _highlighted(self, event: Tree.NodeHighlighted[NodeRef]) -> None:
        if event.node.parent is None:
            # The hidden root (the one `load` replaces), highlighted only while mounting.
            return
        # After an edit the cursor's node is often new, so the tree reports a highlight of
        # what refresh_views has just drawn: drawing it again would cost a second frame.
        if event.node.data != self._details_ref:
            self._show_details(event.node.data)
        if self._status_about is not None and event.node.data != self._status_about:
            self.set_status(self._summary_line())

    @on(FindingsList.FindingChosen)
    def _finding_chosen(self, event: FindingsList.FindingChosen) -> None:
        self.navigator.finding_chosen(event.finding)

    @on(PortMap.CursorMoved)
    def _cursor_moved(self, event: PortMap.CursorMoved) -> None:
        """The details follow the map's cursor: its port's owners, findings and facts."""
        model = self.port_map.model
        owners = model.owners.get(event.port, ()) if model is not None else ()
        session = self.session
        self.query_one(Details).show_port(
            session.plan, event.port, owners, self.index, session.ephemeral
        )

    @on(PortMap.CellChosen)
    def _cell_chosen(self, event: PortMap.CellChosen) -> None:
        if event.owners:
            self.plan_tree.select_ref(event.owners[0])
            self.plan_tree.focus()
        else:
            self._reserve_at(event.port)

    # --- the edit boundary --------------------------------------------------------------

    def _editing(self) -> AbstractContextManager[None]:
        """Around every change of the session: no cyclic-collector pass from the change
        until its frame is written (frame_pause.py)."""
        return paused_until_written(self)

    def apply(self, edit: Edit, select: NodeRef | None) -> bool:
        """Every edit takes this path (dialogs, the map, a restored copy); True if applied."""
        self.history_keys.flush()
        with self._editing():
            try:
                self.session.apply(edit)
            except EditError as error:
                self.notify(str(error), title="Not changed", severity="error")
                return False
            self.set_status(f"{edit.label} · {self._summary_line()}")
            self.refresh_views(select)
        return True

    def action_undo(self) -> None:
        self.history_keys.press("undo")

    def action_redo(self) -> None:
        self.history_keys.press("redo")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool:
        # Every other action sees the plan as the undo and redo keys before it left it.
        if action not in ("undo", "redo"):
            self.history_keys.flush()
        return True

    def _take_steps(self, steps: list[Step]) -> None:
        with self._editing():
            results = self.session.travel(steps)
            said = status_after(steps[-1], results[-1])
            self.set_status(f"{said} · {self._summary_line()}" if results[-1] else said)
            if any(results):
                self.refresh_views(self.plan_tree.current_ref)
        self.call_after_refresh(self.history_keys.drawn)

    # --- editing through dialogs --------------------------------------------------------

    def _current(self) -> NodeRef | None:
        ref = self.plan_tree.current_ref
        return ref if ref is not None and self.index.contains(ref) else None

    def _prompts(self) -> EditPrompts:
        # The dialogs and their previews load when first asked for, not with the screen.
        from portplan.tui.screens.edit_prompts import EditPrompts

        return EditPrompts(self.app, self.session, self.plan_tree.palette)

    def _apply_proposal(self, proposal: Proposal | None) -> bool:
        return proposal is not None and self.apply(proposal.edit, proposal.select)

    @work
    async def _propose(self, prompt: Prompt) -> None:
        """Ask `prompt` about the highlighted node and apply what the user confirms (each
        prompt checks what is highlighted and says what to do when it does not fit)."""
        self._apply_proposal(await prompt(self._prompts(), self._current()))

    def action_reserve(self) -> None:
        self._propose(lambda prompts, here: prompts.reserve_here(here))

    def action_move(self) -> None:
        self._propose(lambda prompts, here: prompts.move(here))

    def action_release(self) -> None:
        self._propose(lambda prompts, here: prompts.release(here))

    def action_edit(self) -> None:
        self._propose(lambda prompts, here: prompts.edit(here))

    def action_add(self) -> None:
        self._propose(lambda prompts, here: prompts.add(here))

    def action_new_project(self) -> None:
        self._propose(lambda prompts, _: prompts.add_project())

    def action_edit_folders(self) -> None:
        self._propose(lambda prompts, here: prompts.edit_folders(here))

    def action_remove(self) -> None:
        self._propose(lambda prompts, here: prompts.remove(here))

    def action_rebase(self) -> None:
        self._propose(lambda prompts, here: prompts.rebase(here))

    def action_changes(self) -> None:
        panels.open_changes(self.app, self.session)

    def action_apply_files(self) -> None:
        panels.open_apply_files(self.app, self.session)

    # --- the port map -------------------------------------------------------------------

    @work
    async def _reserve_at(self, port: int) -> None:
        """Enter on a free cell: the reserve dialog with `port` filled in, for its tier."""
        home = self.map_feed.home_of(self.session.plan, port)
        if self._apply_proposal(await self._prompts().reserve_at(home, port)):
            self.port_map.focus()

    @on(PortMap.MoveHere)
    def _move_to_map_cursor(self) -> None:
        """`m` on the map: the service highlighted in the tree moves to the cursor's port."""
        move = self.map_feed.move_to_cursor(self.session.plan, self.plan_tree.current_ref)
        if isinstance(move, Refusal):
            self.notify(move.message, severity=move.severity)
        elif self.apply(move, move.target):
            self.port_map.focus()

    # --- the real world: sockets and project folders -----------------------------------

    def action_probe(self) -> None:
        self.set_status("Probing this machine's listening sockets…")
        surveys.start_probe(self, self.session.plan)

    @on(surveys.ProbeDone)
    def _probed(self, message: surveys.ProbeDone) -> None:
        self.plan_tree.in_use, status = surveys.take_probe(self.session, message.report)
        self.set_status(status)
        self.refresh_views(self.plan_tree.current_ref)

    def action_scan(self) -> None:
        if surveys.start_scan(self, self.session):
            self.set_status("Scanning project folders…")

    @on(surveys.ScanDone)
    def _scanned(self, message: surveys.ScanDone) -> None:
        self.set_status(surveys.take_scan(self.session, message.report))
        self.refresh_views(self.plan_tree.current_ref)

    # --- moving about (navigation.py) --------------------------------------------------

    def action_focus_pane(self, step: int) -> None:
        self.navigator.focus_pane(step)

    @work
    async def action_find(self) -> None:
        await self.navigator.find()

    def action_focus_findings(self) -> None:
        self.query_one(FindingsList).focus()

    def action_next_finding(self) -> None:
        self.navigator.go_to_finding(1)

    def action_previous_finding(self) -> None:
        self.navigator.go_to_finding(-1)

    # --- saving, recovering and quitting ------------------------------------------------

    def action_save(self) -> bool:
        if not self.safety.save():
            return False
        self._saved(f"Saved {self.session.path.name}")
        return True

    @on(Safekeeping.Saved)
    def _saved_over_change(self) -> None:
        self._saved(f"Saved {self.session.path.name} over the change on disk")

    def _saved(self, status: str) -> None:
        self._update_title()
        self.set_status(f"{status} · {self._summary_line()}")

    @on(Safekeeping.ReloadAsked)
    def reload_from_disk(self) -> None:
        try:
            session = Session.open(self.session.path, self.session.ephemeral)
        except PlanError as error:
            self.notify(str(error), title="Cannot reload", severity="error")
            return
        self.load(session)
        self.set_status(f"Reloaded {session.path.name} from disk · {self._summary_line()}")

    @on(Safekeeping.RecoveryChosen)
    def _recovery_chosen(self, answer: Safekeeping.RecoveryChosen) -> None:
        recovery = answer.recovery
        if answer.choice == "discard":
            self.set_status(f"Deleted {recovery.path.name}")
        elif recovery.plan and self.apply(RestorePlan(recovery.plan), self.plan_tree.current_ref):
            self.set_status(f"{answer.restored} · {self._summary_line()}")

    @work
    async def action_quit(self) -> None:
        if not self.session.modified:
            self.app.exit()
            return
        choice = await panels.ask_before_quitting(self.app, self.session)
        if choice == "save" and self.action_save():
            self.app.exit()
        elif choice == "discard":
            self.safety.drop()
            self.app.exit()

    def action_help(self) -> None:
        panels.open_help(self.app)
