"""`.env` text through python-dotenv: the values (interpolated the way python-dotenv does) and
the line each key is set on, which `dotenv_values` alone does not keep.
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass

from dotenv import dotenv_values
from dotenv.parser import parse_stream


@dataclass(slots=True)
class EnvText:
    values: dict[str, str | None]
    lines: dict[str, int]  # key → 1-based line of its last assignment (the one that wins)
    bad_lines: list[int]  # lines python-dotenv could not parse


def read_env_text(text: str) -> EnvText:
    lines: dict[str, int] = {}
    bad_lines: list[int] = []
    for binding in parse_stream(io.StringIO(text)):
        # A binding's text starts with the blank lines before it; its line is the first one.
        original = binding.original.string
        blank = original[: len(original) - len(original.lstrip())].count("\n")
        line = binding.original.line + blank
        if binding.error:
            bad_lines.append(line)
        elif binding.key is not None:
            lines[binding.key] = line
    # python-dotenv logs each bad line itself; they are reported as notes with the rest.
    dotenv_logger = logging.getLogger("dotenv.main")
    previous = dotenv_logger.disabled
    dotenv_logger.disabled = True
    try:
        values = dict(dotenv_values(stream=io.StringIO(text)))
    finally:
        dotenv_logger.disabled = previous
    return EnvText(values, lines, bad_lines)
