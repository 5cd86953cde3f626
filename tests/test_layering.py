"""The domain and the non-interactive commands never import Textual (startup time matters).

Each check runs in a fresh interpreter: in this process pytest plugins may have loaded
Textual already, which would hide an import.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "portplan"
# Only these parts of the package may import Textual or Rich: the app, and the script entry.
APP_PARTS = ("tui", "__main__")


def all_modules() -> list[str]:
    """Every module of src/portplan, found on disk so that a new file is covered at once."""
    names: list[str] = []
    for path in sorted(SRC.rglob("*.py")):
        parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        names.append(".".join(parts))
    return names


def is_app(module: str) -> bool:
    return module.split(".")[1:2] in ([part] for part in APP_PARTS)


DOMAIN = [m for m in all_modules() if not is_app(m) and m.split(".")[1:2] != ["cli"]]
CLI = [m for m in all_modules() if m.split(".")[1:2] == ["cli"] and m != "portplan.cli.open_app"]
DOMAIN_AND_CLI = DOMAIN + CLI


def run_python(code: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=cwd, check=False
    )


def textual_modules_after(code: str, cwd: Path | None = None) -> list[str]:
    """The Textual and Rich modules loaded after running `code` in a fresh interpreter."""
    probe = (
        code
        + "\nimport sys\n"
        + "print('\\n'.join(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')))"
    )
    result = run_python(probe, cwd)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_the_probe_would_see_textual() -> None:
    # Guards the probe itself: importing Textual must show up, or the tests below prove nothing.
    assert "textual" in textual_modules_after("import textual.app")
    assert "rich" in textual_modules_after("import rich.text")


def test_the_module_walk_finds_the_domain_the_app_and_the_command_line() -> None:
    # Guards the walk: a wrong root would make the list empty and the import test vacuous.
    for module in ("portplan.session", "portplan.incremental", "portplan.portmap"):
        assert module in DOMAIN
    assert {"portplan.scan", "portplan.scan.drift", "portplan.analysis"} <= set(DOMAIN)
    assert "portplan.cli.check" in CLI
    assert not any(is_app(module) for module in DOMAIN_AND_CLI)
    assert "portplan.tui.app" in all_modules()


def test_domain_and_cli_modules_do_not_import_textual_or_rich() -> None:
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


def test_the_import_contracts_hold() -> None:
    # The same check as `lint-imports` in CI, so that a broken layer fails the test run too.
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint), "--no-cache"], capture_output=True, text=True, cwd=SRC.parents[1], check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_the_domain_contract_names_every_domain_module() -> None:
    # import-linter cannot say "everything but cli and tui", so the contract lists the domain
    # by name; a module added later must be added there too.
    config = tomllib.loads((SRC.parents[1] / "pyproject.toml").read_text(encoding="utf-8"))
    contract = config["tool"]["importlinter"]["contracts"][0]
    assert "textual" in contract["forbidden_modules"]
    listed = set(contract["source_modules"])
    top_level = {".".join(module.split(".")[:2]) for module in DOMAIN if module != "portplan"}
    assert top_level - listed == set()
