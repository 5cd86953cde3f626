"""Compose `ports:` in every syntax, read from real files through the folder reader."""

from __future__ import annotations

from pathlib import Path

from portplan.scan.scanner import Target, read_folder
from portplan.scan.uses import PortUse
from tests.scan_helpers import write


def uses_of(folder: Path) -> list[PortUse]:
    report = read_folder(Target(folder, str(folder), None))
    return report.uses


def host_ports(uses: list[PortUse]) -> dict[int, tuple[int, str]]:
    """host port → (line, protocol)"""
    return {
        port: (use.place.line or 0, use.protocol)
        for use in uses
        if use.role == "host"
        for port in use.ports
    }


SHORT = """\
services:
  db:
    image: postgres
    ports:
      - "16432:5432"
      - "127.0.0.1:16000:3000"
      - "[::1]:6001:6002"
      - "9090-9091:8080-8081"
      - "6060:6060/udp"
      - "3000"
      - 22:22
      - 3100
      - "127.0.0.1::3200"
"""


def test_short_syntax_host_ports_with_lines(tmp_path: Path) -> None:
    write(tmp_path / "docker-compose.yml", SHORT)
    uses = uses_of(tmp_path)
    assert host_ports(uses) == {
        16432: (5, "tcp"),
        16000: (6, "tcp"),
        6001: (7, "tcp"),
        9090: (8, "tcp"),
        9091: (8, "tcp"),
        6060: (9, "udp"),
        22: (11, "tcp"),
    }


def test_base_60_trap_stays_a_port_mapping(tmp_path: Path) -> None:
    # YAML 1.1 would read the unquoted 22:22 as 22*60+22 = 1342.
    write(tmp_path / "compose.yaml", "services:\n  ssh:\n    ports:\n      - 22:22\n")
    uses = uses_of(tmp_path)
    assert [(use.role, use.ports) for use in uses] == [("host", (22,)), ("container", (22,))]
    assert all(1342 not in use.ports for use in uses)


def test_bare_port_is_a_container_port_only(tmp_path: Path) -> None:
    write(tmp_path / "compose.yml", SHORT)
    uses = uses_of(tmp_path)
    bare = [use for use in uses if use.place.line in (10, 12, 13)]
    assert {use.role for use in bare} == {"container"}
    assert sorted(port for use in bare for port in use.ports) == [3000, 3100, 3200]


def test_range_maps_container_ranges(tmp_path: Path) -> None:
    write(tmp_path / "docker-compose.yaml", SHORT)
    containers = [
        use.ports for use in uses_of(tmp_path) if use.role == "container" and use.place.line == 8
    ]
    assert containers == [(8080, 8081)]


def test_long_syntax(tmp_path: Path) -> None:
    write(
        tmp_path / "docker-compose.yml",
        """\
services:
  web:
    ports:
      - target: 80
        published: "16080"
        host_ip: 127.0.0.1
        protocol: tcp
      - target: 53
        published: 16053
        protocol: udp
      - target: 9000
""",
    )
    uses = uses_of(tmp_path)
    assert host_ports(uses) == {16080: (5, "tcp"), 16053: (9, "udp")}
    containers = {use.ports[0]: use.place.line for use in uses if use.role == "container"}
    assert containers == {80: 4, 53: 8, 9000: 11}


def test_interpolation_from_env_beside_the_file(tmp_path: Path) -> None:
    write(tmp_path / ".env", "PG_PORT=16433\nEMPTY=\nWEB=16001\n")
    write(
        tmp_path / "docker-compose.yml",
        """\
services:
  db:
    ports:
      - "${PG_PORT}:5432"
      - "${UNSET:-16434}:5432"
      - "${EMPTY:-16435}:5432"
      - "$WEB:80"
      - target: 80
        published: ${PG_PORT-1}
""",
    )
    uses = uses_of(tmp_path)
    compose_hosts = {
        port: line
        for port, (line, _) in host_ports([use for use in uses if use.source == "compose"]).items()
    }
    assert compose_hosts == {16433: 9, 16434: 5, 16435: 6, 16001: 7}
    assert [
        use.place.line
        for use in uses
        if use.source == "compose" and 16433 in use.ports and use.role == "host"
    ] == [4, 9]


def test_double_dollar_is_literal_and_unset_variable_is_noted(tmp_path: Path) -> None:
    write(
        tmp_path / "docker-compose.yml",
        """\
services:
  app:
    ports:
      - "$$PORT:80"
      - "${NOT_SET}:81"
""",
    )
    report = read_folder(Target(tmp_path, "x", None))
    assert host_ports(report.uses) == {}
    messages = [(note.place.line, note.message) for note in report.notes]
    assert (
        4,
        "app: ports '$$PORT:80': host port is not a number (ASCII digits only, no spaces)",
    ) in messages
    assert any(line == 5 and "NOT_SET is not set" in text for line, text in messages)


def test_overrides_and_other_compose_names_are_read(tmp_path: Path) -> None:
    for name, port in [
        ("docker-compose.override.yml", 16001),
        ("compose.prod.yaml", 16002),
        ("docker-compose.dev.yaml", 16003),
    ]:
        write(tmp_path / name, f"services:\n  a:\n    ports: ['{port}:80']\n")
    assert sorted(host_ports(uses_of(tmp_path))) == [16001, 16002, 16003]


def test_bad_entry_is_noted_and_others_still_read(tmp_path: Path) -> None:
    write(
        tmp_path / "compose.yaml",
        """\
services:
  a:
    ports:
      - "abc:80"
      - "16001:80"
      - "70000:80"
""",
    )
    report = read_folder(Target(tmp_path, "f", None))
    assert sorted(host_ports(report.uses)) == [16001]
    assert [note.place.line for note in report.notes] == [4, 6]
