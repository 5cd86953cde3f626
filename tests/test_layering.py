"""The domain and the non-interactive commands never import Textual (startup time matters).

Each check runs in a fresh interpreter: in this process pytest plugins may have loaded
Textual already, which would hide an import.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

DOMAIN_AND_CLI = [
    "portplan.model",
    "portplan.store",
    "portplan.analysis",
    "portplan.rules",
    "portplan.hazards",
    "portplan.edits",
    "portplan.resolve",
    "portplan.suggest",
    "portplan.changes",
    "portplan.markdown_text",
    "portplan.markdown_shape",
    "portplan.markdown_import",
    "portplan.exporters",
    "portplan.exporters.markdown_export",
    "portplan.exporters.env_export",
    "portplan.exporters.csv_export",
    "portplan.exporters.json_export",
    "portplan.cli",
    "portplan.cli.check",
    "portplan.cli.where",
    "portplan.cli.next_free",
]


def run_python(code: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=cwd, check=False
    )


def textual_modules_after(code: str, cwd: Path | None = None) -> list[str]:
    probe = (
        code
        + "\nimport sys\n"
        + "print('\\n'.join(m for m in sys.modules if m == 'textual' or m.startswith('textual.')))"
    )
    result = run_python(probe, cwd)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_the_probe_would_see_textual() -> None:
    # Guards the probe itself: importing Textual must show up, or the tests below prove nothing.
    assert "textual" in textual_modules_after("import textual.app")


def test_domain_and_cli_modules_do_not_import_textual() -> None:
    imports = "\n".join(f"import {module}" for module in DOMAIN_AND_CLI)
    assert textual_modules_after(imports) == []


def test_every_registered_command_module_stays_off_textual() -> None:
    code = "import importlib\nfrom portplan.cli import COMMANDS\n" + (
        "for module, _ in COMMANDS.values():\n    importlib.import_module(module)"
    )
    assert textual_modules_after(code) == []


def test_running_check_does_not_import_textual(reference_plan_path: Path) -> None:
    code = (
        "import contextlib, io\n"
        "from portplan.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    code = main(['check', {str(reference_plan_path)!r}, '--format', 'json'])\n"
        "assert code == 1, code\n"
    )
    assert textual_modules_after(code) == []


def test_running_where_and_next_do_not_import_textual(reference_plan_path: Path) -> None:
    plan = str(reference_plan_path)
    code = (
        "import contextlib, io\n"
        "from portplan.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    assert main(['where', '16600', {plan!r}]) == 0\n"
        f"    assert main(['next', 'NEURECTOMY/AI/ML', '-n', '2', {plan!r}]) == 0\n"
    )
    assert textual_modules_after(code) == []


def test_a_bad_plan_does_not_import_textual(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("title = \n", encoding="utf-8")
    code = (
        "import contextlib, io\n"
        "from portplan.cli import main\n"
        "with contextlib.redirect_stderr(io.StringIO()):\n"
        f"    assert main(['check', {str(bad)!r}]) == 2\n"
    )
    assert textual_modules_after(code) == []
