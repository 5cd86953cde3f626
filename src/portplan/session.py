"""One editing session over a plan file: the plan, its undo history, its findings, its file.

This is what the planner drives; it holds no Textual, so every rule about what changes,
what is a conflict and what is saved is tested without a screen.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from portplan.analysis import Finding, analyze
from portplan.edits import Edit, History
from portplan.hazards import DEFAULT_EPHEMERAL, EphemeralRange
from portplan.model import Plan
from portplan.resolve import Scope
from portplan.store import load, save
from portplan.suggest import clean_ports


@dataclass(frozen=True, slots=True)
class Preview:
    """What an edit would do to the findings, computed before the user confirms it."""

    port: int | None
    taken_by: tuple[str, ...]
    added: tuple[Finding, ...]
    cleared: tuple[Finding, ...]
    error: str | None = None


def _key(finding: Finding) -> tuple[str, str]:
    return (finding.kind, finding.message)


class Session:
    def __init__(
        self,
        plan: Plan,
        path: Path,
        *,
        exists: bool = True,
        ephemeral: Sequence[EphemeralRange] = DEFAULT_EPHEMERAL,
    ) -> None:
        self.plan = plan
        self.path = path
        self.exists = exists
        self.ephemeral = tuple(ephemeral)
        self.history = History(plan)
        self.baseline = plan.model_copy(deep=True)
        self._saved_top: Edit | None = None
        self.findings: list[Finding] = analyze(plan, self.ephemeral)
        # Results of the last probe or scan of the real world: shown beside the plan's own
        # findings until the next probe or scan replaces them.
        self.probe_findings: list[Finding] = []
        self.scan_findings: list[Finding] = []
        self.listeners: dict[int, list[str]] = {}

    @property
    def all_findings(self) -> list[Finding]:
        if not (self.probe_findings or self.scan_findings):
            return self.findings
        return sorted([*self.findings, *self.probe_findings, *self.scan_findings],
                      key=Finding.sort_key)

    @classmethod
    def open(
        cls, path: Path, ephemeral: Sequence[EphemeralRange] = DEFAULT_EPHEMERAL
    ) -> Session:
        """Load `path`; a file that does not exist yet opens as an empty plan, like an editor."""
        if not path.exists():
            return cls(Plan(title=path.stem), path, exists=False, ephemeral=ephemeral)
        return cls(load(path), path, ephemeral=ephemeral)

    @property
    def modified(self) -> bool:
        top = self.history.done[-1] if self.history.done else None
        return top is not self._saved_top

    def reanalyze(self) -> None:
        self.findings = analyze(self.plan, self.ephemeral)

    def apply(self, edit: Edit) -> None:
        self.history.do(edit)
        self.reanalyze()

    def undo(self) -> Edit | None:
        edit = self.history.undo()
        if edit is not None:
            self.reanalyze()
        return edit

    def redo(self) -> Edit | None:
        edit = self.history.redo()
        if edit is not None:
            self.reanalyze()
        return edit

    def save(self) -> None:
        save(self.plan, self.path)
        self.exists = True
        self._saved_top = self.history.done[-1] if self.history.done else None

    def port_owners(self, port: int, *, excluding: str | None = None) -> tuple[str, ...]:
        return tuple(
            path
            for project, tier, service in self.plan.services()
            if service.port == port
            and (path := f"{project.name}/{tier.name}/{service.name}") != excluding
        )

    def preview(self, edit: Edit, port: int | None = None, *, moving: str | None = None) -> Preview:
        """Apply, analyse and revert: the exact findings the edit would cause or clear."""
        taken_by = self.port_owners(port, excluding=moving) if port is not None else ()
        try:
            edit.apply(self.plan)
        except ValueError as error:
            return Preview(port, taken_by, (), (), str(error))
        try:
            after = analyze(self.plan, self.ephemeral)
        finally:
            edit.revert(self.plan)
        before_keys = {_key(finding) for finding in self.findings}
        after_keys = {_key(finding) for finding in after}
        added = tuple(f for f in after if _key(f) not in before_keys)
        cleared = tuple(f for f in self.findings if _key(f) not in after_keys)
        return Preview(port, taken_by, added, cleared)

    def suggest_port(self, scope: Scope) -> int | None:
        """The first port of the scope that raises no finding, else the first unused one."""
        clean = next(iter(clean_ports(self.plan, scope, self.ephemeral)), None)
        if clean is not None:
            return clean
        used = {service.port for _, _, service in self.plan.services()}
        home = scope.tier.ports if scope.tier is not None else scope.project.ports
        return next((p for p in itertools.chain(home) if p >= 1 and p not in used), None)
