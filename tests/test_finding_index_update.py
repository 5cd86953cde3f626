"""`FindingIndex.update` files what a fresh index of the same findings files, and names the
projects whose findings changed; most findings are matched by identity, so the property
mixes kept objects, equal copies and duplicates."""

from __future__ import annotations

import copy

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portplan.finding_index import FindingIndex, node_paths
from portplan.findings import Finding
from portplan.model import (
    NodeRef,
    Plan,
    PortRange,
    Project,
    ProjectRef,
    Service,
    Tier,
    TierRef,
)
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


# Names with "/" whose paths read as other cuts: "P/Q" is a project, and so is "P", whose tier
# "Q/R2" starts the same way; a subject naming no node is filed nowhere.
SLASHED = Plan(
    title="slashed",
    projects=[
        Project(
            name="P",
            ports=PortRange(1000, 1999),
            tiers=[
                Tier(
                    name="Q/R2",
                    ports=PortRange(1000, 1099),
                    services=[Service(port=1001, name="s")],
                ),
                Tier(
                    name="T", ports=PortRange(1100, 1199), services=[Service(port=1101, name="x/y")]
                ),
            ],
        ),
        Project(
            name="P/Q",
            ports=PortRange(2000, 2999),
            tiers=[
                Tier(name="R", ports=PortRange(2000, 2099), services=[Service(port=2001, name="s")])
            ],
        ),
    ],
)
# The same shapes without a "/" in a project's name (the index then reads a subject's
# project from its first segment).
PLAIN = Plan(
    title="plain",
    projects=[
        Project(name="P", ports=PortRange(1000, 1999), tiers=SLASHED.projects[0].tiers),
        Project(name="PQ", ports=PortRange(2000, 2999), tiers=SLASHED.projects[1].tiers),
    ],
)
GHOSTS = ["nowhere/else", "P/ghost", "P/T/ghost", "reserved", "PQ/R/ghost"]


def _pool(plan: Plan) -> list[Finding]:
    subjects = [*node_paths(plan), *GHOSTS]
    groups = [(s,) for s in subjects] + [tuple(subjects), ("P/T/x/y", "P/Q/R/s", "PQ/R/s")]
    return [Finding("error", "kind", f"finding {n}", (n,), group) for n, group in enumerate(groups)]


def _inside(ref: NodeRef, node: NodeRef) -> bool:
    """Whether `node` is `ref` or lies inside it (by the plan's structure, not by paths)."""
    if isinstance(ref, ProjectRef):
        return node.project == ref.project
    if isinstance(ref, TierRef):
        return not isinstance(node, ProjectRef) and (node.project, node.tier) == (
            ref.project,
            ref.tier,
        )
    return node == ref


def _oracle(
    plan: Plan, findings: list[Finding]
) -> dict[object, tuple[list[Finding], list[Finding]]]:
    """Under and direct, worked out from scratch for every node."""
    paths = node_paths(plan)
    distinct = list(dict.fromkeys(findings))
    nodes = {f: [paths[s] for s in f.subjects if s in paths] for f in distinct}
    return {
        ref: (
            sorted(
                (f for f in distinct if any(_inside(ref, node) for node in nodes[f])),
                key=Finding.sort_key,
            ),
            sorted((f for f in distinct if ref in nodes[f]), key=Finding.sort_key),
        )
        for ref in paths.values()
    }


@pytest.mark.parametrize("plan", [SLASHED, PLAIN], ids=["slashed", "plain"])
@given(data=st.data())
def test_an_index_asked_about_some_projects_answers_as_worked_out_from_scratch(
    plan: Plan, data: st.DataObject
) -> None:
    pool, refs = _pool(plan), list(node_paths(plan).values())
    projects = sorted({ref.project for ref in refs})
    steps = data.draw(
        st.lists(
            st.tuples(
                st.lists(st.sampled_from(range(len(pool))), max_size=6),
                st.sets(st.sampled_from(projects)),
            ),
            min_size=1,
            max_size=5,
        )
    )
    # Between edits only some projects are asked about (the rest are filed inside later).
    index = FindingIndex(plan, [])
    for chosen, asked in steps:
        findings = [pool[n] for n in chosen]
        index.update(plan, findings)
        for ref in refs:
            if ref.project in asked:
                index.counts(ref)
        got = {ref: (index.under(ref), index.direct(ref)) for ref in refs}
        assert got == _oracle(plan, findings)
