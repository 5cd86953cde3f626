"""The plan's canonical text (`store.dumps`), made again only for the projects that changed.

The planner writes a recovery copy after edits, from a thread of its own. For 61,440 services
`dumps` takes 0.6 s of CPU, and that thread shares the interpreter's lock with the screen's:
every key answered meanwhile took two to three times as long. `dumps` writes the plan's head
(every key and table but the projects) and then one `[[projects]]` block per project, a blank
line between them, unless every project fits on one line (then all are written inline, and so
is the text here). Tests hold `PlanText` to `dumps` on every kind of plan. A block is kept
until an edit names its project (`changed`).
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from portplan.model import Plan, Project

BLOCK = "[[projects]]\n"


class PlanText:
    def __init__(self) -> None:
        # Bumped for an edit that may change anything (a range, a tier, a project's place).
        self._epoch = 0
        # Per project name, bumped for each edit that changes its services.
        self._generations: dict[str, int] = {}
        # (position, name) → (epoch, generation) it was made at, and the block.
        self._blocks: dict[tuple[int, str], tuple[tuple[int, int], str]] = {}

    def changed(self, projects: Collection[str] | None) -> None:
        """An edit changed these projects' services (None: it may have changed anything)."""
        if projects is None:
            self._epoch += 1
            return
        for name in projects:
            self._generations[name] = self._generations.get(name, 0) + 1

    def dumps(self, plan: Plan, version: Callable[[], int]) -> str:
        """`store.dumps(plan)`. Another thread may be changing the plan meanwhile (for a
        moment even, for a preview): `version()` is odd while it does and moves on with each
        change, and a block is kept only if the version was even and held still while the
        block was made. A block so made holds even if the whole text is dropped (the caller
        checks the version too), so a copy torn by the user's typing is made again from the
        blocks kept, not from scratch."""
        import tomli_w

        from portplan.documents import head_document
        from portplan.store import dumps

        if not plan.projects:
            return dumps(plan)
        head = head_document(plan)
        parts = [tomli_w.dumps(head)] if head else []
        for position, project in enumerate(plan.projects):
            block = self._block(position, project, version)
            if block is None:
                return dumps(plan)
            parts.append(block)
        if len(self._blocks) > 2 * len(plan.projects):
            # Projects gone or moved left their blocks behind: keep only the ones in use.
            places = {(position, project.name) for position, project in enumerate(plan.projects)}
            self._blocks = {key: kept for key, kept in self._blocks.items() if key in places}
        return "\n".join(parts)

    def prepare(self, plan: Plan, version: Callable[[], int]) -> bool:
        """Make one block the next `dumps` would have to make; False once none is left. The
        planner calls it while the user is quiet, so that its first recovery copy after
        loading does not make every block at once (0.6 s on 61,440 services)."""
        for position, project in enumerate(plan.projects):
            key = (position, project.name)
            kept = self._blocks.get(key)
            if kept is None or kept[0] != self._stamp(project):
                return self._block(position, project, version) is not None
        return False

    def _stamp(self, project: Project) -> tuple[int, int]:
        return self._epoch, self._generations.get(project.name, 0)

    def _block(self, position: int, project: Project, version: Callable[[], int]) -> str | None:
        """The project's block, kept or made (and kept, if the plan held still meanwhile);
        None for a project small enough for one line: `dumps` writes every project on one
        line when all are, as blocks when one is not. Such plans are not worth keeping."""
        import tomli_w

        from portplan.documents import project_document

        key = (position, project.name)
        before = version()
        stamp = self._stamp(project)
        kept = self._blocks.get(key)
        if kept is not None and kept[0] == stamp:
            return kept[1]
        block = tomli_w.dumps({"projects": [project_document(project)]})
        if not block.startswith(BLOCK):
            return None
        if before % 2 == 0 and version() == before:
            self._blocks[key] = stamp, block
        return block
