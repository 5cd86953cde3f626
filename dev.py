#!/usr/bin/env python3
"""Bootstrap and run portplan from a fresh clone with nothing but python3.

    python3 dev.py [PLAN]        open the planner (default: data/ports.toml)
    python3 dev.py test [ARGS]   run the whole test suite (extra ARGS go to pytest)
    python3 dev.py lint          ruff (lint and format check), mypy --strict, import contracts
    python3 dev.py check [ARGS]  lint, then the tests: what CI runs (ARGS go to pytest)
    python3 dev.py lint-imports  only the import contracts (for the pre-commit hook)
    python3 dev.py portplan ARGS run any portplan command, e.g. `check --format json`

The first run creates `.venv/` beside this file and installs the project into it
(editable, with its test and dev extras); later runs reinstall only when pyproject.toml
changes.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".portplan-installed"
# Paths the linters look at; mypy takes its files from pyproject.toml.
LINTED = ["src", "tests", "benchmarks", "scripts", "dev.py"]


def _wanted_stamp() -> str:
    return hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()


def ensure_environment() -> None:
    if not PYTHON.exists():
        print("portplan: creating .venv (first run only)…", file=sys.stderr)
        venv.EnvBuilder(with_pip=True).create(VENV)
    if STAMP.exists() and STAMP.read_text() == _wanted_stamp():
        return
    print("portplan: installing dependencies into .venv…", file=sys.stderr)
    pip = [str(PYTHON), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "--upgrade", "pip"], check=True)
    subprocess.run([*pip, "-e", f"{ROOT}[test,dev]"], check=True)
    STAMP.write_text(_wanted_stamp())


def _has_import_contracts() -> bool:
    """Whether pyproject.toml declares import-linter contracts to check."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return "importlinter" in config.get("tool", {})


def lint() -> int:
    """Run each static check, all of them even after a failure; non-zero if any failed."""
    steps = [
        ["ruff", "check", *LINTED],
        ["ruff", "format", "--check", *LINTED],
        ["mypy"],
    ]
    if _has_import_contracts():
        steps.append(["lint-imports"])
    failed = []
    for step in steps:
        print(f"$ {' '.join(step)}", file=sys.stderr, flush=True)
        if subprocess.call([str(BIN / step[0]), *step[1:]]) != 0:
            failed.append(step[0] if step[0] != "ruff" else " ".join(step[:2]))
    if failed:
        print(f"portplan: failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


def main(argv: list[str]) -> int:
    ensure_environment()
    os.chdir(ROOT)
    if argv[:1] == ["lint"]:
        return lint()
    if argv[:1] == ["lint-imports"]:
        if not _has_import_contracts():
            print("portplan: no [tool.importlinter] contracts in pyproject.toml", file=sys.stderr)
            return 0
        return subprocess.call([str(BIN / "lint-imports")])
    if argv[:1] == ["check"]:
        return lint() or subprocess.call([str(PYTHON), "-m", "pytest", *argv[1:]])
    if argv[:1] == ["test"]:
        command = [str(PYTHON), "-m", "pytest", *argv[1:]]
    elif argv[:1] == ["portplan"]:
        command = [str(PYTHON), "-m", "portplan", *argv[1:]]
    else:
        command = [str(PYTHON), "-m", "portplan", *(argv or ["data/ports.toml"])]
    return subprocess.call(command)


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except subprocess.CalledProcessError as error:
        sys.exit(f"portplan: setting up .venv failed ({error}); see the pip output above.")
