"""Pieces every subcommand shares: the PLAN argument, loading, colour, port arguments."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from portplan.catalog import rule_for
from portplan.environment import Environment, read_environment
from portplan.errors import UsageError
from portplan.findings import SEVERITIES, SYMBOLS, Severity
from portplan.model import Plan
from portplan.os_reservations import ReadingError
from portplan.store import load, resolve_plan_path
from portplan.terminal import colour, coloured, one_line


def add_plan_argument(parser: argparse.ArgumentParser, *, positional: bool = True) -> None:
    """PLAN as a positional argument and as `--plan PLAN`, the same on every command (the
    command line merges the two); `scan`, whose positionals are folders, takes a `.toml`
    file among them as the plan."""
    help_text = "plan file (default: $PORTPLAN_FILE, else ./ports.toml, else ./data/ports.toml)"
    if positional:
        parser.add_argument("plan", nargs="?", metavar="PLAN", help=help_text)
        help_text = "the plan file, as PLAN"
    parser.add_argument("--plan", dest="plan_option", metavar="PLAN", help=help_text)


def add_folder_arguments(parser: argparse.ArgumentParser, verb: str) -> None:
    """DIR ..., --plan and --project, as `scan` and `apply` take them."""
    parser.add_argument(
        "folders",
        nargs="*",
        metavar="DIR",
        help=f"folders to {verb} (default: every project's `paths` in the plan)",
    )
    add_plan_argument(parser, positional=False)
    parser.add_argument("--project", help="tie the folders to this project of the plan")


def take_plan_from_folders(args: argparse.Namespace) -> None:
    """`portplan scan PLAN [DIR ...]`, as every other command takes its plan: a first folder
    ending in `.toml` is the plan (commands whose positionals are folders)."""
    if args.folders and args.folders[0].endswith(".toml"):
        given = args.folders.pop(0)
        if args.plan not in (None, given):
            raise UsageError(f"two plans given: {given!r} and --plan {args.plan!r}; give one")
        args.plan = given


def add_environment_arguments(parser: argparse.ArgumentParser) -> None:
    """What the machine reserves is read live; a Windows reading can come from a file."""
    parser.add_argument(
        "--windows-excluded",
        metavar="FILE",
        help="the saved output of `netsh interface ipv4 show excludedportrange protocol=tcp` "
        "(read live on Windows)",
    )


def environment_from(args: argparse.Namespace) -> Environment:
    """The live readings of this machine, with the user's saved netsh output if given."""
    saved = getattr(args, "windows_excluded", None)
    try:
        return read_environment(windows_excluded=Path(saved) if saved else None)
    except ReadingError as error:
        raise UsageError(str(error)) from None


def load_plan(args: argparse.Namespace) -> tuple[Path, Plan]:
    path = resolve_plan_path(args.plan)
    return path, load(path)


def parse_port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise UsageError(f"{text!r} is not a port (a whole number 0-65535)") from None
    if not 0 <= port <= 65535:
        raise UsageError(f"{port} is not a port (0-65535)")
    return port


def positive_count(text: str) -> int:
    try:
        count = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if count < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return count


def plural(count: int, word: str) -> str:
    """`3 errors`, `1 warning`, `2 info`: counts as the reports write them."""
    if word == "info":
        return f"{count} info"
    return f"{count} {word}" + ("" if count == 1 else "s")


def finding_line(severity: Severity, kind: str, text: str, paint: Painter) -> str:
    label = rule_for(kind).label
    symbol = paint(SYMBOLS[severity], severity)
    return f"  {symbol} {one_line(text)}  {paint('[' + label + ']', 'dim')}"


def severity_blocks(items: Sequence[tuple[Severity, str, str]], paint: Painter) -> list[str]:
    """(severity, kind, text) as one block per severity, most severe first, each headed by
    its symbol and count, the way `check` and `scan` print their findings."""
    lines: list[str] = []
    for severity in SEVERITIES:
        group = [item for item in items if item[0] == severity]
        if not group:
            continue
        lines.append("")
        lines.append(paint(f"{SYMBOLS[severity]} {plural(len(group), severity)}", severity))
        lines.extend(finding_line(severity, kind, text, paint) for _, kind, text in group)
    return lines


class Painter:
    """ANSI colour on a terminal, plain text when piped or when NO_COLOR is set;
    FORCE_COLOR (any non-empty value but 0) colours a pipe too, as CI logs render it.
    NO_COLOR wins when both are set (https://no-color.org, https://force-color.org)."""

    CODES = {
        "error": "31",
        "warning": "33",
        "info": "36",
        "bold": "1",
        "dim": "2",
        "removed": "31",
        "added": "32",
    }

    def __init__(self, stream: TextIO | None = None) -> None:
        # Looked up per call, not bound at import: stdout may be replaced after that.
        stream = sys.stdout if stream is None else stream
        if os.environ.get("NO_COLOR"):
            self.enabled = False
        elif os.environ.get("FORCE_COLOR", "") not in ("", "0"):
            self.enabled = True
        else:
            self.enabled = stream.isatty()

    def __call__(self, text: str, style: str) -> str:
        if not self.enabled:
            return text
        # Marked, not coloured: only `show` turns the mark into colour, so that text from the
        # plan inside the same string can never pass for a span of this painter.
        return colour(text, self.CODES[style])

    def show(self, text: str) -> str:
        """`text` safe for the terminal: control characters from names, paths or files are
        shown escaped, and only the spans a Painter made are coloured."""
        return coloured(text, enabled=self.enabled)


def say(text: str, file: TextIO | None = None) -> None:
    """Print one line of text output on `file` (stdout by default), safe for a terminal."""
    stream = sys.stdout if file is None else file
    print(Painter(stream).show(text), file=stream)
