"""One editing session over a plan file: the plan, its undo history, its findings, its file.

This is what the planner drives; it holds no Textual, so every rule about what changes,
what is a conflict and what is saved is tested without a screen.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Literal

from portplan.analysis import analyze
from portplan.edits import Edit, History
from portplan.environment import DEFAULT_ENVIRONMENT, EnvironmentLike, as_environment
from portplan.errors import PlanError
from portplan.filestamp import ChangedOnDisk, FileStamp, changed_since
from portplan.findings import Finding, FindingDelta
from portplan.incremental import LiveFindings, replace_findings, touched_projects
from portplan.model import Plan, ServiceRef
from portplan.plan_text import PlanText
from portplan.records import record
from portplan.resolve import Scope
from portplan.store import Saved, loads, read_text, read_utf8, save
from portplan.suggest import clean_ports


@record
class Preview:
    """What an edit would do to the findings, computed before the user confirms it."""

    port: int | None
    taken_by: tuple[str, ...]
    delta: FindingDelta
    error: str | None = None

    @property
    def added(self) -> tuple[Finding, ...]:
        return self.delta.added

    @property
    def cleared(self) -> tuple[Finding, ...]:
        return self.delta.cleared

    @property
    def kept(self) -> tuple[Finding, ...]:
        return self.delta.kept


NO_CHANGE = FindingDelta((), (), ())
Step = Literal["undo", "redo"]


class Session:
    def __init__(
        self,
        plan: Plan,
        path: Path,
        *,
        exists: bool = True,
        ephemeral: EnvironmentLike = DEFAULT_ENVIRONMENT,
        baseline_text: str | None = None,
    ) -> None:
        self.plan = plan
        self.path = path
        self.exists = exists
        self.ephemeral = as_environment(ephemeral)
        self.history = History(plan)
        # The plan as opened, for the change list. Copying 60,000 services takes a second, so
        # a plan read from a file keeps the file's text and parses it when first asked.
        self._baseline_text = baseline_text
        self._baseline: Plan | None = (
            None if baseline_text is not None else plan.model_copy(deep=True)
        )
        self._saved_top: Edit | None = None
        # Edits to services re-run the rules on the projects they touch only: see incremental.
        self.live = LiveFindings(plan, self.ephemeral)
        self.findings: list[Finding] = self.live.findings
        # The projects the last edit changed, for views that redraw only those; None: any.
        self.touched: frozenset[str] | None = None
        self.version = 0  # even when the plan is at rest; see _changing
        # The recovery copy's text, made again only for the projects edits changed.
        self._text = PlanText()
        # The file as loaded (or last saved): saving over someone else's change must ask first.
        self.stamp: FileStamp | None = FileStamp.of(path) if exists else None
        # Results of the last probe or scan of the real world: shown beside the plan's own
        # findings until the next probe or scan replaces them.
        self.probe_findings: list[Finding] = []
        self.scan_findings: list[Finding] = []
        self.listeners: dict[int, list[str]] = {}
        # The file's text as loaded or last saved, and the plan it holds (read when first
        # needed): a save edits this text where the plan differs, keeping the rest.
        self._disk_text = baseline_text
        self._disk_plan: Plan | None = None

    @property
    def all_findings(self) -> list[Finding]:
        if not (self.probe_findings or self.scan_findings):
            return self.findings
        return sorted(
            [*self.findings, *self.probe_findings, *self.scan_findings], key=Finding.sort_key
        )

    @classmethod
    def open(cls, path: Path, ephemeral: EnvironmentLike = DEFAULT_ENVIRONMENT) -> Session:
        """Load `path`; a file that does not exist yet opens as an empty plan, like an editor."""
        if not path.exists():
            return cls(Plan(title=path.stem), path, exists=False, ephemeral=ephemeral)
        text, plan = read_text(path)
        return cls(plan, path, ephemeral=ephemeral, baseline_text=text)

    @property
    def baseline(self) -> Plan:
        if self._baseline is None:
            assert self._baseline_text is not None
            self._baseline = loads(self._baseline_text, str(self.path))
        return self._baseline

    @baseline.setter
    def baseline(self, plan: Plan) -> None:
        self._baseline = plan

    @property
    def disk_text(self) -> str | None:
        """The file's text as loaded or last saved (None for a plan not saved yet)."""
        return self._disk_text

    @property
    def modified(self) -> bool:
        top = self.history.done[-1] if self.history.done else None
        return top is not self._saved_top

    def reanalyze(self) -> None:
        self.touched = None
        self.findings = self.live.reanalyze()

    def _applied(self, edit: Edit) -> None:
        self.touched = touched_projects(edit)
        self._text.changed(self.touched)
        self.findings = self.live.changed(
            self.touched, lambda: edit.revert(self.plan), lambda: edit.apply(self.plan)
        )

    @contextmanager
    def _changing(self) -> Iterator[None]:
        # A sequence lock: `version` is odd while the plan is being changed, and a reader in
        # another thread (the recovery copy) keeps its text only if the version held still.
        self.version += 1
        try:
            yield
        finally:
            self.version += 1

    def consistent_text(self) -> str | None:
        """The plan as TOML, safe to call from another thread; None if an edit ran meanwhile."""
        before = self.version
        if before % 2:
            return None
        try:
            text = self._text.dumps(self.plan, lambda: self.version)
        except (RuntimeError, ValueError):
            if self.version != before:
                return None  # the plan changed under the reader: try again later
            raise
        return text if self.version == before else None

    def prepare_text(self) -> bool:
        """Make a piece of the text `consistent_text` will need; False once it needs none."""
        return self._text.prepare(self.plan, lambda: self.version)

    def apply(self, edit: Edit) -> None:
        with self._changing():
            self.history.do(edit)
            self._applied(edit)

    def undo(self) -> Edit | None:
        return self.travel(["undo"])[-1]

    def redo(self) -> Edit | None:
        return self.travel(["redo"])[-1]

    def travel(self, steps: Sequence[Step]) -> list[Edit | None]:
        """Undo and redo in turn, as the keys came; the edit each step undid or redid (None
        when there was nothing to). The plan and its findings end exactly as after each step
        alone, but the rules run once, over the projects any step touched: a burst of undos
        costs one analysis, not one each."""
        results: list[Edit | None] = []
        moved: list[tuple[Edit, bool]] = []  # each edit stepped over, and whether redone
        with self._changing():
            for step in steps:
                edit = self.history.redo() if step == "redo" else self.history.undo()
                results.append(edit)
                if edit is not None:
                    moved.append((edit, step == "redo"))
            if moved:
                self._settle(moved)
        return results

    def _settle(self, moved: list[tuple[Edit, bool]]) -> None:
        """Bring the findings up to date after `moved`, the history steps just taken."""
        touched: frozenset[str] | None = frozenset()
        for edit, _ in moved:
            region = touched_projects(edit)
            touched = None if touched is None or region is None else touched | region

        def to_old() -> None:
            for edit, redone in reversed(moved):
                if redone:
                    edit.revert(self.plan)
                else:
                    edit.apply(self.plan)

        def to_new() -> None:
            for edit, redone in moved:
                if redone:
                    edit.apply(self.plan)
                else:
                    edit.revert(self.plan)

        self.touched = touched
        self._text.changed(touched)
        self.findings = self.live.changed(touched, to_old, to_new)

    def changed_on_disk(self) -> bool:
        """True when the file is no longer what this session loaded or last saved."""
        return changed_since(self.stamp, self.path)

    def save(self, *, overwrite: bool = False) -> Saved:
        """Write the plan; raise ChangedOnDisk rather than overwrite a change made elsewhere.

        The file's own text is kept except where the plan changed; `Saved.note` says when
        it could not be (the plan is then written in the canonical layout)."""
        if not overwrite and self.changed_on_disk():
            raise ChangedOnDisk(self.path)
        saved = save(self.plan, self.path, self._layout(overwrite))
        self._disk_text, self._disk_plan = saved.text, saved.plan
        self.exists = True
        self.stamp = FileStamp.of(self.path)
        self._saved_top = self.history.done[-1] if self.history.done else None
        return saved

    def _layout(self, overwrite: bool) -> tuple[str, Plan] | None:
        """The text a save keeps: the file as it is now when overwriting a change made
        elsewhere (so that change's layout is what is kept), else the one loaded or saved."""
        if overwrite and self.path.exists():
            try:
                text = read_utf8(self.path, "plan file")
                return text, loads(text, str(self.path))
            except PlanError:
                pass
        if self._disk_text is None:
            return None
        if self._disk_plan is None:
            if self._disk_text is self._baseline_text:
                self._disk_plan = self.baseline  # parsed once for both
            else:
                try:
                    self._disk_plan = loads(self._disk_text, str(self.path))
                except PlanError:
                    return None
        return self._disk_text, self._disk_plan

    def port_owners(self, port: int, *, excluding: str | None = None) -> tuple[str, ...]:
        # Only the projects holding the port are walked, not all 60,000 services.
        on_port = self.live.projects_on(port)
        return tuple(
            path
            for project in self.plan.projects
            if project.name in on_port
            for tier in project.tiers
            for service in tier.services
            if service.port == port
            and (path := ServiceRef(project.name, tier.name, service.name).path) != excluding
        )

    def preview(self, edit: Edit, port: int | None = None, *, moving: str | None = None) -> Preview:
        """Apply, analyse and revert: the exact findings the edit would cause or clear."""
        taken_by = self.port_owners(port, excluding=moving) if port is not None else ()
        with self._changing():  # the plan is changed for a moment, then put back
            try:
                edit.apply(self.plan)
            except ValueError as error:
                return Preview(port, taken_by, NO_CHANGE, str(error))
            touched = touched_projects(edit)
            try:
                if touched is None:
                    delta = FindingDelta.between(self.findings, analyze(self.plan, self.ephemeral))
                else:
                    # Only the touched region can differ: its findings replace the region's
                    # in the plan's list, in the full analysis' order.
                    before, after = self.live.difference(
                        touched, lambda: edit.revert(self.plan), lambda: edit.apply(self.plan)
                    )
                    previewed = replace_findings(self.findings, before, after)
                    delta = FindingDelta.between(self.findings, previewed)
            finally:
                edit.revert(self.plan)
        return Preview(port, taken_by, delta)

    def findings_since_loading(self) -> FindingDelta:
        """The findings the edits since loading added, cleared and kept, as `portplan diff`
        of the loaded file and the edited plan counts them."""
        return FindingDelta.between(analyze(self.baseline, self.ephemeral), self.findings)

    def suggest_port(self, scope: Scope) -> int | None:
        """The first port of the scope that raises no finding, else the first unused one."""
        clean = next(iter(clean_ports(self.plan, scope, self.ephemeral)), None)
        if clean is not None:
            return clean
        used = {service.port for _, _, service in self.plan.services()}
        home = scope.tier.ports if scope.tier is not None else scope.project.ports
        return next((p for p in itertools.chain(home) if p >= 1 and p not in used), None)
