"""No name, path or file content reaches the terminal as a control sequence.

A plan whose every name holds `ESC [2J` (clear the screen), OSC 52 (write the clipboard),
OSC 8 (a hidden link), CSI as the C1 byte 0x9B and a bidi override is run through every
command that prints text; nothing that could command a terminal may reach stdout or stderr.
"""

from __future__ import annotations

import io
import re
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from portplan.cli.common import Painter
from portplan.probe import Listener, Sockets
from portplan.terminal import visible

RunCli = Callable[..., tuple[int, str, str]]

# Every character a terminal could obey, other than the tab and newline of plain text.
RAW = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
CLEAR = "\x1b[2J"
CLIPBOARD = "\x1b]52;c;cm0gLXJmIH4K\x07"
LINK = "\x1b]8;;https://evil.example\x07click\x1b]8;;\x07"
CSI = "\x9b31m"
OVERRIDE = "\u202e"
TORTURE = (CLEAR, CLIPBOARD, LINK, CSI, OVERRIDE)


def toml_string(text: str) -> str:
    """`text` as a TOML basic string (every control written as a \\u escape)."""
    body = "".join(
        f"\\u{ord(c):04x}" if RAW.match(c) or c in '"\\' else c for c in text.replace("\\", "\\\\")
    )
    return f'"{body}"'


PROJECT = f"Evil{CLEAR}{OVERRIDE}"
TIER = f"Web{CLIPBOARD}"
FIRST = f"Front{LINK}"
SECOND = f"Back{CSI}"

PLAN = f"""\
title = {toml_string("Plan" + CLEAR)}
reserved = [{{ ports = "0-1023", reason = {toml_string("System" + CLIPBOARD)} }}]

[[projects]]
name = {toml_string(PROJECT)}
ports = "20000-20999"

[[projects.tiers]]
name = {toml_string(TIER)}
ports = "20000-20099"
services = [
    {{ port = 20000, name = {toml_string(FIRST)}, description = {toml_string("UI" + LINK)} }},
    {{ port = 20000, name = {toml_string(SECOND)} }},
    {{ port = 20500, name = {toml_string("Outside" + OVERRIDE)} }},
]
"""


def assert_clean(*texts: str) -> None:
    for text in texts:
        found = RAW.search(text)
        assert found is None, f"raw {found.group()!r} in {text!r}"


# SGR colour spans exactly as the Painter writes them: the one sequence allowed on a terminal.
PAINTED = re.compile(r"\x1b\[(?:31|32|33|36|1|2)m[^\x1b]*\x1b\[0m")


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    folder = tmp_path / f"dir{CLEAR}"
    folder.mkdir()
    path = folder / f"ports{OVERRIDE}.toml"
    path.write_text(PLAN, encoding="utf-8")
    return path


def test_the_torture_plan_reads(plan: Path) -> None:
    from portplan.store import load

    loaded = load(plan)
    assert [s.name for s in loaded.projects[0].tiers[0].services][:2] == [FIRST, SECOND]


def test_visible_escapes_every_commanding_character() -> None:
    assert visible(CLEAR) == "\\x1b[2J"
    assert visible(CLIPBOARD) == "\\x1b]52;c;cm0gLXJmIH4K\\x07"
    assert visible(CSI + OVERRIDE + "\u2066\u2069") == "\\x9b31m\\u202e\\u2066\\u2069"
    assert visible("a\tb\nc\x7f\r") == "a\tb\nc\\x7f\\x0d"
    assert visible("plain ä 漢 🙂 \u200d") == "plain ä 漢 🙂 \u200d"


COMMANDS = {
    "check": lambda p: ["check", str(p)],
    "where": lambda p: ["where", "20000", str(p)],
    "rebase": lambda p: ["rebase", PROJECT, "30000", str(p)],
    "rebase-write": lambda p: ["rebase", PROJECT, "30000", str(p), "--write", "--allow-errors"],
    "next": lambda p: ["next", PROJECT, "-n", "2", str(p)],
    "next-unknown": lambda p: ["next", CLIPBOARD, str(p)],
    "diff": lambda p: ["diff", str(p.with_name("old.toml")), str(p)],
    "diff-md": lambda p: ["diff", str(p.with_name("old.toml")), str(p), "--format", "md"],
    "missing-file": lambda p: ["check", str(p.with_name(f"gone{CLIPBOARD}.toml"))],
}
# Piped, .env and CSV keep their own quoting (machine formats); to a terminal they show.
TERMINAL_ONLY = {
    "export-env": lambda p: ["export", str(p), "--format", "env"],
    "export-csv": lambda p: ["export", str(p), "--format", "csv"],
}
CASES = [
    *(pytest.param(make, colour, id=f"{name}-{'terminal' if colour else 'piped'}")
      for name, make in COMMANDS.items() for colour in (False, True)),
    *(pytest.param(make, True, id=f"{name}-terminal") for name, make in TERMINAL_ONLY.items()),
]  # fmt: skip


@pytest.mark.parametrize(("make", "colour"), CASES)
def test_no_command_prints_a_raw_control_character(
    plan: Path,
    run_cli: RunCli,
    monkeypatch: pytest.MonkeyPatch,
    make: Callable[[Path], list[str]],
    colour: bool,
) -> None:
    old = PLAN.replace("port = 20000, name", "port = 20001, name", 1)
    plan.with_name("old.toml").write_text(old, encoding="utf-8")
    if colour:
        # Both streams look like a terminal: colour on, and export escapes for a person.
        monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
        monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    code, out, err = run_cli(*make(plan))
    assert "Traceback" not in err
    assert out or err
    if colour:
        out, err = PAINTED.sub("", out), PAINTED.sub("", err)
    assert_clean(out, err)


def test_the_names_still_show_escaped(plan: Path, run_cli: RunCli) -> None:
    code, out, _ = run_cli("where", "20000", str(plan))
    assert code == 0
    assert visible(FIRST) in out and visible(SECOND) in out and "\\x9b31m" in out


def test_a_bad_plan_with_a_hostile_key_and_path(tmp_path: Path, run_cli: RunCli) -> None:
    path = tmp_path / f"bad{CLEAR}.toml"
    path.write_text(PLAN + f"{toml_string(CLIPBOARD)} = 1\n", encoding="utf-8")
    code, out, err = run_cli("check", str(path))
    assert code == 2 and out == ""
    assert "unknown key" in err and visible(str(path)) in err
    assert_clean(err)


def test_diff_from_standard_input(
    plan: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = PLAN.replace("port = 20000, name", "port = 20001, name", 1).encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(old), encoding="utf-8"))
    code, out, err = run_cli("diff", "-", str(plan))
    assert code == 1
    assert visible(FIRST) in out
    assert_clean(out, err)


def test_scan_shows_hostile_file_and_service_names(plan: Path, run_cli: RunCli) -> None:
    project = plan.parent / f"app{CLIPBOARD}"
    project.mkdir()
    (project / "compose.yaml").write_text(
        'services:\n  "web\\e[2J\\u202e":\n    ports: ["20000:80", "20777:80"]\n',
        encoding="utf-8",
    )
    code, out, err = run_cli("scan", str(plan), str(project), "--project", PROJECT)
    assert "Traceback" not in err and out
    assert_clean(out, err)


def test_the_painter_keeps_only_its_own_colours() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    paint = Painter(Terminal())
    shown = paint.show(paint("bold " + CLEAR, "bold") + " then " + LINK + " \x1b[31mred\x1b[0m")
    assert shown.startswith("\x1b[1mbold \\x1b[2J\x1b[0m then \\x1b]8;;")
    # A span in the painter's own colours but not made by it is text like any other.
    assert shown.endswith(" \\x1b[31mred\\x1b[0m")
    assert_clean(PAINTED.sub("", shown))


def test_a_painted_span_turns_plain_when_shown_without_colour() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert Painter(io.StringIO()).show(Painter(Terminal())("red", "error") + CLEAR) == (
        "red\\x1b[2J"
    )


RED = "\x1b[31mRED\x1b[0m"  # the painter's own red, written in a name
FORCED = {
    "check": lambda p: ["check", str(p)],
    "where": lambda p: ["where", "20000", str(p)],
    "probe": lambda p: ["probe", str(p)],
    "next-short": lambda p: ["next", f"{PROJECT}/Web{RED}", "-n", "1000", str(p)],
    "rebase-write": lambda p: ["rebase", PROJECT, "30000", str(p), "--write", "--allow-errors"],
}


@pytest.mark.parametrize("command", FORCED)
def test_forced_colour_never_colours_a_name(
    tmp_path: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    folder = tmp_path / f"dir{RED}"
    folder.mkdir()
    path = folder / "ports.toml"
    text = PLAN.replace(toml_string(FIRST), toml_string(RED))
    path.write_text(text.replace(toml_string(TIER), toml_string("Web" + RED)), encoding="utf-8")
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert Painter(io.StringIO()).enabled
    sockets = Sockets([Listener(20000, "tcp", "127.0.0.1", 42, "srv" + RED)])
    monkeypatch.setattr("portplan.probe.read_sockets", lambda: sockets)
    code, out, err = run_cli(*FORCED[command](path))
    assert "Traceback" not in err
    assert "\x1b[31mRED" not in out + err
    assert visible(RED) in out + err


@pytest.mark.parametrize("colour", [False, True])
def test_apply_shows_hostile_paths_and_file_text_escaped(
    plan: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch, colour: bool
) -> None:
    old = plan.with_name("old.toml")
    old.write_text(PLAN.replace("port = 20000, name", "port = 20001, name", 1), "utf-8")
    project = plan.parent / f"app{CLIPBOARD}"
    project.mkdir()
    (project / ".env").write_text(f"WEB_URL=http://localhost:20001 {CLEAR}{OVERRIDE}\n")
    (project / "compose.yaml").write_text('services:\n  "web\\e[2J":\n    ports: ["20001:80"]\n')
    if colour:
        monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    code, out, err = run_cli("apply", str(project), "--plan", str(plan), "--from", str(old))
    assert code == 1
    assert visible(CLEAR) in out and visible(CLIPBOARD) in out
    assert_clean(PAINTED.sub("", out), err)
