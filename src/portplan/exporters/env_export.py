"""`PROJECT_SERVICE_PORT=16432` lines for .env files.

A project's alias in parentheses is left out (`SigmaLang (ΣLANG)` gives `SIGMALANG_…`). Names
are folded to ASCII (accents dropped; a letter with no ASCII form is spelled by its
Unicode name, so `ΣLANG` becomes `SIGMALANG`), upper-cased, and every other character becomes
`_`. Two services that fold to the same variable keep plan order: the first gets the plain
name, the next ones `_2`, `_3` … before `_PORT`, skipping any name another service has
naturally. The names are worked out over the whole plan, so exporting one project gives the
same names as exporting all of them.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from portplan.exporters import project_names, refuse_control_characters
from portplan.model import Plan

_NOT_WORD = re.compile(r"[^A-Z0-9]+")
# "SigmaLang (ΣLANG)": the reference writes a project's alias in parentheses after its name.
_ALIAS = re.compile(r"^(?P<name>.*\S)\s*\([^()]*\)$", re.DOTALL)


def _fold_char(char: str) -> str:
    if char.isascii():
        return char
    decomposed = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
    if decomposed:
        return decomposed
    if char.isalpha():
        # "GREEK CAPITAL LETTER SIGMA" → "SIGMA": readable, and the same on every machine.
        return unicodedata.name(char, "").split(" ")[-1]
    return " "


def variable_part(text: str, fallback: str) -> str:
    folded = "".join(_fold_char(char) for char in text).upper()
    part = _NOT_WORD.sub("_", folded).strip("_")
    return part or fallback


def project_part(name: str) -> str:
    """The project's part of a variable: its name without a parenthesised alias."""
    match = _ALIAS.match(name)
    part = variable_part(match["name"], "") if match else ""
    return part or variable_part(name, "PROJECT")


def variable_names(plan: Plan) -> list[tuple[str, str, str, int, str]]:
    """(variable, project, tier, port, service) for every service, in plan order."""
    natural: list[tuple[str, str, str, int, str]] = []
    for project, tier, service in plan.services():
        base = f"{project_part(project.name)}_{variable_part(service.name, 'SERVICE')}"
        if base[0].isdigit():
            base = "_" + base
        natural.append((base, project.name, tier.name, service.port, service.name))
    counts = Counter(base for base, *_ in natural)
    taken = {f"{base}_PORT" for base in counts}
    seen: set[str] = set()
    named: list[tuple[str, str, str, int, str]] = []
    for base, project_name, tier_name, port, service_name in natural:
        variable = f"{base}_PORT"
        if counts[base] > 1 and base in seen:
            suffix = 2
            while f"{base}_{suffix}_PORT" in taken:
                suffix += 1
            variable = f"{base}_{suffix}_PORT"
            taken.add(variable)
        seen.add(base)
        named.append((variable, project_name, tier_name, port, service_name))
    return named


def export_env(plan: Plan, only: str | None = None) -> str:
    """Every service's variable; with `only`, just that project's (names as in the full plan)."""
    # Variables are folded to ASCII; a project's name is written as is in its comment line.
    refuse_control_characters(project_names(plan, only), "a .env file")
    lines: list[str] = []
    current = None
    ranges = {project.name: project.ports for project in plan.projects}
    for variable, project, _, port, _ in variable_names(plan):
        if only is not None and project != only:
            continue
        if project != current:
            if lines:
                lines.append("")
            lines.append(f"# {_comment(project)} ({ranges[project]})")
            current = project
        lines.append(f"{variable}={port}")
    return "\n".join(lines) + "\n" if lines else ""


def _comment(text: str) -> str:
    # A comment runs to the end of the line: a newline in a name must not start a new entry.
    return " ".join(text.split())
