"""Files made to hurt a scan: each is reported with its name and the scan goes on, fast, with
no value of the file echoed in a message.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from portplan.scan.scanner import Target, read_folder
from tests.scan_helpers import write

BILLION_LAUGHS = """\
apiVersion: v1
kind: List
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
services:
  web:
    ports: *i
"""


@pytest.mark.parametrize("name", ["compose.yaml", "deploy.yaml"])
def test_billion_laughs_is_refused(tmp_path: Path, name: str) -> None:
    write(tmp_path / name, BILLION_LAUGHS)
    write(tmp_path / ".env", "WEB_URL=http://localhost:16000\n")
    report = read_folder(Target(tmp_path, "p", None))
    [note] = report.notes
    assert (note.level, note.place.label) == ("warning", f"p/{name}")
    assert "aliases expand to over 200,000 nodes" in note.message
    assert [use.ports for use in report.uses] == [(16000,)]  # the other file is still read


def test_recursive_alias_is_refused(tmp_path: Path) -> None:
    write(tmp_path / "compose.yaml", "services: &s\n  web:\n    x: *s\n")
    report = read_folder(Target(tmp_path, "p", None))
    assert ["aliases expand" in note.message for note in report.notes] == [True]


def test_fifo_named_env_is_reported_not_opened_for_reading(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / ".env")
    write(tmp_path / "compose.yaml", "services:\n  web:\n    ports: ['${P:-16001}:80']\n")
    report = read_folder(Target(tmp_path, "p", None))
    assert [(note.place.label, note.message) for note in report.notes] == [
        ("p/.env", "skipped: a named pipe (FIFO), not a regular file")
    ]
    assert (16001,) in [use.ports for use in report.uses]


@pytest.mark.parametrize("quoted", [False, True])
def test_one_megabyte_token_in_env(tmp_path: Path, quoted: bool) -> None:
    token = "x" * 1_000_000
    value = f'"{token}' if quoted else token  # an unterminated quote runs to the end
    write(tmp_path / ".env", f"A_PORT=16001\nSECRET={value}\n")
    report = read_folder(Target(tmp_path, "p", None))
    assert [use.ports for use in report.uses] == [(16001,)]
    assert all(len(note.message) < 200 for note in report.notes)


def test_long_line_in_yaml_is_refused(tmp_path: Path) -> None:
    write(tmp_path / "compose.yaml", "services:\n  web:\n    image: " + "x" * 70_000 + "\n")
    report = read_folder(Target(tmp_path, "p", None))
    assert [(note.place.line, note.message) for note in report.notes] == [
        (3, "a line over 65,536 characters; not read")
    ]


def test_env_link_out_of_the_folder_is_never_opened(tmp_path: Path) -> None:
    outside = write(tmp_path / "outside" / "secrets.env", "WEB_PORT=hunter2-secret\n")
    project = tmp_path / "project"
    write(project / "compose.yaml", "services:\n  web:\n    ports: ['${WEB_PORT}:80']\n")
    (project / ".env").symlink_to(outside)
    os.chmod(outside, 0)  # opening it would fail loudly if anything tried (as non-root)
    report = read_folder(Target(project, "project", None))
    os.chmod(outside, 0o644)
    text = "\n".join(str(note) for note in report.notes)
    assert "hunter2" not in text
    assert "project/.env: symbolic link to a file outside the scanned folder; not followed" in text
    assert "variable WEB_PORT is not set" in text


def test_no_value_is_echoed(tmp_path: Path) -> None:
    write(tmp_path / ".env", "WEB_PORT=hunter2\nAPI_PORT=${X:?hunter3}\n")
    write(
        tmp_path / "compose.yaml",
        "services:\n  web:\n    ports: ['${WEB_PORT}:80', '${WEB_PORT}x:80', '\x1b[2Jz:80']\n",
    )
    report = read_folder(Target(tmp_path, "p", None))
    text = "\n".join(str(note) for note in report.notes)
    assert "hunter" not in text and "\x1b" not in text
    assert "WEB_PORT is not a port number" in text


def test_device_files_are_skipped(tmp_path: Path) -> None:
    (tmp_path / ".env").symlink_to("/dev/zero")  # a link out of the folder: refused
    write(tmp_path / "compose.yaml", "include:\n  - /dev/zero\nservices: {}\n")
    report = read_folder(Target(tmp_path, "p", None))
    messages = [note.message for note in report.notes]
    assert "skipped: a device, not a regular file" in messages


def test_deeply_nested_default_in_env_is_a_warning(tmp_path: Path) -> None:
    write(tmp_path / ".env", "WEB_PORT=16001\nA=" + "${X:-" * 1000 + "1" + "}" * 1000 + "\n")
    write(tmp_path / "compose.yaml", "services:\n  web:\n    ports: ['${A}:80']\n")
    report = read_folder(Target(tmp_path, "p", None))
    places = [(note.place.label, note.place.line, note.message) for note in report.notes]
    assert places[0] == ("p/.env", 2, "Compose refuses this file: variables nested too deeply")
    assert (16001,) in [use.ports for use in report.uses]


def test_deeply_nested_default_in_compose_is_a_warning(tmp_path: Path) -> None:
    entry = "${X:-" * 1000 + "1" + "}" * 1000 + ":80"
    write(tmp_path / "compose.yaml", f"services:\n  web:\n    ports: ['{entry}', '16001:80']\n")
    report = read_folder(Target(tmp_path, "p", None))
    [note] = report.notes
    assert note.place.line == 3
    assert note.message.endswith("Compose refuses it: variables nested too deeply")
    assert (16001,) in [use.ports for use in report.uses]


def test_variables_that_double_each_other_are_refused_at_the_cap(tmp_path: Path) -> None:
    lines = ["WEB_PORT=16001", "V0=x"] + [f"V{i}=${{V{i - 1}}}${{V{i - 1}}}" for i in range(1, 41)]
    write(tmp_path / ".env", "\n".join(lines) + "\n")  # 5 GB for V40 if it were filled in
    write(tmp_path / "compose.yaml", "services:\n  web:\n    ports: ['${V40}:80']\n")
    report = read_folder(Target(tmp_path, "p", None))
    first = report.notes[0]
    assert (first.place.label, first.place.line) == ("p/.env", 19)  # V17: 128 KiB
    assert first.message == (
        "Compose refuses this file: the value is over 64 KiB once its variables are filled in"
    )
    assert (16001,) in [use.ports for use in report.uses]


def test_a_yaml_1_1_directive_does_not_hide_a_port(tmp_path: Path) -> None:
    # Under YAML 1.1 `22:22` is the base-60 number 1342; Compose reads 1.2 whatever it says.
    write(
        tmp_path / "compose.yaml", "%YAML 1.1\n---\nservices:\n  ssh:\n    ports:\n      - 22:22\n"
    )
    report = read_folder(Target(tmp_path, "p", None))
    assert report.notes == []
    hosts = [(use.place.line, use.ports) for use in report.uses if use.role == "host"]
    assert hosts == [(6, (22,))]
    [use] = [use for use in report.uses if use.role == "host"]
    assert [(span.start, span.end) for span in use.spans] == [(50, 52)]  # the first 22, exactly


def test_whole_range_entries_stop_at_a_bound_with_one_warning(tmp_path: Path) -> None:
    # Each port of a range is checked on its own: a few hundred `1-65535:1-65535` entries
    # held 40 million uses' worth of ports and took 5 GB.
    from portplan.scan.compose import MAX_PORTS_PER_FILE

    entries = "".join("      - '1-65535:1-65535'\n" for _ in range(10))
    (tmp_path / "compose.yaml").write_text(f"services:\n  web:\n    ports:\n{entries}")
    report = read_folder(Target(tmp_path, "p", None))
    assert sum(len(use.ports) for use in report.uses) <= MAX_PORTS_PER_FILE
    assert len([use for use in report.uses if use.role == "host"]) == 4
    warnings = [(note.place.line, note.message) for note in report.notes]
    assert warnings == [
        (8, f"over {MAX_PORTS_PER_FILE:,} ports in all from here on; the rest are not read")
    ]
