"""Help text of registered formats, wrapped for `--help` without splitting a code span.

The formats' help is prose with `code` in it (`## RESERVED SYSTEM PORTS (NEVER USE)`); a
line break inside a code span would print a Markdown heading marker alone at a line's end.
"""

from __future__ import annotations

import re

# A code span with what is glued to it (`16000/udp`), or any other run of non-spaces.
_WORDS = re.compile(r"(?:`[^`]*`|[^\s`])+|`")


def fill(text: str, width: int, first: str = "", rest: str = "") -> str:
    """`text` in lines of at most `width` characters where the words allow, the first line
    starting with `first` and the others with `rest`."""
    lines: list[str] = []
    line = first
    fresh = True
    for word in _WORDS.findall(text):
        if not fresh and len(line) + 1 + len(word) > width:
            lines.append(line)
            line, fresh = rest, True
        line += word if fresh else " " + word
        fresh = False
    lines.append(line)
    return "\n".join(lines)
