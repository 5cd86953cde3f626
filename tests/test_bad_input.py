"""Every kind of bad plan file: exit 2, one line naming the file (and line), file untouched."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

GOOD = """\
title = "Bad input"
reserved = [
    { ports = "0-1023", reason = "System" },
]

[[projects]]
name = "Alpha"
ports = "20000-20999"

[[projects.tiers]]
name = "Web"
ports = "20000-20099"
services = [
    { port = 20000, name = "Frontend", description = "UI" },
    { port = 20001, name = "Backend" },
]

[[projects]]
name = "Beta"
ports = "21000-21999"

[[projects.tiers]]
name = "Data"
ports = "21400-21499"

[[projects.tiers.services]]
port = 21432
name = "Postgres"
"""

RunCli = Callable[..., tuple[int, str, str]]


def line_of(text: str, needle: str) -> int:
    """1-based line of the first line containing `needle` (so tests do not hard-code numbers)."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in the text")


def write(tmp_path: Path, text: str | bytes, name: str = "plan.toml") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def broken(old: str, new: str) -> str:
    assert GOOD.count(old) == 1, old
    return GOOD.replace(old, new)


def refuse(run_cli: RunCli, path: Path, *, lines: int = 1) -> list[str]:
    """Run `check` on a bad file; return its error lines after the common assertions."""
    before = path.read_bytes() if path.is_file() else None
    siblings = sorted(p.name for p in path.parent.iterdir())
    code, out, err = run_cli("check", str(path))
    assert code == 2
    assert out == ""
    assert "Traceback" not in err
    reported = err.splitlines()
    assert len(reported) == lines, err
    assert all(line.startswith(f"{path}") for line in reported), err
    after = path.read_bytes() if path.is_file() else None
    assert after == before
    assert sorted(p.name for p in path.parent.iterdir()) == siblings  # no .bak, no temp file
    return reported


def test_the_good_plan_is_good(tmp_path: Path, run_cli: RunCli) -> None:
    code, _, err = run_cli("check", str(write(tmp_path, GOOD)))
    assert (code, err) == (0, "")


def test_missing_file(tmp_path: Path, run_cli: RunCli) -> None:
    path = tmp_path / "nowhere.toml"
    [line] = refuse(run_cli, path)
    assert "no such file" in line
    assert not path.exists()


def test_a_directory(tmp_path: Path, run_cli: RunCli) -> None:
    path = tmp_path / "folder.toml"
    path.mkdir()
    [line] = refuse(run_cli, path)
    assert "directory" in line


def test_not_utf8(tmp_path: Path, run_cli: RunCli) -> None:
    text = broken('name = "Backend"', 'name = "Back\udcffend"')
    raw = text.encode("utf-8", errors="surrogateescape")  # a lone 0xff byte
    path = write(tmp_path, raw)
    [line] = refuse(run_cli, path)
    assert line.startswith(f"{path}:{line_of(GOOD, 'Backend')}:")
    assert "UTF-8" in line


def test_latin1_file_is_not_utf8(tmp_path: Path, run_cli: RunCli) -> None:
    path = write(tmp_path, broken('"UI"', '"Café"').encode("latin-1"))
    [line] = refuse(run_cli, path)
    assert line.startswith(f"{path}:{line_of(GOOD, 'Frontend')}:")


def test_toml_syntax_error_gives_file_line_and_column(tmp_path: Path, run_cli: RunCli) -> None:
    path = write(tmp_path, broken('ports = "21400-21499"', 'ports = "21400-21499'))
    [line] = refuse(run_cli, path)
    assert line.startswith(f"{path}:{line_of(GOOD, '21400-21499')}:")
    location = line[len(str(path)) :].split(":")
    assert location[1].isdigit() and location[2].isdigit()  # :line:col:
    assert "invalid TOML" in line


def test_duplicate_key_is_a_syntax_error(tmp_path: Path, run_cli: RunCli) -> None:
    path = write(tmp_path, broken('title = "Bad input"', 'title = "Bad input"\ntitle = "again"'))
    [line] = refuse(run_cli, path)
    assert line.startswith(f"{path}:2:")


@pytest.mark.parametrize(
    ("old", "new", "place", "needle"),
    [
        ('title = "Bad input"', "title = 5", "title", "title"),
        ('ports = "20000-20999"', "ports = true", "projects[0].ports", "ports = true"),
        ('ports = "21400-21499"', "ports = 2.5", "projects[1].tiers[0].ports", "ports = 2.5"),
        ('description = "UI"', "description = 3", "projects[0].tiers[0].services[0].description",
         "Frontend"),
        ("port = 21432", "port = 21432.0", "projects[1].tiers[0].services[0].port", "21432"),
        ("port = 20001", 'port = "20001"', "projects[0].tiers[0].services[1].port", "20001"),
        ('name = "Beta"', "name = [1]", "projects[1].name", "name = [1]"),
    ],
)  # fmt: skip
def test_wrong_types(
    tmp_path: Path, run_cli: RunCli, old: str, new: str, place: str, needle: str
) -> None:
    text = broken(old, new)
    path = write(tmp_path, text)
    [line] = refuse(run_cli, path)
    assert line.startswith(f"{path}:{line_of(text, needle)}: {place}: ")


def test_services_that_are_not_a_list(tmp_path: Path, run_cli: RunCli) -> None:
    text = broken('ports = "20000-20099"', 'ports = "20000-20099"\ndescription = ["x"]')
    path = write(tmp_path, text)
    [line] = refuse(run_cli, path)
    assert "projects[0].tiers[0].description" in line


def test_wrong_protocol(tmp_path: Path, run_cli: RunCli) -> None:
    text = broken('name = "Backend"', 'name = "Backend", protocol = "sctp"')
    path = write(tmp_path, text)
    [line] = refuse(run_cli, path)
    assert "projects[0].tiers[0].services[1].protocol" in line and "sctp" in line


@pytest.mark.parametrize("bad", ["0", "70000", "-1", '"abc"'])
def test_bad_service_port(tmp_path: Path, run_cli: RunCli, bad: str) -> None:
    text = broken("port = 20001", f"port = {bad}")
    path = write(tmp_path, text)
    [line] = refuse(run_cli, path)
    assert line.startswith(
        f"{path}:{line_of(text, 'Backend')}: projects[0].tiers[0].services[1].port: "
    )
    assert bad.strip('"') in line and "not a port" in line


@pytest.mark.parametrize("bad", ["0", "70000", "-1", "abc"])
def test_bad_port_in_an_array_of_tables_service(tmp_path: Path, run_cli: RunCli, bad: str) -> None:
    value = f'"{bad}"' if bad == "abc" else bad
    text = broken("port = 21432", f"port = {value}")
    path = write(tmp_path, text)
    [line] = refuse(run_cli, path)
    assert line.startswith(
        f"{path}:{line_of(text, f'port = {value}')}: projects[1].tiers[0].services[0].port: "
    )


@pytest.mark.parametrize("bad", ["70000", "20000-70000", "-1", "abc", "1-2-3", ""])
def test_bad_range_text(tmp_path: Path, run_cli: RunCli, bad: str) -> None:
    text = broken('ports = "20000-20999"', f'ports = "{bad}"')
    path = write(tmp_path, text)
    [line] = refuse(run_cli, path)
    number = line_of(text, 'ports = "' + bad + '"')
    assert line.startswith(f"{path}:{number}: projects[0].ports: ")


LONG = "9" * 5000  # more digits than Python reads (sys.get_int_max_str_digits(), 4,300)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("port = 20001", f"port = {LONG}"),  # read by the fast parser
        ("port = 21432", f"port = -{LONG}"),
        ("port = 20001", f"port = {LONG[:2000]}_{LONG[:3000]}"),
        # The wrong type: pydantic words the error, and fails to write the number in it.
        ('title = "Bad input"', f"title = {LONG}"),
    ],
    ids=["port", "negative", "underscore", "title"],
)
def test_a_number_too_long_for_python_is_named_by_its_line(
    tmp_path: Path, run_cli: RunCli, old: str, new: str
) -> None:
    text = broken(old, new)
    path = write(tmp_path, text)
    [line] = refuse(run_cli, path)
    assert line.startswith(f"{path}:{line_of(text, LONG[:100])}:")
    assert "a number of 5,000 digits is too long to be in a plan" in line


def test_a_long_number_read_by_tomllib_is_named_by_its_line(
    tmp_path: Path, run_cli: RunCli
) -> None:
    # Nesting deeper than the fast parser is given sends the text to tomllib, whose int()
    # fails on the number itself.
    text = broken("port = 20001", f"port = {LONG}") + "x = " + "[" * 100 + "]" * 100 + "\n"
    path = write(tmp_path, text)
    [line] = refuse(run_cli, path)
    assert line.startswith(f"{path}:{line_of(text, LONG[:100])}:")


@pytest.mark.parametrize(
    "command",
    [["where", "20000"], ["next", "Alpha"], ["export", "--format", "md"], ["scan"], ["probe"]],
)
def test_every_command_names_a_long_number_by_its_line(
    tmp_path: Path, run_cli: RunCli, command: list[str]
) -> None:
    text = broken("port = 20001", f"port = {LONG}")
    path = write(tmp_path, text)
    code, out, err = run_cli(*command, "--plan", str(path))
    assert (code, out) == (2, "")
    assert err.startswith(f"{path}:{line_of(text, LONG[:100])}:") and len(err.splitlines()) == 1


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (f"20000-{LONG}", "a number of 5,000 digits is not a port"),
        ("١٦٠٠٠-20999", "write its digits as 0-9"),
        ("20000-20999²", "write its digits as 0-9"),
    ],
    ids=["long", "arabic-indic", "superscript"],
)
def test_a_range_of_long_numbers_or_other_digits(
    tmp_path: Path, run_cli: RunCli, bad: str, message: str
) -> None:
    text = broken('ports = "20000-20999"', f'ports = "{bad}"')
    path = write(tmp_path, text)
    [line] = refuse(run_cli, path)
    assert line.startswith(f"{path}:{line_of(text, bad)}: projects[0].ports: ")
    assert message in line and "sys." not in line


def test_port_zero_is_allowed_in_reserved_but_not_70000(tmp_path: Path, run_cli: RunCli) -> None:
    assert run_cli("check", str(write(tmp_path, broken('"0-1023"', '"0"'), "zero.toml")))[0] == 0
    text = broken('"0-1023"', '"0-70000"')
    path = write(tmp_path, text)
    [line] = refuse(run_cli, path)
    assert line.startswith(f"{path}:{line_of(text, '0-70000')}: reserved[0].ports: ")


def test_reversed_range(tmp_path: Path, run_cli: RunCli) -> None:
    text = broken('ports = "20000-20099"', 'ports = "200-100"')
    path = write(tmp_path, text)
    [line] = refuse(run_cli, path)
    assert line.startswith(f"{path}:{line_of(text, '200-100')}: projects[0].tiers[0].ports: ")
    assert "reversed" in line


@pytest.mark.parametrize(
    ("old", "new", "place"),
    [
        ('name = "Alpha"', 'name = ""', "projects[0].name"),
        ('name = "Web"', 'name = "   "', "projects[0].tiers[0].name"),
        ('name = "Backend"', 'name = ""', "projects[0].tiers[0].services[1].name"),
        ('name = "Postgres"', 'name = "\\t"', "projects[1].tiers[0].services[0].name"),
    ],
)
def test_empty_names(tmp_path: Path, run_cli: RunCli, old: str, new: str, place: str) -> None:
    text = broken(old, new)
    path = write(tmp_path, text)
    [line] = refuse(run_cli, path)
    assert line.startswith(f"{path}:{line_of(text, new)}: {place}: ")
    assert "empty" in line


def test_duplicate_project_names(tmp_path: Path, run_cli: RunCli) -> None:
    path = write(tmp_path, broken('name = "Beta"', 'name = "Alpha"'))
    [line] = refuse(run_cli, path)
    assert "'Alpha'" in line and "projects" in line
    assert "{" not in line  # the message template was filled in


def test_duplicate_tier_names(tmp_path: Path, run_cli: RunCli) -> None:
    extra = '\n\n[[projects.tiers]]\nname = "Data"\nports = "21000-21099"'
    text = broken('ports = "21400-21499"', 'ports = "21400-21499"' + extra)
    path = write(tmp_path, text)
    [line] = refuse(run_cli, path)
    assert "projects[1]" in line and "'Data'" in line and "'Beta'" in line
    assert "{" not in line


def test_duplicate_service_names(tmp_path: Path, run_cli: RunCli) -> None:
    path = write(tmp_path, broken('name = "Backend"', 'name = "Frontend"'))
    [line] = refuse(run_cli, path)
    assert "projects[0].tiers[0]" in line and "'Frontend'" in line and "'Web'" in line
    assert "{" not in line


def test_same_service_name_in_two_tiers_is_fine(tmp_path: Path, run_cli: RunCli) -> None:
    path = write(tmp_path, broken('name = "Postgres"', 'name = "Frontend"'))
    assert run_cli("check", str(path))[0] == 0


@pytest.mark.parametrize(
    ("old", "new", "place"),
    [
        ('title = "Bad input"', 'title = "Bad input"\ncolour = "red"', "colour"),
        ('name = "Beta"', 'name = "Beta"\nowner = "me"', "projects[1].owner"),
        ('ports = "20000-20099"', 'ports = "20000-20099"\nport = 1', "projects[0].tiers[0].port"),
        ('name = "Backend"', 'name = "Backend", proto = "udp"',
         "projects[0].tiers[0].services[1].proto"),
        ('name = "Postgres"', 'name = "Postgres"\ndescr = "db"',
         "projects[1].tiers[0].services[0].descr"),
        ('reason = "System"', 'reason = "System", why = "x"', "reserved[0].why"),
    ],
)  # fmt: skip
def test_unknown_keys(tmp_path: Path, run_cli: RunCli, old: str, new: str, place: str) -> None:
    text = broken(old, new)
    path = write(tmp_path, text)
    [line] = refuse(run_cli, path)
    key = place.rsplit(".", 1)[-1]
    assert line.startswith(f"{path}:{line_of(text, f'{key} =')}: {place}: unknown key {key!r}")


def test_a_misspelt_required_key_reports_both_problems(tmp_path: Path, run_cli: RunCli) -> None:
    path = write(tmp_path, broken("port = 21432", "prot = 21432"))
    lines = refuse(run_cli, path, lines=2)
    assert any("unknown key 'prot'" in line for line in lines)
    assert any("missing required key 'port'" in line for line in lines)


def test_all_problems_are_reported_at_once(tmp_path: Path, run_cli: RunCli) -> None:
    text = broken("port = 20001", "port = 70000").replace("port = 21432", "port = 0")
    path = write(tmp_path, text)
    lines = refuse(run_cli, path, lines=2)
    assert {line.split(": ")[0] for line in lines} == {
        f"{path}:{line_of(text, '70000')}",
        f"{path}:{line_of(text, 'port = 0')}",
    }


@pytest.mark.parametrize("content", ["", "\n\n", "# nothing but a comment\n"])
def test_empty_file(tmp_path: Path, run_cli: RunCli, content: str) -> None:
    [line] = refuse(run_cli, write(tmp_path, content))
    assert "empty" in line


@pytest.mark.parametrize("command", [["where", "20000"], ["next", "Alpha"]])
def test_other_commands_refuse_bad_files_the_same_way(
    tmp_path: Path, run_cli: RunCli, command: list[str]
) -> None:
    path = write(tmp_path, broken("port = 20001", "port = 70000"))
    before = path.read_bytes()
    code, out, err = run_cli(*command, str(path))
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and err.startswith(str(path))
    assert path.read_bytes() == before


def run_module(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "portplan", *args],
        capture_output=True, text=True, cwd=cwd, check=False,
    )  # fmt: skip


def test_a_real_process_prints_one_line_and_no_traceback(tmp_path: Path) -> None:
    path = write(tmp_path, broken('ports = "20000-20099"', 'ports = "200-100"'))
    before = path.read_bytes()
    result = run_module("check", path.name, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("plan.toml:")
    assert path.read_bytes() == before


def test_a_real_process_on_a_missing_file(tmp_path: Path) -> None:
    result = run_module("check", "absent.toml", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == "absent.toml: no such file\n"


def test_a_real_process_on_the_reference_plan_exits_1(reference_plan_path: Path) -> None:
    before = reference_plan_path.read_bytes()
    result = run_module("check", str(reference_plan_path), cwd=reference_plan_path.parent)
    assert result.returncode == 1
    assert result.stderr == ""
    assert "service-outside-tier" in result.stdout
    assert reference_plan_path.read_bytes() == before


def test_a_range_written_as_a_bare_number_is_refused(tmp_path: Path) -> None:
    plan = tmp_path / "ports.toml"
    plan.write_text('title = "x"\n[[projects]]\nname = "A"\nports = 5\n')
    before = plan.read_bytes()
    from portplan.cli import main

    assert main(["check", str(plan)]) == 2
    assert plan.read_bytes() == before


# --- portplan apply -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "says"),
    [
        ("absent.toml", "absent.toml: no such file"),
        ("git:", "name a commit after git:"),
        ("git:--output=x", "name a commit after git:"),
        ("git:no-such-commit", "git cannot show plan.toml there"),
    ],
)
def test_apply_refuses_an_old_plan_it_cannot_read(
    tmp_path: Path, run_cli: RunCli, old: str, says: str
) -> None:
    plan = write(tmp_path, GOOD)
    folder = tmp_path / "alpha"
    folder.mkdir()
    (folder / "compose.yml").write_text("services:\n  a:\n    ports: ['20000:80']\n")
    before = (folder / "compose.yml").read_bytes()
    old_path = str(tmp_path / old) if old.endswith(".toml") else old
    code, out, err = run_cli("apply", str(folder), "--plan", str(plan), "--from", old_path)
    assert (code, out) == (2, "")
    assert len(err.splitlines()) == 1 and says in err and "Traceback" not in err
    assert (folder / "compose.yml").read_bytes() == before


def test_apply_refuses_a_broken_old_plan_naming_its_line(tmp_path: Path, run_cli: RunCli) -> None:
    plan = write(tmp_path, GOOD)
    old = write(tmp_path, broken("port = 20001", "port = 70000"), "old.toml")
    (tmp_path / "alpha").mkdir()
    code, out, err = run_cli(
        "apply", str(tmp_path / "alpha"), "--plan", str(plan), "--from", str(old)
    )
    assert (code, out) == (2, "")
    assert err.startswith(f"{old}:{line_of(GOOD, 'port = 20001')}:")


@pytest.mark.parametrize("folder", ["absent", "plan.toml/x"])
def test_apply_refuses_a_folder_that_is_not_one(
    tmp_path: Path, run_cli: RunCli, folder: str
) -> None:
    plan = write(tmp_path, GOOD)
    code, out, err = run_cli("apply", str(tmp_path / folder), "--plan", str(plan))
    assert (code, out) == (2, "") and len(err.splitlines()) == 1
    assert "folder" in err


def test_apply_refuses_a_bad_plan_and_changes_no_file(tmp_path: Path, run_cli: RunCli) -> None:
    plan = write(tmp_path, broken('ports = "20000-20099"', 'ports = "200-100"'))
    folder = tmp_path / "alpha"
    folder.mkdir()
    (folder / ".env").write_text("WEB_URL=http://localhost:20000\n")
    code, out, err = run_cli("apply", str(folder), "--plan", str(plan), "--write")
    assert (code, out) == (2, "") and err.startswith(str(plan))
    assert (folder / ".env").read_text() == "WEB_URL=http://localhost:20000\n"


def test_a_hostile_word_is_named_without_its_control_characters(
    tmp_path: Path, run_cli: RunCli
) -> None:
    code, out, err = run_cli("\x1b[2Jchekc\x07")
    assert (code, out) == (2, "")
    assert err.startswith("portplan: unknown command ") and err.count("\n") == 1
    assert "\x1b" not in err and "\x07" not in err


def test_a_real_process_without_a_terminal_exits_instead_of_waiting(tmp_path: Path) -> None:
    # stdin from /dev/null and stdout a pipe: the planner would wait for keys forever. The
    # timeout only turns a hang into a failure; nothing here measures time.
    result = subprocess.run(
        [sys.executable, "-m", "portplan", "new.toml"],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, cwd=tmp_path,
        check=False, timeout=120,
    )  # fmt: skip
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.startswith("portplan: the planner needs a terminal")
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_byte_order_mark_is_named(tmp_path: Path, run_cli: RunCli) -> None:
    path = write(tmp_path, "\ufeff" + GOOD)
    [line] = refuse(run_cli, path)
    assert line.startswith(f"{path}:1:1: the file starts with a byte-order mark (U+FEFF)")


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("true", "true is not a port"),
        ("2025-01-01", "a date is not a port"),
        ("2025-01-01T10:00:00", "a date and time is not a port"),
        ("{ a = 1 }", "a table is not a port"),
        ("[1]", "an array is not a port"),
    ],
)
def test_values_are_named_in_tomls_words(
    tmp_path: Path, run_cli: RunCli, value: str, words: str
) -> None:
    text = broken("port = 20001", f"port = {value}")
    path = write(tmp_path, text)
    [line] = refuse(run_cli, path)
    assert line.startswith(f"{path}:{line_of(text, 'Backend')}: ")
    assert words in line and "datetime" not in line and "True" not in line


@pytest.mark.parametrize(
    ("text", "needle", "message"),
    [
        ('title = "x"\n\n[projects]\nname = "x"\n', "[projects]",
         "projects: should be a list, not a table"),
        ('title = "x"\nreserved = { ports = "1" }\nprojects = []\n', "reserved =",
         "reserved: should be a list, not a table"),
        ("title = true\nprojects = []\n", "title", "title: true should be text in quotes"),
    ],
)  # fmt: skip
def test_wrong_shapes_are_named_in_tomls_words_with_their_line(
    tmp_path: Path, run_cli: RunCli, text: str, needle: str, message: str
) -> None:
    path = write(tmp_path, text)
    [line] = refuse(run_cli, path)
    assert line == f"{path}:{line_of(text, needle)}: {message}"


@pytest.mark.parametrize("prefix", ["0x", "0o", "0b"])
def test_a_hexadecimal_octal_or_binary_number_too_long_to_word_is_named_by_its_line(
    tmp_path: Path, run_cli: RunCli, prefix: str
) -> None:
    # Read at any length, but over Python's limit once written in decimal in the message.
    digits = {"0x": "f" * 4000, "0o": "7" * 5000, "0b": "1" * 15000}[prefix]
    text = broken("port = 20001", f"port = {prefix}{digits}")
    path = write(tmp_path, text)
    [line] = refuse(run_cli, path)
    assert line.startswith(f"{path}:{line_of(text, prefix + digits[:50])}:")
    assert f"a number of {len(digits):,} digits is too long to be in a plan" in line
