"""Properties over generated plans: the file round-trips, saving is deterministic, and the
engine agrees with a naive all-pairs oracle written here, independently of `rules`."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from portplan.analysis import analyze
from portplan.findings import Finding
from portplan.hazards import BROWSER_BAD_PORTS, EphemeralRange
from portplan.model import Plan, PortRange
from portplan.occupants import KNOWN_OCCUPANTS
from portplan.store import dumps, load, loads, save
from tests.plan_strategies import is_plan, plan_or_none

# --- plans for the round trip: awkward text everywhere TOML allows it --------------------

AWKWARD = st.sampled_from(list("\"'[]{}\\=#.,/ \t\n\r\x00\x01\x1b\x7fΣé漢🙂\u2028"))
TEXT = st.text(AWKWARD | st.characters(exclude_categories=("Cs",)), max_size=12)
NAME = TEXT.filter(lambda name: name.strip() != "")
PORT = st.integers(1, 65535)


@st.composite
def port_ranges(draw: st.DrawFn, low: int = 1) -> str:
    start = draw(st.integers(low, 65535))
    end = draw(st.integers(start, min(65535, start + draw(st.sampled_from([0, 10, 1000])))))
    return str(PortRange(start, end))


SERVICE = st.fixed_dictionaries(
    {"port": PORT, "name": NAME},
    optional={"description": TEXT, "protocol": st.sampled_from(["tcp", "udp"])},
)
TIER = st.fixed_dictionaries(
    {"name": NAME, "ports": port_ranges()},
    optional={
        "description": TEXT,
        "services": st.lists(SERVICE, max_size=4, unique_by=lambda s: s["name"]),
    },
)
PROJECT = st.fixed_dictionaries(
    {"name": NAME, "ports": port_ranges()},
    optional={
        "description": TEXT,
        "paths": st.lists(TEXT, max_size=2),
        "tiers": st.lists(TIER, max_size=3, unique_by=lambda t: t["name"]),
    },
)
RESERVED = st.fixed_dictionaries({"ports": port_ranges(low=0)}, optional={"reason": TEXT})
PLAN_DATA = st.fixed_dictionaries(
    {},
    optional={
        "title": TEXT,
        "version": TEXT,
        "updated": st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)),
        "strategy": TEXT,
        "reserved": st.lists(RESERVED, max_size=3),
        "projects": st.lists(PROJECT, max_size=3, unique_by=lambda p: p["name"]),
    },
)
PLANS = PLAN_DATA.map(plan_or_none).filter(is_plan)


@given(PLANS)
def test_loads_of_dumps_gives_the_same_plan(plan: Plan) -> None:
    text = dumps(plan)
    assert loads(text) == plan
    assert dumps(loads(text)) == text


@given(PLANS)
def test_load_of_save_gives_the_same_plan(tmp_path_factory: Any, plan: Plan) -> None:
    path = tmp_path_factory.mktemp("roundtrip") / "plan.toml"
    save(plan, path)
    assert load(path) == plan


@given(PLANS)
def test_save_is_deterministic(tmp_path_factory: Any, plan: Plan) -> None:
    folder = tmp_path_factory.mktemp("deterministic")
    first, second = folder / "first.toml", folder / "second.toml"
    save(plan, first)
    save(plan.model_copy(deep=True), second)
    save(plan, first)  # over itself: the same bytes again, the old ones kept as .bak
    assert first.read_bytes() == second.read_bytes() == dumps(plan).encode("utf-8")
    assert (folder / "first.toml.bak").read_bytes() == first.read_bytes()
    assert list(folder.glob("*.tmp")) == []


def test_an_empty_plan_round_trips(tmp_path: Path) -> None:
    # A plan emptied in the editor must still open again after it is saved.
    path = tmp_path / "plan.toml"
    save(Plan(), path)
    assert load(path) == Plan()


# --- the oracle: every rule again, by comparing all pairs, on small plans -----------------

# A narrow window of ports, so that random plans collide often, plus the edges that matter:
# 1023/1024 (privileged), 1719-1723 (browser-blocked ports in that window).
OCCUPIED = {occupant.port for occupant in KNOWN_OCCUPANTS}
# 1433 and 1521 are known occupants (SQL Server, Oracle).
EDGES = [
    1010,
    1011,
    1023,
    1024,
    1025,
    1500,
    1718,
    1719,
    1720,
    1721,
    1722,
    1723,
    1724,
    1730,
    1433,
    1521,
]
SMALL_PORT = st.sampled_from(EDGES) | st.integers(1010, 1730)


@st.composite
def small_ranges(draw: st.DrawFn) -> str:
    a, b = draw(SMALL_PORT), draw(SMALL_PORT)
    return f"{min(a, b)}-{max(a, b)}" if a != b else str(a)


SMALL_NAME = st.text("abAB/ ", min_size=1, max_size=3).filter(lambda name: name.strip() != "")
SMALL_SERVICE = st.fixed_dictionaries(
    {"port": SMALL_PORT, "name": SMALL_NAME, "protocol": st.sampled_from(["tcp", "udp"])}
)
SMALL_TIER = st.fixed_dictionaries(
    {
        "name": SMALL_NAME,
        "ports": small_ranges(),
        "services": st.lists(SMALL_SERVICE, max_size=4, unique_by=lambda s: s["name"]),
    }
)
SMALL_PROJECT = st.fixed_dictionaries(
    {
        "name": SMALL_NAME,
        "ports": small_ranges(),
        "tiers": st.lists(SMALL_TIER, max_size=3, unique_by=lambda t: t["name"]),
    }
)
SMALL_PLANS = (
    st.fixed_dictionaries(
        {
            "reserved": st.lists(st.fixed_dictionaries({"ports": small_ranges()}), max_size=3),
            "projects": st.lists(SMALL_PROJECT, max_size=4, unique_by=lambda p: p["name"]),
        }
    )
    .map(plan_or_none)
    .filter(is_plan)
)
EPHEMERAL = st.lists(
    small_ranges().map(lambda text: EphemeralRange("Test", PortRange.parse(text), "generated")),
    max_size=2,
).map(tuple)

Canonical = tuple[str, str, frozenset[int], frozenset[str]]


def canonical(finding: Finding) -> Canonical:
    return (finding.severity, finding.kind, frozenset(finding.ports), frozenset(finding.subjects))


def ports_of(text: PortRange) -> set[int]:
    return set(range(text.start, text.end + 1))


def shared_ports(a: PortRange, b: PortRange) -> frozenset[int]:
    """The ends of the overlap, found by intersecting the port sets (naive on purpose)."""
    both = ports_of(a) & ports_of(b)
    return frozenset({min(both), max(both)}) if both else frozenset()


def oracle(plan: Plan, ephemeral: tuple[EphemeralRange, ...]) -> Counter[Canonical]:
    found: Counter[Canonical] = Counter()
    services = [
        (project, tier, service, f"{project.name}/{tier.name}/{service.name}")
        for project in plan.projects
        for tier in project.tiers
        for service in tier.services
    ]
    # duplicate-port: every pair on one port and protocol; a group is everyone in some pair.
    groups: dict[tuple[int, str], set[int]] = {}
    for (i, a), (j, b) in itertools.combinations(enumerate(services), 2):
        if a[2].port == b[2].port and a[2].protocol == b[2].protocol:
            groups.setdefault((a[2].port, a[2].protocol), set()).update({i, j})
    for (port, _), members in groups.items():
        paths = frozenset(services[i][3] for i in members)
        found["error", "duplicate-port", frozenset({port}), paths] += 1
    for project, tier, service, path in services:
        port = service.port
        in_project = port in ports_of(project.ports)
        if not in_project:
            found["error", "service-outside-project", frozenset({port}), frozenset({path})] += 1
        elif port not in ports_of(tier.ports):
            found["error", "service-outside-tier", frozenset({port}), frozenset({path})] += 1
        if any(port in ports_of(entry.ports) for entry in plan.reserved):
            subjects = frozenset({path, "reserved"})
            found["error", "service-on-reserved", frozenset({port}), subjects] += 1
        # Fetch blocks bad ports for http(s) URLs, which are TCP: UDP services are fine there.
        if port in BROWSER_BAD_PORTS and service.protocol == "tcp":
            found["warning", "browser-blocked-port", frozenset({port}), frozenset({path})] += 1
        if port < 1024:
            found["warning", "privileged-port", frozenset({port}), frozenset({path})] += 1
        # A tool's default port is where a local copy of it listens: TCP only.
        if port in OCCUPIED and service.protocol == "tcp":
            found["info", "known-occupant", frozenset({port}), frozenset({path})] += 1
    for project in plan.projects:
        for tier in project.tiers:
            tier_path = f"{project.name}/{tier.name}"
            if not ports_of(tier.ports) <= ports_of(project.ports):
                ends = frozenset({tier.ports.start, tier.ports.end})
                found["error", "tier-outside-project", ends, frozenset({tier_path})] += 1
            if not tier.services:
                found["info", "empty-tier", frozenset(), frozenset({tier_path})] += 1
        for a, b in itertools.combinations(project.tiers, 2):
            if shared := shared_ports(a.ports, b.ports):
                subjects = frozenset({f"{project.name}/{a.name}", f"{project.name}/{b.name}"})
                found["warning", "tier-overlap", shared, subjects] += 1
        for entry in plan.reserved:
            if shared := shared_ports(project.ports, entry.ports):
                subjects = frozenset({project.name, "reserved"})
                found["warning", "project-on-reserved", shared, subjects] += 1
    for a, b in itertools.combinations(plan.projects, 2):
        if shared := shared_ports(a.ports, b.ports):
            found["error", "project-overlap", shared, frozenset({a.name, b.name})] += 1
    for hazard in ephemeral:
        for project in plan.projects:
            inside = [
                (service.port, path)
                for owner, _, service, path in services
                if owner is project and service.port in ports_of(hazard.ports)
            ]
            if inside:
                ports = frozenset(port for port, _ in inside)
                found["warning", "ephemeral-port", ports, frozenset(p for _, p in inside)] += 1
    return found


@given(SMALL_PLANS, EPHEMERAL)
def test_engine_agrees_with_the_all_pairs_oracle(
    plan: Plan, ephemeral: tuple[EphemeralRange, ...]
) -> None:
    engine = Counter(canonical(finding) for finding in analyze(plan, ephemeral))
    assert engine == oracle(plan, ephemeral)


def test_the_oracle_sees_what_it_should() -> None:
    # Guards the oracle itself: a hand-made plan with one finding of each kind.
    plan = Plan.model_validate(
        {
            "reserved": [{"ports": "1500"}, {"ports": "1000-1010"}],
            "projects": [
                {
                    "name": "P",
                    "ports": "1010-1600",
                    "tiers": [
                        {"name": "T", "ports": "1020-1030", "services": [
                            {"port": 1023, "name": "priv"}, {"port": 1500, "name": "res"},
                        ]},
                        {"name": "U", "ports": "1025-1700", "services": [
                            {"port": 1720, "name": "far"}, {"port": 1500, "name": "dup"},
                        ]},
                        {"name": "E", "ports": "1200"},
                    ],
                },
                {"name": "Q", "ports": "1600-1610"},
            ],
        }
    )  # fmt: skip
    hazard = EphemeralRange("Test", PortRange(1020, 1025), "pinned")
    kinds = Counter(kind for _, kind, _, _ in oracle(plan, (hazard,)).elements())
    assert kinds == Counter(
        {
            "duplicate-port": 1, "service-outside-project": 1, "service-outside-tier": 1,
            "service-on-reserved": 2, "browser-blocked-port": 1, "privileged-port": 1,
            "tier-outside-project": 1, "empty-tier": 1, "tier-overlap": 2,
            "project-on-reserved": 2, "project-overlap": 1, "ephemeral-port": 1,
        }
    )  # fmt: skip
    assert Counter(canonical(f) for f in analyze(plan, (hazard,))) == oracle(plan, (hazard,))
