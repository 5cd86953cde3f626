#!/usr/bin/env python3
"""Bootstrap and run portplan from a fresh clone with nothing but python3.

    python3 dev.py [PLAN]        open the planner (default: data/ports.toml)
    python3 dev.py test [ARGS]   run the whole test suite (extra ARGS go to pytest)
    python3 dev.py portplan ARGS run any portplan command, e.g. `check --format json`

The first run creates `.venv/` beside this file and installs the project into it
(editable, with its test extras); later runs reinstall only when pyproject.toml changes.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".portplan-installed"


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
    subprocess.run([*pip, "-e", f"{ROOT}[test]"], check=True)
    STAMP.write_text(_wanted_stamp())


def main(argv: list[str]) -> int:
    ensure_environment()
    os.chdir(ROOT)
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
