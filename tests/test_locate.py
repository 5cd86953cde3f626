"""Line numbers for errors: inline service lists, array-of-tables services, reserved entries."""

from __future__ import annotations

import pytest

from portplan.errors import PlanError
from portplan.locate import locate_line
from portplan.store import loads

# Each line that a location should point at ends with a marker comment `#@name`.
TYPICAL = """\
# A plan written by hand.
title = "Typical" #@title
version = "1"

reserved = [
    { ports = "0-1023", reason = "System" },
    { ports = "3306", reason = "MySQL" }, #@reserved1
]

[[projects]]  # the first project
name = "Alpha" #@p0name
ports = "20000-20999" #@p0ports

[[projects.tiers]] #@p0t0
name = "Web"
ports = "20000-20099"
services = [ { port = 20000, name = "Frontend" }, #@p0t0s0
    { port = 20001, name = "Backend" },
    # a comment with { braces }
    { port = 20002, name = "Worker", description = "jobs" }, #@p0t0s2
]

[[projects.tiers]]
name = "Empty" #@p0t1name
ports = "20100-20199"
services = []

[[projects]]
"name" = "Beta" #@p1name
ports = "21000-21999"
description = "services as an array of tables"

[[projects.tiers]]
name = "Data"
ports = "21400-21499"

[[projects.tiers.services]]
port = 21432
name = "Postgres"

[[projects.tiers.services]] #@p1t0s1
port = 21433 #@p1t0s1port
name = "Replica"
description = "read only" #@p1t0s1description

[[ projects.tiers ]]
name = "Cache"
ports = "21500-21599" #@p1t1ports

[[projects.tiers.services]]
port = 21500 #@p1t1s0port
name = "Redis"
"""


def marked(marker: str) -> int:
    for number, line in enumerate(TYPICAL.splitlines(), start=1):
        if line.endswith(f"#@{marker}"):
            return number
    raise AssertionError(marker)


@pytest.mark.parametrize(
    ("loc", "marker"),
    [
        (("title",), "title"),
        (("reserved", 1, "ports"), "reserved1"),
        (("reserved", 1, "reason"), "reserved1"),
        (("projects", 0, "name"), "p0name"),
        (("projects", 0, "ports"), "p0ports"),
        (("projects", 0, "tiers", 0, "services", 0, "port"), "p0t0s0"),
        (("projects", 0, "tiers", 0, "services", 2, "description"), "p0t0s2"),
        (("projects", 0, "tiers", 1, "name"), "p0t1name"),
        (("projects", 1, "name"), "p1name"),
        (("projects", 1, "tiers", 0, "services", 1), "p1t0s1"),
        (("projects", 1, "tiers", 0, "services", 1, "port"), "p1t0s1port"),
        (("projects", 1, "tiers", 0, "services", 1, "description"), "p1t0s1description"),
        (("projects", 1, "tiers", 1, "ports"), "p1t1ports"),
        (("projects", 1, "tiers", 1, "services", 0, "port"), "p1t1s0port"),
    ],
)
def test_locations_in_a_typical_file(loc: tuple[int | str, ...], marker: str) -> None:
    assert locate_line(TYPICAL, loc) == marked(marker)


def test_a_missing_key_points_at_its_table() -> None:
    # A required key that is absent: the best line is the table that lacks it.
    assert locate_line(TYPICAL, ("projects", 1, "tiers", 0, "services", 1, "protocol")) == (
        marked("p1t0s1")
    )


def test_an_index_past_the_end_gives_the_nearest_line_or_none() -> None:
    assert locate_line(TYPICAL, ("projects", 5, "name")) is None
    beyond = locate_line(TYPICAL, ("projects", 0, "tiers", 0, "services", 9, "port"))
    assert beyond == marked("p0t0s0")  # the `services = [` line


def test_an_unknown_top_level_key_is_none() -> None:
    assert locate_line(TYPICAL, ("nope",)) is None


def problem_lines(text: str) -> dict[str, int | None]:
    with pytest.raises(PlanError) as raised:
        loads(text, "plan.toml")
    return {problem.place: problem.line for problem in raised.value.problems}


def test_loads_reports_lines_in_array_of_tables_services() -> None:
    text = (
        TYPICAL.replace("port = 21433", "port = 70000")
        .replace('name = "Redis"', 'name = "Redis"\ncolour = "red" #@colour')
        .replace('"name" = "Beta"', '"name" = ""')
    )
    lines = problem_lines(text)
    assert lines == {
        "projects[1].name": marked("p1name"),
        "projects[1].tiers[0].services[1].port": marked("p1t0s1port"),
        "projects[1].tiers[1].services[0].colour": len(text.splitlines()),
    }


def test_loads_reports_lines_in_inline_services_and_reserved() -> None:
    text = TYPICAL.replace('name = "Worker"', 'name = "Worker", protocol = "sctp"').replace(
        '"3306"', '"3306-3000"'
    )
    assert problem_lines(text) == {
        "projects[0].tiers[0].services[2].protocol": marked("p0t0s2"),
        "reserved[1].ports": marked("reserved1"),
    }


def test_rendered_problem_carries_file_and_line() -> None:
    text = TYPICAL.replace("port = 21500", "port = 0")
    with pytest.raises(PlanError) as raised:
        loads(text, "plan.toml")
    assert str(raised.value) == (
        f"plan.toml:{marked('p1t1s0port')}: projects[1].tiers[1].services[0].port: "
        "0 is not a port (1-65535)"
    )


def test_indented_keys_are_found() -> None:
    text = 'title = "x"\n[[projects]]\n  name = "A"\n  ports = "1-5"\n'
    text += '  [[projects.tiers]]\n    name = "T"\n    ports = "1-5"\n'
    assert locate_line(text, ("projects", 0, "name")) == 3
    assert locate_line(text, ("projects", 0, "tiers", 0, "ports")) == 7


def test_a_table_key_after_an_inline_services_list_is_its_own_line() -> None:
    # `name` of the tier comes after services that also have a `name`: report the tier's.
    text = 'title = "x"\n[[projects]]\nname = "A"\nports = "1-5"\n[[projects.tiers]]\n'
    text += 'ports = "1-5"\nservices = [\n    { port = 1, name = "s" },\n]\nname = ""\n'
    assert locate_line(text, ("projects", 0, "tiers", 0, "name")) == 10
    assert problem_lines(text) == {"projects[0].tiers[0].name": 10}
