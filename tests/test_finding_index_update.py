"""`FindingIndex.update` files what a fresh index of the same findings files, and names the
projects whose findings changed; most findings are matched by identity, so the property
mixes kept objects, equal copies and duplicates."""

from __future__ import annotations

import copy

from hypothesis import given
from hypothesis import strategies as st

from portplan.finding_index import FindingIndex, node_paths
from portplan.findings import Finding
from tests.test_map_refresh import _plan

PLAN = _plan()
PATHS = sorted(node_paths(PLAN))
POOL = [
    Finding(severity, "kind", f"finding {n}", (20000 + n,), subjects)
    for n, (severity, subjects) in enumerate(
        [
            ("error", ("A/T/a1", "B/T/b-in-a")),
            ("warning", ("A",)),
            ("warning", ("B/T", "C/T/c1")),
            ("info", ("C/T/c1",)),
            ("error", ("B/T/b1", "nowhere/else")),
            ("warning", tuple(PATHS)),
        ]
    )
]

# Each step: which pool findings, and whether each is the filed object or an equal copy.
_steps = st.lists(
    st.lists(st.tuples(st.integers(0, len(POOL) - 1), st.booleans()), max_size=8),
    min_size=1,
    max_size=6,
)


def _filed(index: FindingIndex) -> dict[object, tuple[list[Finding], list[Finding], object]]:
    refs = node_paths(PLAN).values()
    return {ref: (index.under(ref), index.direct(ref), index.worst(ref)) for ref in refs}


def _projects(findings: set[Finding]) -> set[str]:
    index = FindingIndex(PLAN, list(findings))
    return {ref.project for ref in node_paths(PLAN).values() if index.direct(ref)}


@given(_steps)
def test_an_updated_index_is_a_fresh_one(steps: list[list[tuple[int, bool]]]) -> None:
    index = FindingIndex(PLAN, [])
    before: set[Finding] = set()
    for step in steps:
        findings = [copy.copy(POOL[n]) if fresh else POOL[n] for n, fresh in step]
        index.update(PLAN, findings)
        assert _filed(index) == _filed(FindingIndex(PLAN, findings))
        after = set(findings)
        assert index.changed_projects == _projects(before ^ after)
        before = after
