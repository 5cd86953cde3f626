"""A tree label's "N/M used": the distinct ports of a tier's or project's services that lie in
its range, against the count worked out by hand."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from portplan.model import PortRange, Project, Service, Tier
from portplan.tui.labels import used_ports

ports = st.lists(st.integers(1, 60), max_size=12)


def _tier(name: str, numbers: list[int]) -> Tier:
    services = [Service(port=port, name=f"s{n}") for n, port in enumerate(numbers)]
    return Tier.model_construct(name=name, ports=PortRange(1, 60), services=services)


@given(ports, st.integers(1, 60), st.integers(0, 30))
def test_a_tier_counts_its_distinct_ports_in_range(numbers: list[int], low: int, size: int) -> None:
    tier = _tier("t", numbers)
    tier.ports = PortRange(low, min(60, low + size))
    expected = len({port for port in numbers if low <= port <= tier.ports.end})
    assert used_ports(tier) == expected


@given(st.lists(ports, max_size=4), st.integers(1, 60), st.integers(0, 30))
def test_a_project_counts_its_tiers_ports_once(tiers: list[list[int]], low: int, size: int) -> None:
    project = Project.model_construct(
        name="p",
        ports=PortRange(low, min(60, low + size)),
        tiers=[_tier(f"t{n}", numbers) for n, numbers in enumerate(tiers)],
    )
    high = project.ports.end
    expected = len({port for numbers in tiers for port in numbers if low <= port <= high})
    assert used_ports(project) == expected
