"""No machine format lets a control or bidi character from a plan, a file or a process through.

GitHub annotations, CSV, .env, sysctl and netsh files, JSON and SARIF are read by programs,
but also shown: in a CI log, a terminal, an editor. Each keeps its own quoting and escaping,
and on top of it every character that could command a terminal or reorder a line is written
as an escape. A plan whose names hold OSC 52, `ESC [2J`, CSI as the C1 byte 0x9B, NEL (0x85)
and a bidi override is run through each.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from portplan.probe import Listener, Sockets
from portplan.terminal import visible
from tests.test_terminal_text import toml_string

RunCli = Callable[..., tuple[int, str, str]]

HOSTILE = "A\x1b]52;c;aGk=\x07B\x1b[2J\x9b31m\u202e\x85"
# What a machine format must never write raw: C0 controls but tab and newline, DEL, C1
# controls, the bidi embeddings, overrides and isolates.
RAW = "".join(chr(c) for c in (*range(0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0)))
RAW += "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"

PLAN = f"""\
title = {toml_string("Plan" + HOSTILE)}
reserved = [{{ ports = "20900", reason = {toml_string("Kept" + HOSTILE)} }}]

[[projects]]
name = {toml_string("Evil" + HOSTILE)}
ports = "20000-20999"
description = {toml_string("About" + HOSTILE)}

[[projects.tiers]]
name = {toml_string("Web" + HOSTILE)}
ports = "20000-20099"
description = {toml_string("Tier" + HOSTILE)}
services = [
    {{ port = 20000, name = {toml_string("Front" + HOSTILE)}, description = {toml_string("UI" + HOSTILE)} }},
    {{ port = 20000, name = {toml_string("Back" + HOSTILE)} }},
    {{ port = 20500, name = {toml_string("Outside" + HOSTILE)} }},
    {{ port = 20900, name = {toml_string("Kept" + HOSTILE)} }},
]
"""  # noqa: E501


def assert_clean(text: str) -> None:
    raw = [char for char in text if char in RAW]
    assert not raw, f"raw {raw!r} in {text!r}"


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    folder = tmp_path / f"dir{HOSTILE}"
    folder.mkdir()
    path = folder / "ports.toml"
    path.write_text(PLAN, encoding="utf-8")
    return path


def test_github_annotations_of_check_show_hostile_names_escaped(
    plan: Path, run_cli: RunCli
) -> None:
    code, out, err = run_cli("check", str(plan), "--format", "github")
    assert code == 1 and "Traceback" not in err
    lines = out.splitlines()
    assert lines and all(line.startswith("::") for line in lines)
    assert visible("Front" + HOSTILE) in out
    # The path is a property: still percent-encoded after it is escaped.
    assert "file=" + visible(str(plan)).replace(":", "%3A").replace(",", "%2C") in out
    assert_clean(out)
    assert_clean(err)


def test_github_annotations_keep_the_runner_escaping(plan: Path, run_cli: RunCli) -> None:
    from portplan.report.github import shown

    assert shown("100%\r\n\x1b") == "100%\r\n\\x1b"


def test_github_annotations_of_scan_show_hostile_file_text_escaped(
    plan: Path, run_cli: RunCli
) -> None:
    project = plan.parent / f"app{HOSTILE}"
    project.mkdir()
    (project / "compose.yaml").write_text(
        'services:\n  "web\\e]52;c;aGk=\\a\\u202e\\x85":\n    ports: ["20777:80"]\n',
        encoding="utf-8",
    )
    code, out, err = run_cli(
        "scan", str(plan), str(project), "--project", "Evil" + HOSTILE, "--format", "github"
    )
    assert "Traceback" not in err and out.startswith("::")
    assert_clean(out)


def hostile_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """A listener in the plan's range whose process named itself with escapes (prctl)."""
    sockets = Sockets([Listener(20050, "tcp", "127.0.0.1", 4242, "srv" + HOSTILE)])
    monkeypatch.setattr("portplan.probe.read_sockets", lambda: sockets)


def test_github_annotations_of_probe_show_a_hostile_process_name_escaped(
    plan: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    hostile_process(monkeypatch)
    code, out, err = run_cli("probe", str(plan), "--format", "github")
    assert code == 1 and "Traceback" not in err
    assert visible("srv" + HOSTILE) in out
    assert_clean(out)


@pytest.mark.parametrize(
    ("fmt", "place", "written_as"),
    [
        ("csv", "project 'Evil", "a CSV file"),
        ("env", "project 'Evil", "a .env file"),
        ("sysctl", "project 'Evil", "a sysctl file"),
        ("netsh", "project 'Evil", "a netsh script"),
    ],
)
def test_export_refuses_a_control_character_it_would_write_raw(
    plan: Path, run_cli: RunCli, tmp_path: Path, fmt: str, place: str, written_as: str
) -> None:
    target = tmp_path / "out.txt"
    for output in ((), ("-o", str(target))):
        code, out, err = run_cli("export", str(plan), "--format", fmt, *output)
        assert (code, out) == (2, "")
        assert err.startswith(f"portplan: {visible(place)}")
        assert f"contains the control character U+001B, which {written_as} would pass" in err
        assert err.endswith("; remove it, or export as json\n") and err.count("\n") == 1
        assert_clean(err)
    assert not target.exists()


@pytest.mark.parametrize(
    ("field", "place"),
    [
        ("tier", "tier 'P/T"),
        ("service", "service 'P/T/S"),
        ("description", "service 'P/T/S' description"),
    ],
)
@pytest.mark.parametrize("char", ["\x85", "\u202e", "\u2066", "\x00", "\r", "\x7f"])
def test_csv_names_the_field_that_holds_the_character(field: str, place: str, char: str) -> None:
    from portplan.exporters import ExportError, export
    from portplan.store import loads

    names = {"tier": "T", "service": "S", "description": "d"}
    names[field] += char
    plan = loads(
        '[[projects]]\nname = "P"\nports = "1-9"\n[[projects.tiers]]\n'
        f'name = {toml_string(names["tier"])}\nports = "1-9"\n'
        f"services = [{{ port = 1, name = {toml_string(names['service'])}, "
        f"description = {toml_string(names['description'])} }}]\n"
    )
    with pytest.raises(ExportError) as raised:
        export(plan, "csv")
    assert str(raised.value).startswith(place)
    assert f"U+{ord(char):04X}" in str(raised.value)


def test_env_refuses_only_the_exported_project(plan: Path, run_cli: RunCli) -> None:
    text = plan.read_text(encoding="utf-8")
    plan.write_text(
        text + '\n[[projects]]\nname = "Calm"\nports = "21000-21099"\n[[projects.tiers]]\n'
        'name = "W"\nports = "21000-21099"\nservices = [{ port = 21000, name = "api" }]\n',
        encoding="utf-8",
    )
    code, out, err = run_cli("export", str(plan), "--format", "env", "--project", "Calm")
    assert (code, out, err) == (0, "# Calm (21000-21099)\nCALM_API_PORT=21000\n", "")


JSON_COMMANDS = {
    "check": lambda p: ["check", str(p)],
    "where": lambda p: ["where", "20000", str(p)],
    "next": lambda p: ["next", "Evil" + HOSTILE, str(p)],
    "diff": lambda p: ["diff", str(p.with_name("old.toml")), str(p)],
    "probe": lambda p: ["probe", str(p)],
    "scan": lambda p: ["scan", str(p), str(p.parent), "--project", "Evil" + HOSTILE],
    "export": lambda p: ["export", str(p)],
}
JSON_CASES = [
    *((command, "json") for command in JSON_COMMANDS),
    *((command, "sarif") for command in ("check", "where", "probe", "scan")),
]


def strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


@pytest.mark.parametrize(("command", "fmt"), JSON_CASES)
def test_json_and_sarif_write_every_control_and_bidi_character_escaped(
    plan: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch, command: str, fmt: str
) -> None:
    hostile_process(monkeypatch)
    old = PLAN.replace("port = 20000, name", "port = 20001, name", 1)
    plan.with_name("old.toml").write_text(old, encoding="utf-8")
    code, out, err = run_cli(*JSON_COMMANDS[command](plan), "--format", fmt)
    assert "Traceback" not in err
    assert_clean(out)
    assert "\\u0085" in out and "\\u202e" in out and "\\u009b" in out
    # Written escaped, read back as the plan has it.
    assert any(HOSTILE in text for text in strings(json.loads(out)))


def test_a_bad_plan_as_json_writes_its_error_escaped(tmp_path: Path, run_cli: RunCli) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(PLAN + f"{toml_string(HOSTILE)} = 1\n", encoding="utf-8")
    code, out, err = run_cli("check", str(path), "--format", "json")
    assert code == 2
    assert_clean(out)
    assert any(HOSTILE in text for text in strings(json.loads(out)))


def test_json_text_keeps_other_text_readable() -> None:
    from portplan.terminal import json_text

    assert json_text({"n": "ΣLANG \x1b\x7f\x85\u2066"}) == (
        '{\n  "n": "ΣLANG \\u001b\\u007f\\u0085\\u2066"\n}\n'
    )
