"""`.env` files: `*_PORT=` values and ports inside URLs, with the line of each key."""

from __future__ import annotations

from pathlib import Path

from portplan.scan.scanner import Target, read_folder
from tests.scan_helpers import write

ENV = """\
# ports of the stack
POSTGRES_PORT=16432
export API_PORT="16080"

DATABASE_URL=postgres://user:secret@localhost:16433/app
CORS_ORIGINS=http://localhost:16000,http://127.0.0.1:16001
INTERNAL_URL=postgres://db:5432/app
KAFKA_BROKERS=localhost:16092,localhost:16093
HOME_PAGE=https://example.org/no-port
PORT=16500
WEIRD_PORT=abc
"""


def read(folder: Path, name: str = ".env") -> list[tuple[int | None, tuple[int, ...], str, str]]:
    write(folder / name, ENV)
    report = read_folder(Target(folder, str(folder), None))
    return [(use.place.line, use.ports, use.role, use.context) for use in report.uses]


def test_port_keys_and_urls_with_lines(tmp_path: Path) -> None:
    assert read(tmp_path) == [
        (2, (16432,), "mentioned", "POSTGRES_PORT"),
        (3, (16080,), "mentioned", "API_PORT"),
        (5, (16433,), "host", "DATABASE_URL"),
        (6, (16000,), "host", "CORS_ORIGINS"),
        (6, (16001,), "host", "CORS_ORIGINS"),
        (7, (5432,), "remote", "INTERNAL_URL"),
        (8, (16092,), "host", "KAFKA_BROKERS"),
        (8, (16093,), "host", "KAFKA_BROKERS"),
        (10, (16500,), "mentioned", "PORT"),
    ]


def test_not_a_port_value_is_noted(tmp_path: Path) -> None:
    write(tmp_path / ".env", ENV)
    report = read_folder(Target(tmp_path, "p", None))
    assert [(note.place.line, note.message) for note in report.notes] == [
        (11, "WEIRD_PORT is not a port number")  # the value is never echoed
    ]


def test_env_file_names(tmp_path: Path) -> None:
    for name in (".env.local", "prod.env", ".env.example"):
        write(tmp_path / name, "WEB_PORT=16001\n")
    write(tmp_path / "env.txt", "WEB_PORT=16002\n")  # not an env file name
    report = read_folder(Target(tmp_path, "p", None))
    assert sorted(report.files) == ["p/.env.example", "p/.env.local", "p/prod.env"]
    assert {use.ports for use in report.uses} == {(16001,)}


def test_variables_inside_env_are_expanded(tmp_path: Path) -> None:
    write(tmp_path / ".env", "DB_PORT=16432\nDATABASE_URL=postgres://localhost:${DB_PORT}/x\n")
    report = read_folder(Target(tmp_path, "p", None))
    assert [(use.place.line, use.ports) for use in report.uses] == [(1, (16432,)), (2, (16432,))]


def test_line_compose_refuses_is_noted_and_stops_the_reading(tmp_path: Path) -> None:
    # Compose refuses the whole file at the first bad line; what came before is still shown.
    write(tmp_path / ".env", "A_PORT=16001\nthis is not an assignment\nB_PORT=16002\n")
    report = read_folder(Target(tmp_path, "p", None))
    assert [use.ports for use in report.uses] == [(16001,)]
    assert [(note.level, note.place.line, note.message) for note in report.notes] == [
        ("warning", 2, "Compose refuses this file: a variable name cannot contain a space")
    ]
