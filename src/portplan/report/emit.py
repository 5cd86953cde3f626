"""`--format text|json|github|sarif` for every command that reports findings.

In the machine formats stdout holds only the report, so that it can be piped or uploaded;
the one-line summary a person wants goes to stderr (unless `--quiet`).
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from portplan.terminal import json_text, visible

if TYPE_CHECKING:
    from portplan.report.items import Report

MACHINE_FORMATS = ("json", "github", "sarif")
FORMATS = ("text", *MACHINE_FORMATS)


HELP = {
    "text": "text (default)",
    "json": "json (the envelope of docs/json.md)",
    "github": "github (GitHub Actions annotations)",
    "sarif": "sarif (SARIF 2.1.0, for code scanning)",
}


def add_format_argument(
    parser: argparse.ArgumentParser,
    formats: tuple[str, ...] = FORMATS,
    *,
    extra: dict[str, str] | None = None,
) -> None:
    """`--format`; `extra` adds a command's own formats (name → help)."""
    helps = {**{name: HELP[name] for name in formats}, **(extra or {})}
    parser.add_argument(
        "--format", choices=tuple(helps), default="text", help="; ".join(helps.values())
    )


def render(report: Report, output: str) -> str:
    if output == "json":
        from portplan.report.json_report import envelope

        return json_text(envelope(report))
    if output == "github":
        from portplan.report.github import render_github

        return render_github(report)
    if output == "sarif":
        from portplan.report.sarif import sarif_log

        return json_text(sarif_log(report))
    raise ValueError(f"not a machine format: {output}")


def summary_line(report: Report) -> str:
    counts = report.summary()
    parts = [f"{counts['error']} error" + ("" if counts["error"] == 1 else "s")]
    parts.append(f"{counts['warning']} warning" + ("" if counts["warning"] == 1 else "s"))
    parts.append(f"{counts['info']} info")
    if counts["accepted"]:
        parts.append(f"{counts['accepted']} accepted")
    where = f" ({report.plan})" if report.plan else ""
    return f"portplan {report.command}{where}: {', '.join(parts)}"


def emit(report: Report, output: str, *, quiet: bool = False) -> None:
    """Write the report in a machine format to stdout and its summary to stderr."""
    sys.stdout.write(render(report, output))
    if not quiet:
        # A person reads the summary: the plan path in it must not command the terminal.
        print(visible(summary_line(report)), file=sys.stderr)
