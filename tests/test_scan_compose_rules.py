"""Compose files read as compose-go loads them: the port syntax of docker/go-connections
`nat.ParsePortSpec` (cases of `types/types_test.go` TestParsePortConfig and `nat/nat_test.go`),
`extends`, `include`, `network_mode: host`, `!override`/`!reset` and bind addresses — each on
real files in a temporary folder.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from portplan.scan.composeports import PortSyntaxError, ShortPort, parse_short
from portplan.scan.composerefs import MAX_INCLUDED
from portplan.scan.scanner import FolderReport, Target, read_folder
from tests.scan_helpers import write


def scan_entry(folder: Path, entry: str, env: str | None = None) -> FolderReport:
    write(folder / "compose.yaml", f"services:\n  web:\n    ports:\n      - {entry}\n")
    if env is not None:
        write(folder / ".env", env)
    return read_folder(Target(folder, "p", None))


def hosts(report: FolderReport) -> list[tuple[str, tuple[int, ...], str, bool]]:
    return [
        (use.bind, use.ports, use.protocol, use.picks_one)
        for use in report.uses
        if use.role == "host" and use.source == "compose"
    ]


def warnings(report: FolderReport) -> list[tuple[int | None, str]]:
    return [(note.place.line, note.message) for note in report.notes if note.level == "warning"]


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ("80", ShortPort("", None, (80, 80), "tcp")),
        ("80:8080", ShortPort("", (80, 80), (8080, 8080), "tcp")),
        ("80-90:8080", ShortPort("", (80, 90), (8080, 8080), "tcp")),
        ("8080:80/tcp", ShortPort("", (8080, 8080), (80, 80), "tcp")),
        ("80:8080/udp", ShortPort("", (80, 80), (8080, 8080), "udp")),
        ("80-81:8080-8081/tcp", ShortPort("", (80, 81), (8080, 8081), "tcp")),
        ("80-82:8080-8082/udp", ShortPort("", (80, 82), (8080, 8082), "udp")),
        ("80-82:8080/udp", ShortPort("", (80, 82), (8080, 8080), "udp")),
        ("80-80:8080/tcp", ShortPort("", (80, 80), (8080, 8080), "tcp")),
        ("1.1.1.1:80:80", ShortPort("1.1.1.1", (80, 80), (80, 80), "tcp")),
        ("[::1]:80:80", ShortPort("::1", (80, 80), (80, 80), "tcp")),
        ("::1:80:80", ShortPort("::1", (80, 80), (80, 80), "tcp")),
        ("127.0.0.1::80", ShortPort("127.0.0.1", None, (80, 80), "tcp")),
        (":80", ShortPort("", None, (80, 80), "tcp")),
        # Host port 0 is kept by nat ("zero value") and Docker's allocator takes it as "any".
        ("0:80", ShortPort("", None, (80, 80), "tcp")),
        ("127.0.0.1:0:80", ShortPort("127.0.0.1", None, (80, 80), "tcp")),
        ("0-0:80", ShortPort("", None, (80, 80), "tcp")),
        ("80/SCTP", ShortPort("", None, (80, 80), "sctp")),
        ("0080:80", ShortPort("", (80, 80), (80, 80), "tcp")),  # Go's ParseInt takes zeros
        ("+80:80", ShortPort("", (80, 80), (80, 80), "tcp")),  # and a plus sign
    ],
)
def test_nat_accepts(entry: str, expected: ShortPort) -> None:
    assert parse_short(entry) == expected


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        ("9999999", "container port 9999999 is out of range (0-65535)"),
        ("80/xyz", "unknown protocol (Compose takes tcp, udp or sctp)"),
        ("tcp", "container port is not a number (ASCII digits only, no spaces)"),
        ("", "no container port"),
        ("8080:", "no container port"),
        ("localhost:1234:1234", "the host address is not an IP address"),
        ("127.0.1:8080:80", "the host address is not an IP address"),
        ("80-81:8080-8082", "the host range has 2 ports and the container range 3"),
        ("80:8080-8081", "the host range has 1 ports and the container range 2"),
        (" 8080:80", "host port is not a number (ASCII digits only, no spaces)"),
        ("8080 :80", "host port is not a number (ASCII digits only, no spaces)"),
        ("²:80", "host port is not a number (ASCII digits only, no spaces)"),
        ("٨٠٨٠:80", "host port is not a number (ASCII digits only, no spaces)"),
        ("90-80:80", "host port range 90-80 runs backwards"),
        ("[::1:80:80", "a bracketed host address must end with ']'"),
        ("fe80::1%eth0:80:80", "the host address has a zone"),
    ],
)
def test_nat_refuses(entry: str, problem: str) -> None:
    with pytest.raises(PortSyntaxError) as raised:
        parse_short(entry)
    assert str(raised.value).startswith(problem)


@pytest.mark.parametrize(
    "entry", ['"²:80"', '"٨٠٨٠:80"', '"localhost:1234:1234"', '"127.0.1:8080:80"', '"80/xyz"']
)
def test_refused_entry_is_a_finding_on_its_line_and_the_scan_goes_on(
    tmp_path: Path, entry: str
) -> None:
    write(
        tmp_path / "compose.yaml",
        f'services:\n  web:\n    ports:\n      - {entry}\n      - "8081:81"\n',
    )
    report = read_folder(Target(tmp_path, "p", None))
    assert hosts(report) == [("", (8081,), "tcp", False)]
    [(line, message)] = warnings(report)
    assert line == 4 and message.startswith("web: ports ")


def test_non_ascii_digits_in_env_are_not_ports(tmp_path: Path) -> None:
    report = scan_entry(tmp_path, '"${WEB_PORT}:80"', "WEB_PORT=²\nOTHER_PORT=٨٠٨٠\n")
    assert hosts(report) == []
    assert sorted(line for line, _ in warnings(report)) == [1, 2, 4]
    assert not any(use.ports == (8080,) for use in report.uses)


def test_dynamic_host_range_is_one_use_of_a_range(tmp_path: Path) -> None:
    report = scan_entry(tmp_path, '"80-90:8080"')
    assert hosts(report) == [("", tuple(range(80, 91)), "tcp", True)]
    [use] = [use for use in report.uses if use.role == "host"]
    assert use.port_text() == "one of 80-90"


@pytest.mark.parametrize(
    ("entries", "env"),
    [
        (['"0:80"', '"0:81"'], None),
        (['"127.0.0.1:0:80"', "{target: 81, published: 0}"], None),
        (['{target: 80, published: "0"}', '":81"'], None),
        (['{target: 80, published: "${WEB_PORT}"}', '"${OTHER_PORT}:81"'], "OTHER_PORT=\n"),
    ],
)
def test_a_host_port_docker_picks_is_no_host_port_and_no_clash(
    tmp_path: Path, entries: list[str], env: str | None
) -> None:
    listed = "".join(f"      - {entry}\n" for entry in entries)
    write(tmp_path / "compose.yaml", f"services:\n  web:\n    ports:\n{listed}")
    if env is not None:
        write(tmp_path / ".env", env)
    report = read_folder(Target(tmp_path, "p", None))
    assert hosts(report) == []
    containers = [use.ports for use in report.uses if use.role == "container"]
    assert containers == [(80,), (81,)]
    unset = [message for _, message in warnings(report)]
    assert all("is not set" in message for message in unset)  # and no refusal, no clash
    assert len(unset) == (1 if env is not None else 0)


@pytest.mark.parametrize("published", ["true", "[16000]", "{a: 1}"])
def test_a_published_that_is_no_port_is_refused_on_its_line(tmp_path: Path, published: str) -> None:
    report = scan_entry(tmp_path, f"{{target: 80, published: {published}}}")
    assert hosts(report) == []
    assert warnings(report) == [
        (4, "web: ports (long syntax): `published` is neither a port string nor a number")
    ]


@pytest.mark.parametrize(
    ("entry", "bind", "text"),
    [
        ('"127.0.0.1:8080:80"', "127.0.0.1", "127.0.0.1:8080"),
        ('"[::1]:8080:80"', "::1", "[::1]:8080"),
        ('"192.168.1.100:8080:80"', "192.168.1.100", "192.168.1.100:8080"),
        ('"0.0.0.0:8080:80"', "0.0.0.0", "0.0.0.0:8080"),
        ('"8080:80"', "", "8080"),
        ("{target: 80, published: 8080, host_ip: 10.0.0.2}", "10.0.0.2", "10.0.0.2:8080"),
    ],
)
def test_bind_address_is_kept(tmp_path: Path, entry: str, bind: str, text: str) -> None:
    report = scan_entry(tmp_path, entry)
    [use] = [use for use in report.uses if use.role == "host"]
    assert (use.bind, use.port_text()) == (bind, text)
    assert use.as_dict()["bind"] == (bind or None)


def test_network_mode_host_discards_ports(tmp_path: Path) -> None:
    write(
        tmp_path / "compose.yaml",
        "services:\n  web:\n    network_mode: host\n    ports:\n      - 8080:80\n"
        "  api:\n    ports: ['9090:90']\n",
    )
    report = read_folder(Target(tmp_path, "p", None))
    assert hosts(report) == [("", (9090,), "tcp", False)]
    [(line, message)] = warnings(report)
    assert line == 4 and "network_mode: host, so Compose discards `ports:`" in message


@pytest.mark.parametrize(
    ("mode", "env", "host_network"),
    [
        ('"${NET_MODE}"', "NET_MODE=host\n", True),
        ('"${NET_MODE:-host}"', None, True),
        ('"${NET_MODE:-host}"', "NET_MODE=bridge\n", False),
        ('"$${NET_MODE}"', "NET_MODE=host\n", False),  # `$$` is a literal dollar
    ],
)
def test_network_mode_is_interpolated_as_every_value(
    tmp_path: Path, mode: str, env: str | None, host_network: bool
) -> None:
    write(
        tmp_path / "compose.yaml",
        f"services:\n  web:\n    network_mode: {mode}\n    ports:\n      - 16000:80\n",
    )
    if env is not None:
        write(tmp_path / ".env", env)
    report = read_folder(Target(tmp_path, "p", None))
    assert hosts(report) == ([] if host_network else [("", (16000,), "tcp", False)])
    discarded = [line for line, message in warnings(report) if "discards `ports:`" in message]
    assert discarded == ([4] if host_network else [])


def test_extends_file_is_followed_whatever_its_name(tmp_path: Path) -> None:
    write(tmp_path / "shared" / "base.yaml", "services:\n  base:\n    ports:\n      - 7070:70\n")
    write(
        tmp_path / "compose.yaml",
        "services:\n  web:\n    extends:\n      file: shared/base.yaml\n      service: base\n"
        "    ports:\n      - 8080:80\n",
    )
    report = read_folder(Target(tmp_path, "p", None))
    assert [(u.place.label, u.place.line, u.ports) for u in report.uses if u.role == "host"] == [
        ("p/shared/base.yaml", 4, (7070,)),
        ("p/compose.yaml", 7, (8080,)),
    ]


def test_extends_outside_the_folder_and_in_the_same_file(tmp_path: Path) -> None:
    write(tmp_path / "common" / "web.yml", "services:\n  w:\n    ports: ['6060:60']\n")
    write(
        tmp_path / "app" / "docker-compose.yml",
        "services:\n  base:\n    expose: ['5000']\n    ports: ['5050:50']\n"
        "  web:\n    extends: base\n    ports: !override\n      - 5151:51\n"
        "  other:\n    extends: {file: ../common/web.yml, service: w}\n",
    )
    report = read_folder(Target(tmp_path / "app", "app", None))
    found = {(u.place.label, u.place.line, u.ports) for u in report.uses if u.role == "host"}
    assert found == {
        ("app/docker-compose.yml", 4, (5050,)),
        ("app/docker-compose.yml", 8, (5151,)),
        (str(tmp_path / "common" / "web.yml"), 3, (6060,)),
    }


def test_reset_drops_the_base_ports(tmp_path: Path) -> None:
    write(
        tmp_path / "compose.yaml",
        "services:\n  base:\n    image: x\n  web:\n    extends: base\n    ports: !reset []\n"
        "  b2:\n    ports: ['4040:40']\n  web2:\n    extends: b2\n    ports: !reset []\n",
    )
    report = read_folder(Target(tmp_path, "p", None))
    assert [(u.place.line, u.ports) for u in report.uses if u.role == "host"] == [(8, (4040,))]


def test_tagged_lists_keep_each_entrys_line(tmp_path: Path) -> None:
    write(
        tmp_path / "compose.yaml",
        "services:\n  web:\n    ports: !override\n      - 8080:80\n      - 9090:90\n",
    )
    report = read_folder(Target(tmp_path, "p", None))
    assert [(u.place.line, u.ports) for u in report.uses if u.role == "host"] == [
        (4, (8080,)),
        (5, (9090,)),
    ]


def test_include_is_followed_with_its_own_env(tmp_path: Path) -> None:
    write(tmp_path / "db" / "stack.yml", "services:\n  db:\n    ports: ['${DB_PORT}:5432']\n")
    write(tmp_path / "db" / ".env", "DB_PORT=15432\n")
    write(tmp_path / "compose.yaml", "include:\n  - db/stack.yml\nservices: {}\n")
    report = read_folder(Target(tmp_path, "p", None))
    assert sorted((u.place.label, u.place.line, u.ports, u.source) for u in report.uses) == [
        ("p/db/.env", 1, (15432,), "env"),  # it feeds a published port: a host port
        ("p/db/stack.yml", 3, (5432,), "compose"),
        ("p/db/stack.yml", 3, (15432,), "compose"),
    ]


@pytest.mark.parametrize(
    ("included_env", "env_file"),
    [
        ({"db/.env": "DB_PORT=${BASE:-5432}\n"}, None),
        (
            {"db/first.env": "DB_BASE=${BASE:-5400}\n", "db/second.env": "DB_PORT=${DB_BASE}\n"},
            ["db/first.env", "db/second.env"],
        ),
    ],
)
def test_an_included_env_reads_the_including_projects_values_first(
    tmp_path: Path, included_env: dict[str, str], env_file: list[str] | None
) -> None:
    # compose-go's ApplyInclude reads an included project's env files with GetEnvFromFile
    # and the including project's environment: a name is looked up there first, then in the
    # files before, then above it in its own file.
    write(tmp_path / "db" / "stack.yml", "services:\n  db:\n    ports: ['${DB_PORT}:5432']\n")
    for name, text in included_env.items():
        write(tmp_path / name, text)
    write(tmp_path / ".env", "BASE=16400\n")
    spec = "db/stack.yml" if env_file is None else f"{{path: db/stack.yml, env_file: {env_file}}}"
    write(tmp_path / "compose.yaml", f"include:\n  - {spec}\nservices: {{}}\n")
    report = read_folder(Target(tmp_path, "p", None))
    published = [
        u.ports for u in report.uses if u.place.label == "p/db/stack.yml" and u.role == "host"
    ]
    assert published == [(16400,)]


def test_include_cycle_and_missing_target_are_notes(tmp_path: Path) -> None:
    write(tmp_path / "compose.yaml", "include:\n  - compose.yaml\n  - missing.yml\nservices: {}\n")
    report = read_folder(Target(tmp_path, "p", None))
    messages = [message for _, message in warnings(report)]
    assert "include loops back to p/compose.yaml" in messages
    assert any("missing.yml, which does not exist" in message for message in messages)


@pytest.mark.parametrize("back", ["[compose.yml]", "[compose.yml, other.yml]"])
def test_a_branching_include_loop_is_stopped_where_it_loops(tmp_path: Path, back: str) -> None:
    # Found by depth alone, the two branches at every step made about 2**32 paths.
    write(tmp_path / "compose.yml", "include: [other.yml, other.yml]\nservices: {}\n")
    write(tmp_path / "other.yml", f"include: {back}\nservices:\n  db:\n    ports: ['16001:1']\n")
    report = read_folder(Target(tmp_path, "p", None))
    loops = [(note.place.label, note.place.line, note.message) for note in report.notes]
    looped = ["p/compose.yml", "p/other.yml"][: back.count(",") + 1]
    assert loops == [("p/other.yml", 1, f"include loops back to {name}") for name in looped]
    assert [use.ports for use in report.uses if use.role == "host"] == [(16001,)]


def test_includes_that_branch_without_a_loop_stop_at_the_limit(tmp_path: Path) -> None:
    # 40 levels of two files, each including both of the next level: no loop, 2**40 paths.
    for level in range(40):
        for side in "ab":
            includes = f"[l{level + 1}a.yml, l{level + 1}b.yml]" if level < 39 else "[]"
            write(tmp_path / f"l{level}{side}.yml", f"include: {includes}\nservices: {{}}\n")
    write(tmp_path / "compose.yml", "include: [l0a.yml, l0b.yml]\nservices: {}\n")
    report = read_folder(Target(tmp_path, "p", None))
    messages = {message for _, message in warnings(report)}
    assert f"include: over {MAX_INCLUDED} files included in all; not followed" in messages


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('${CFG:-{"json":1}}', '{"json":1}'),
        ("${CFG:-{a}}x", "{a}x"),
        ("${CFG:-${P:-8}}:80", "8:80"),
        ("${CFG-a}${CFG:-b}", "ab"),
    ],
)
def test_defaults_with_braces_interpolate_as_compose_go(value: str, expected: str) -> None:
    from portplan.scan.interpolate import interpolate

    assert interpolate(value, {})[0] == expected


def test_braced_default_in_a_port(tmp_path: Path) -> None:
    report = scan_entry(tmp_path, '"${WEB:-{8080}}:80"')
    # compose-go gives `{8080}:80`, which nat then refuses: a finding, not port 8080.
    assert hosts(report) == []
    assert warnings(report)[0][0] == 4


def test_a_base_named_like_a_compose_file_is_reported_once(tmp_path: Path) -> None:
    write(tmp_path / "docker-compose.base.yml", "services:\n  base:\n    ports: ['7070:70']\n")
    write(
        tmp_path / "docker-compose.yml",
        "services:\n  web:\n    extends: {file: docker-compose.base.yml, service: base}\n"
        "  api:\n    extends: web\n",
    )
    report = read_folder(Target(tmp_path, "p", None))
    assert [(u.place.label, u.ports) for u in report.uses if u.role == "host"] == [
        ("p/docker-compose.base.yml", (7070,))
    ]
