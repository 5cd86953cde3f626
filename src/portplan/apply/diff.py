"""A file edit as a unified diff, the way `git diff` shows it, for a person to read.

Line endings are not shown as characters: a CRLF file is said to be one in the header
(its `\\r` stays in the file); a last line without a newline gets git's marker.
"""

from __future__ import annotations

import difflib

from portplan.apply.textedits import FileEdit

CONTEXT_LINES = 1


def unified_diff(file: FileEdit) -> list[str]:
    """The diff's lines, without line ends."""
    old = file.old.splitlines(keepends=True)
    new = file.new.splitlines(keepends=True)
    crlf = "  (CRLF line endings, kept)" if "\r\n" in file.old else ""
    lines = [f"--- a/{file.label}{crlf}", f"+++ b/{file.label}"]
    body = difflib.unified_diff(old, new, n=CONTEXT_LINES, lineterm="")
    for line in list(body)[2:]:
        text = line.removesuffix("\n").removesuffix("\r")
        lines.append(text)
        if not line.endswith("\n") and not line.startswith("@@"):
            lines.append("\\ No newline at end of file")
    return lines
