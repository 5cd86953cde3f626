"""`port-clash` against a brute-force oracle: every pair of a file's host ports compared, as
the rule reads ("a port published twice on one address, by services that may run together").
The scan files earlier ports by port and address instead, so that a file of 50,000 entries
is read in seconds, not minutes; both must name the same first clash for every entry."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from portplan.bindings import binds_collide
from portplan.scan.drift import clashing_uses
from portplan.scan.uses import Place, PortUse

BINDS = ["", "0.0.0.0", "::", "127.0.0.1", "[::1]", "::1", "10.0.0.2"]
PROFILES = [frozenset(), frozenset({"dev"}), frozenset({"prod"}), frozenset({"dev", "test"})]


@st.composite
def uses(draw: st.DrawFn) -> list[PortUse]:
    drawn = []
    for line in range(1, draw(st.integers(0, 25)) + 1):
        low = draw(st.integers(8000, 8006))
        high = low + draw(st.sampled_from([0, 0, 0, 1, 3]))
        drawn.append(
            PortUse(
                Place(draw(st.sampled_from(["p/compose.yaml", "p/other.yaml"])), line),
                tuple(range(low, high + 1)),
                draw(st.sampled_from(["tcp", "udp"])),
                draw(st.sampled_from(["host", "host", "host", "container"])),
                "compose",
                f"entry {line}",
                bind=draw(st.sampled_from(BINDS)),
                picks_one=draw(st.sampled_from([False, False, False, True])) and high > low,
                profiles=draw(st.sampled_from(PROFILES)),
            )
        )
    return drawn


def oracle(all_uses: list[PortUse]) -> list[tuple[int | None, tuple[int, ...], int | None]]:
    """(line, shared ports, earlier line) of each clash, every pair compared."""
    found = []
    for index, later in enumerate(all_uses):
        if later.role != "host" or later.picks_one:
            continue
        for earlier in all_uses[:index]:
            if (
                earlier.role != "host"
                or earlier.picks_one
                or earlier.place.label != later.place.label
                or earlier.protocol != later.protocol
            ):
                continue
            shared = tuple(sorted(set(earlier.ports) & set(later.ports)))
            if shared and binds_collide(earlier.bind, later.bind) and later.may_run_with(earlier):
                found.append((later.place.line, shared, earlier.place.line))
                break
    return found


@given(uses())
def test_each_clash_names_the_first_earlier_entry_it_clashes_with(drawn: list[PortUse]) -> None:
    clashes = [
        (drift.place.line if drift.place else None, drift.ports, _also_by(drift.message))
        for drift in clashing_uses(drawn)
    ]
    assert sorted(clashes, key=repr) == sorted(oracle(drawn), key=repr)


def _also_by(message: str) -> int:
    return int(message.split("(also by line ")[1].split(")")[0])
