"""`portplan check`, `where` and `next`: output shapes, exit codes, and where PLAN comes from."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from portplan.analysis import analyze
from portplan.cli.common import Painter
from portplan.hazards import DEFAULT_EPHEMERAL
from portplan.model import Service
from portplan.resolve import resolve_scope
from portplan.store import load

RunCli = Callable[..., tuple[int, str, str]]

CLEAN = """\
title = "Clean"

[[projects]]
name = "Alpha"
ports = "20000-20999"

[[projects.tiers]]
name = "Web"
ports = "20000-20099"
services = [
    { port = 20000, name = "Frontend" },
]
"""

# Only a warning (two tiers overlap): check still exits 0.
WARNING_ONLY = (
    CLEAN
    + """
[[projects.tiers]]
name = "Api"
ports = "20050-20149"
services = [
    { port = 20100, name = "Gateway" },
]
"""
)


def write(folder: Path, text: str, name: str = "plan.toml") -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --- check --------------------------------------------------------------------------------


def test_check_json_shape(
    reference_plan_path: Path, run_cli: RunCli, pinned_ephemeral: None
) -> None:
    code, out, err = run_cli("check", str(reference_plan_path), "--format", "json")
    # The summary a person reads goes to stderr: stdout is the report alone.
    assert (code, err) == (
        1,
        f"portplan check ({reference_plan_path}): 9 errors, 8 warnings, 0 info\n",
    )
    document = json.loads(out)
    assert set(document) == {
        "schema_version",
        "tool",
        "command",
        "plan",
        "summary",
        "findings",
        "result",
    }
    assert (document["schema_version"], document["command"]) == (1, "check")
    assert document["plan"] == str(reference_plan_path)
    assert document["findings"]
    for finding in document["findings"]:
        assert set(finding) == {
            "rule",
            "kind",
            "severity",
            "message",
            "file",
            "line",
            "column",
            "ports",
            "subjects",
            "accepted",
        }
        assert finding["accepted"] is None
        assert finding["file"] == str(reference_plan_path) and finding["line"] >= 1
        assert finding["severity"] in {"error", "warning", "info"}
        assert isinstance(finding["kind"], str) and finding["kind"]
        assert isinstance(finding["message"], str) and "\n" not in finding["message"]
        assert all(isinstance(port, int) for port in finding["ports"])
        assert all(isinstance(subject, str) for subject in finding["subjects"])
    summary = document["summary"]
    assert set(summary) == {"error", "warning", "info", "accepted"}
    assert summary.pop("accepted") == 0
    for severity, count in summary.items():
        assert count == sum(1 for f in document["findings"] if f["severity"] == severity)
    expected = [f.as_dict() for f in analyze(load(reference_plan_path), DEFAULT_EPHEMERAL)]
    fields = ("severity", "kind", "message", "ports", "subjects")
    assert [{key: f[key] for key in fields} for f in document["findings"]] == expected
    assert any("ΣLANG" in subject for f in document["findings"] for subject in f["subjects"])


def test_check_json_on_a_clean_plan(tmp_path: Path, run_cli: RunCli) -> None:
    code, out, _ = run_cli("check", str(write(tmp_path, CLEAN)), "--format", "json")
    assert code == 0
    document = json.loads(out)
    assert document["findings"] == []
    assert document["summary"] == {"error": 0, "warning": 0, "info": 0, "accepted": 0}


def test_check_exit_0_with_warnings_only(tmp_path: Path, run_cli: RunCli) -> None:
    code, out, _ = run_cli("check", str(write(tmp_path, WARNING_ONLY)))
    assert code == 0
    assert "tier-overlap" in out and "0 errors, 1 warning" in out


def test_check_text_is_plain_when_piped_and_grouped_by_severity(
    reference_plan_path: Path, run_cli: RunCli
) -> None:
    code, out, _ = run_cli("check", str(reference_plan_path))
    assert code == 1
    assert "\033[" not in out
    errors, warnings = out.index("✗ 9 errors"), out.index("⚠ ")
    assert errors < warnings
    error_block = out[errors:warnings]
    assert error_block.count("[PP103 service-outside-tier]") == 9
    assert "tier-overlap]" not in error_block


def test_check_text_clean_plan_says_so(tmp_path: Path, run_cli: RunCli) -> None:
    code, out, _ = run_cli("check", str(write(tmp_path, CLEAN)))
    assert code == 0
    assert "no conflicts" in out


def test_check_real_pipe_has_no_colour(reference_plan_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "portplan", "check", str(reference_plan_path)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 1
    assert "\033[" not in result.stdout
    assert "ERR_UNSAFE_PORT" in result.stdout


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def painted(stream: io.StringIO) -> str:
    paint = Painter(stream)
    return paint.show(paint("x", "error"))


def test_painter_colours_a_terminal_unless_no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert painted(FakeTerminal()) == "\033[31mx\033[0m"
    assert painted(io.StringIO()) == "x"
    monkeypatch.setenv("NO_COLOR", "1")
    assert painted(FakeTerminal()) == "x"


def test_force_color_colours_a_pipe_and_no_color_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert painted(io.StringIO()) == "\033[31mx\033[0m"
    monkeypatch.setenv("FORCE_COLOR", "0")  # 0 asks for no forcing
    assert painted(io.StringIO()) == "x"
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("NO_COLOR", "1")
    assert painted(io.StringIO()) == "x"


# --- where --------------------------------------------------------------------------------


def test_where_a_service_port(reference_plan_path: Path, run_cli: RunCli) -> None:
    code, out, _ = run_cli("where", "16600", str(reference_plan_path))
    assert code == 0
    assert "service   NEURECTOMY/AI/ML Services/Ollama" in out
    assert "tier      NEURECTOMY/AI/ML Services (16600-16699)" in out
    assert "project   NEURECTOMY (16000-16999)" in out


def test_where_shows_findings_touching_the_port(reference_plan_path: Path, run_cli: RunCli) -> None:
    code, out, _ = run_cli("where", "10080", str(reference_plan_path))
    assert code == 0
    assert "DOPPELGANGER-STUDIO/API Tier/Main API" in out
    assert "ERR_UNSAFE_PORT" in out
    assert "overlap" in out  # 10080 is also where two tiers start to overlap


def test_where_a_free_port_of_a_tier(reference_plan_path: Path, run_cli: RunCli) -> None:
    code, out, _ = run_cli("where", "16999", str(reference_plan_path))
    assert code == 0
    assert "service" not in out
    assert "tier      NEURECTOMY/Observability" in out and "project   NEURECTOMY" in out


def test_where_a_reserved_port(reference_plan_path: Path, run_cli: RunCli) -> None:
    code, out, _ = run_cli("where", "3306", str(reference_plan_path))
    assert code == 0
    assert "reserved  3306 (MySQL default)" in out
    code, out, _ = run_cli("where", "0", str(reference_plan_path))
    assert code == 0 and "System/Well-known" in out


def test_where_nobody_exits_1(reference_plan_path: Path, run_cli: RunCli) -> None:
    code, out, _ = run_cli("where", "12345", str(reference_plan_path))
    assert code == 1
    assert "nobody" in out


@pytest.mark.parametrize("port", ["abc", "70000", "-1"])
def test_where_a_bad_port_exits_2(reference_plan_path: Path, run_cli: RunCli, port: str) -> None:
    code, out, err = run_cli("where", port, str(reference_plan_path))
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and "not a port" in err


# --- next ---------------------------------------------------------------------------------


def ports_in(out: str) -> list[int]:
    return [int(line) for line in out.split()]


@pytest.mark.parametrize(
    "scope", ["NEURECTOMY/AI/ML Services", "neurectomy/ai/ml services", "neur/AI", "NEUR/ai/ml"]
)
def test_next_in_a_tier_whose_name_has_a_slash(
    reference_plan_path: Path, run_cli: RunCli, pinned_ephemeral: None, scope: str
) -> None:
    code, out, err = run_cli("next", scope, "-n", "3", str(reference_plan_path))
    assert (code, err) == (0, "")
    plan = load(reference_plan_path)
    used = {service.port for _, _, service in plan.services()}
    ports = ports_in(out)
    assert len(ports) == 3 and ports == sorted(ports)
    assert all(16600 <= port <= 16699 and port not in used for port in ports)
    assert ports[0] == min(set(range(16600, 16700)) - used)


@pytest.mark.parametrize(
    "scope_text", ["NEURECTOMY/Databases", "doppelganger/api", "SigmaLang", "NEURECTOMY"]
)
def test_next_ports_raise_no_finding(
    reference_plan_path: Path, run_cli: RunCli, pinned_ephemeral: None, scope_text: str
) -> None:
    code, out, _ = run_cli("next", scope_text, "-n", "5", str(reference_plan_path))
    assert code == 0
    ports = ports_in(out)
    assert len(ports) == 5
    plan = load(reference_plan_path)
    scope = resolve_scope(plan, scope_text)
    for port in ports:
        assert port in scope.project.ports
        tiers = [scope.tier] if scope.tier else scope.project.tiers
        home = next(tier for tier in tiers if port in tier.ports)
        home.services.append(Service(port=port, name="newcomer"))
        path = f"{scope.project.name}/{home.name}/newcomer"
        touching = [f for f in analyze(plan, DEFAULT_EPHEMERAL) if f.touches(path)]
        assert touching == [], port
        home.services.pop()


def test_next_in_an_ephemeral_project_finds_nothing_clean(
    reference_plan_path: Path, run_cli: RunCli, pinned_ephemeral: None
) -> None:
    # All of Ryot LLM lies in the kernel-default Linux ephemeral range.
    code, out, err = run_cli("next", "Ryot", str(reference_plan_path))
    assert code == 1 and out == ""
    assert "Ryot LLM" in err and "no free port" in err


def test_next_ambiguous_prefix_exits_2(reference_plan_path: Path, run_cli: RunCli) -> None:
    code, out, err = run_cli("next", "sigma", str(reference_plan_path))
    assert code == 2 and out == ""
    assert "ambiguous" in err and "SigmaLang (ΣLANG)" in err and "SigmaVault (ΣVAULT)" in err


def test_next_unknown_project_exits_2(reference_plan_path: Path, run_cli: RunCli) -> None:
    code, out, err = run_cli("next", "Nope/Tier", str(reference_plan_path))
    assert code == 2 and out == ""
    assert "Nope/Tier" in err and len(err.splitlines()) == 1


def test_next_count_must_be_positive(reference_plan_path: Path, run_cli: RunCli) -> None:
    with pytest.raises(SystemExit) as stopped:
        run_cli("next", "NEURECTOMY", "-n", "0", str(reference_plan_path))
    assert stopped.value.code == 2


def test_next_when_a_tier_is_full_exits_1(tmp_path: Path, run_cli: RunCli) -> None:
    full = CLEAN.replace('"20000-20099"', '"20000-20001"').replace(
        '{ port = 20000, name = "Frontend" },',
        '{ port = 20000, name = "Frontend" },\n    { port = 20001, name = "Backend" },',
    )
    code, out, err = run_cli("next", "alpha/web", "-n", "2", str(write(tmp_path, full)))
    assert code == 1 and out == ""
    assert "Alpha/Web" in err


def test_next_only_some_free_prints_them_and_exits_1(tmp_path: Path, run_cli: RunCli) -> None:
    text = CLEAN.replace('"20000-20099"', '"20000-20002"')
    code, out, _ = run_cli("next", "Alpha/Web", "-n", "5", str(write(tmp_path, text)))
    assert code == 1
    assert ports_in(out) == [20001, 20002]


# --- where PLAN comes from ----------------------------------------------------------------


@pytest.fixture
def cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("PORTPLAN_FILE", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def plan_used(run_cli: RunCli) -> str:
    code, out, err = run_cli("check", "--format", "json")
    assert code in (0, 1), err
    return str(json.loads(out)["plan"])


def test_plan_defaults_to_data_ports_toml(cwd: Path, run_cli: RunCli) -> None:
    write(cwd, CLEAN, "data/ports.toml")
    assert plan_used(run_cli) == str(Path("data/ports.toml"))


def test_plan_prefers_ports_toml_over_data(cwd: Path, run_cli: RunCli) -> None:
    write(cwd, CLEAN, "data/ports.toml")
    write(cwd, WARNING_ONLY, "ports.toml")
    assert plan_used(run_cli) == "ports.toml"


def test_plan_prefers_the_environment(
    cwd: Path, run_cli: RunCli, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(cwd, CLEAN, "ports.toml")
    chosen = write(cwd, WARNING_ONLY, "elsewhere/mine.toml")
    monkeypatch.setenv("PORTPLAN_FILE", str(chosen))
    assert plan_used(run_cli) == str(chosen)
    # …and the argument beats the environment.
    code, out, _ = run_cli("check", "ports.toml", "--format", "json")
    assert json.loads(out)["plan"] == "ports.toml"


def test_where_and_next_use_the_default_plan_too(cwd: Path, run_cli: RunCli) -> None:
    write(cwd, CLEAN, "data/ports.toml")
    assert run_cli("where", "20000")[0] == 0
    code, out, _ = run_cli("next", "Alpha")
    assert (code, ports_in(out)) == (0, [20001])


def test_no_plan_anywhere_exits_2_naming_the_last_candidate(cwd: Path, run_cli: RunCli) -> None:
    code, out, err = run_cli("check")
    assert code == 2 and out == ""
    assert err.startswith(str(Path("data/ports.toml"))) and "no such file" in err


# --- words that are not commands, and what the planner opens ------------------------------


def test_a_misspelt_command_opens_nothing(cwd: Path, run_cli: RunCli) -> None:
    code, out, err = run_cli("chekc")
    assert (code, out) == (2, "")
    assert err == "portplan: unknown command 'chekc' (did you mean check?)\n"
    assert list(cwd.iterdir()) == []


def test_a_word_far_from_any_command_says_how_to_start_a_plan(cwd: Path, run_cli: RunCli) -> None:
    code, out, err = run_cli("zzzz")
    assert (code, out) == (2, "")
    assert err.startswith("portplan: unknown command 'zzzz' (")
    assert "--help" in err and ".toml" in err


def test_a_word_that_is_an_existing_file_is_a_plan(cwd: Path, run_cli: RunCli) -> None:
    # Not a command, so it is the plan: the planner is asked for (and needs a terminal).
    write(cwd, CLEAN, "chekc")
    code, _, err = run_cli("chekc")
    assert code == 2 and "needs a terminal" in err and "unknown command" not in err


def test_help_prints_the_overview(run_cli: RunCli) -> None:
    code, out, err = run_cli("help")
    assert (code, err) == (0, "")
    assert out.startswith("usage: portplan")
    assert all(name in out for name in ("check", "where", "next", "scan"))


def test_help_with_a_command_prints_its_options(run_cli: RunCli) -> None:
    code, out, _ = run_cli("help", "next")
    assert code == 0 and out.startswith("usage: portplan next")
    assert run_cli("help", "nxet")[0:2] == (2, "")


def test_a_missing_plan_not_named_toml_is_not_created(cwd: Path, run_cli: RunCli) -> None:
    code, out, err = run_cli("plans/mine")
    assert (code, out) == (2, "")
    assert err == (
        f"portplan: {Path('plans/mine')}: no such plan file (a new plan is started only for a "
        "name ending in .toml)\n"
    )
    assert list(cwd.iterdir()) == []


def test_without_a_terminal_the_planner_does_not_start(cwd: Path, run_cli: RunCli) -> None:
    # stdin and stdout are pytest's captures here, not terminals.
    code, out, err = run_cli("new.toml")
    assert (code, out) == (2, "")
    assert err.startswith("portplan: the planner needs a terminal")
    assert list(cwd.iterdir()) == []


def test_the_planner_runs_with_a_short_switch_interval_and_restores_it(
    reference_plan_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The thread that writes frames gets the interpreter's lock within 1 ms while the app
    works on (open_app.OUTPUT_TURN); the interval is the caller's again once the app ends."""
    from portplan.cli import open_app
    from portplan.tui import app as tui_app

    seen: list[float] = []

    class Planner:
        def run(self) -> None:
            seen.append(sys.getswitchinterval())

    monkeypatch.setattr(tui_app, "create_app", lambda path: Planner())
    monkeypatch.setattr(open_app, "require_terminal", lambda: None)
    before = sys.getswitchinterval()
    assert open_app.run_app(str(reference_plan_path)) == 0
    assert seen == [open_app.OUTPUT_TURN] and before > open_app.OUTPUT_TURN
    assert sys.getswitchinterval() == before
