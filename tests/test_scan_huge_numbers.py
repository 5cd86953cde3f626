"""Numbers of more digits than Python's int() converts (4,300): each is a warning on its own
line, never a traceback, and the digits are never echoed.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from portplan.scan.composeports import PortSyntaxError, parse_number
from portplan.scan.scanner import Target, read_folder
from portplan.scan.spans import number_spans
from tests.scan_helpers import write

HUGE = "9" * 5000
POD_JSON = (
    '{\n "apiVersion": "v1",\n "kind": "Pod",\n "spec": {"containers": [{"name": "c",\n'
    f'  "ports": [{{"containerPort": 80,\n   "hostPort": {HUGE}}}]}}]}}\n}}\n'
)

# file name → text, and the line of the warning
CASES = {
    "short quoted": ("compose.yml", f"services:\n  web:\n    ports: ['{HUGE}:80']\n", 3),
    "short unquoted": ("compose.yml", f"services:\n  web:\n    ports:\n      - {HUGE}\n", 4),
    "published": (
        "compose.yml",
        f"services:\n  web:\n    ports:\n      - target: 80\n        published: {HUGE}\n",
        4,  # as for any bad long-syntax entry: the entry's line
    ),
    "target": (
        "compose.yml",
        f"services:\n  web:\n    ports:\n      - published: 16001\n        target: {HUGE}\n",
        4,
    ),
    "default": ("compose.yml", "services:\n  web:\n    ports: ['${X:-" + HUGE + "}:80']\n", 3),
    "hostPort yaml": (
        "pod.yaml",
        "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: c\n    ports:\n"
        f"    - containerPort: 80\n      hostPort: {HUGE}\n",
        8,
    ),
    "hostPort json": ("pod.json", POD_JSON, 6),
}


@pytest.mark.parametrize("case", CASES)
def test_huge_number_is_a_warning_on_its_line(tmp_path: Path, case: str) -> None:
    name, text, line = CASES[case]
    write(tmp_path / name, text)
    report = read_folder(Target(tmp_path, "p", None))
    [note] = report.notes
    assert (note.level, note.place.label, note.place.line) == ("warning", f"p/{name}", line)
    assert "out of range" in note.message or "not a port number" in note.message
    assert "99999" not in note.message and len(note.message) < 200


def test_leading_zeros_beyond_the_limit_still_make_a_port(tmp_path: Path) -> None:
    write(tmp_path / "compose.yml", "services:\n  web:\n    ports: ['" + "0" * 5000 + "1:80']\n")
    report = read_folder(Target(tmp_path, "p", None))
    assert report.notes == []
    assert [use.ports for use in report.uses] == [(1,), (80,)]


def test_huge_env_value_is_a_warning_in_each_file(tmp_path: Path) -> None:
    write(tmp_path / ".env", f"WEB_PORT={HUGE}\n")
    write(tmp_path / "compose.yml", "services:\n  web:\n    ports: ['${WEB_PORT}:80']\n")
    report = read_folder(Target(tmp_path, "p", None))
    places = [(note.place.label, note.place.line) for note in report.notes]
    assert places == [("p/.env", 1), ("p/compose.yml", 3)]
    assert all("99999" not in note.message for note in report.notes)
    assert "host port is out of range (0-65535)" in report.notes[1].message


@pytest.mark.parametrize(
    ("text", "shown"),
    [(HUGE, ""), ("-" + HUGE, ""), ("0" * 5000 + "123456", " 123456"), ("-1234567", " -1234567")],
    ids=["huge", "huge negative", "zeros then six digits", "seven digits"],
)
def test_parse_number_judges_length_before_converting(text: str, shown: str) -> None:
    with pytest.raises(PortSyntaxError) as raised:
        parse_number(text, "port")
    assert str(raised.value) == f"port{shown} is out of range (0-65535)"


def test_leading_zeros_are_not_significant() -> None:
    assert parse_number("0" * 5000 + "80", "port") == 80
    assert parse_number("-" + "0" * 5000, "port") == 0
    assert number_spans("0" * 5000 + "80") == [(0, 5002, 80)]
