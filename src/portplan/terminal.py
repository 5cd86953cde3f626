"""Text that is safe to print on a terminal: every character that could command it shows.

A plan, a Compose file or a process name can hold `ESC [2J` (clear the screen), OSC 52 (write
the clipboard), OSC 8 (a hidden link), a C1 control such as CSI (0x9B) or a bidi override that
reorders what the reader sees. Every line of text output passes through `visible` (through
`coloured`, by way of `Painter.show`, where it is coloured), so each of those prints as an
escape like `\\x1b` or `\\u202e`. Machine formats keep their own escaping: JSON and SARIF go
through `json_text`, which writes the same characters as `\\uXXXX`; CSV and .env files refuse
them.
"""

from __future__ import annotations

import os
import re

__all__ = [
    "ESCAPED_CHARACTERS",
    "colour",
    "coloured",
    "escape_table",
    "first_escaped",
    "json_text",
    "one_line",
    "visible",
]

# C0 controls but tab and newline, DEL, C1 controls, and the bidi embeddings, overrides and
# isolates (U+202A–U+202E, U+2066–U+2069: the "Trojan Source" characters).
_SHOWN = [
    *(code for code in range(0x20) if chr(code) not in "\t\n"),
    0x7F,
    *range(0x80, 0xA0),
    *range(0x202A, 0x202F),
    *range(0x2066, 0x206A),
]
_ESCAPES = {code: (f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}") for code in _SHOWN}
# The same characters, for writers that check one character at a time.
ESCAPED_CHARACTERS = frozenset(map(chr, _SHOWN))
# And as a pattern, for whole texts (a writer checking every name of a large plan).
_ESCAPED_PATTERN = re.compile("[" + "".join(re.escape(chr(code)) for code in _SHOWN) + "]")
# json.dumps escapes C0 controls itself; with ensure_ascii=False it leaves the rest raw.
_JSON_ESCAPES = {code: f"\\u{code:04x}" for code in _SHOWN if code >= 0x7F}


def visible(text: str) -> str:
    """`text` with every control, C1 and bidi control character shown as its escape."""
    return text.translate(_ESCAPES)


def escape_table(pictures: dict[int, str]) -> dict[int, str]:
    """`visible`'s table for `str.translate`, with `pictures` in place of some of its escapes
    (the planner draws C0 controls as their Unicode pictures, ␛ for ESC)."""
    return {**_ESCAPES, **pictures}


def one_line(text: str) -> str:
    """`visible(text)` with its line breaks shown as `\\n` too: for a name, a description or a
    message inside one line of output. `visible` keeps them, as text output is lines; but a
    plan's text that breaks the line it is in could print a line of its own, such as a fake
    "✓ no conflicts". Names may hold line breaks (a plan round-trips through every format),
    so they are shown, not refused."""
    return visible(text).replace("\n", "\\n")


def json_text(value: object, *, sort_keys: bool = False) -> str:
    """`value` as indented JSON with every control and bidi character written as `\\uXXXX`.

    JSON output is read by programs but also in terminals and CI logs. Other non-ASCII text
    stays readable (ensure_ascii=True would write `ΣLANG` as `\\u03a3LANG`); outside strings
    JSON is ASCII, so the translation changes only characters inside strings, and the value
    read back is the same."""
    import json  # only the JSON writers pay for it

    text = json.dumps(value, ensure_ascii=False, indent=2, sort_keys=sort_keys)
    return text.translate(_JSON_ESCAPES) + "\n"


def first_escaped(text: str) -> str | None:
    """The first character of `text` that `visible` would escape, if any: for a writer that
    refuses such text rather than change it."""
    found = _ESCAPED_PATTERN.search(text)
    return found[0] if found else None


def colour(text: str, code: str) -> str:
    """`visible(text)` in the SGR colour `code` (such as "31"), marked for `coloured`."""
    return f"{_MARK}{code}\x00{visible(text)}{_MARK}"


def coloured(text: str, *, enabled: bool = True) -> str:
    """`visible(text)`, except the spans `colour` made: coloured when `enabled`, plain text
    otherwise. A span is told by a mark chosen at random when portplan starts, not by its
    escape sequences, so a name holding `ESC [31m … ESC [0m` shows as text like any other
    escape instead of passing for portplan's own red."""
    out: list[str] = []
    last = 0
    for match in _SPAN.finditer(text):
        out.append(visible(text[last : match.start()]))
        # The span's text went through `visible` in `colour`.
        out.append(f"\x1b[{match['code']}m{match['text']}\x1b[0m" if enabled else match["text"])
        last = match.end()
    out.append(visible(text[last:]))
    return "".join(out)


# NUL, which `visible` escapes, then a secret: no text shown through `visible`, and no text
# read from a plan, a file or a process (which cannot know the secret), holds the mark.
_MARK = "\x00" + os.urandom(12).hex()
_SPAN = re.compile(rf"{_MARK}(?P<code>[0-9;]+)\x00(?P<text>[^\x00]*){_MARK}")
