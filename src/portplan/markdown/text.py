"""Inline text in port-plan Markdown documents, both ways.

Reading: markdown-it gives an inline token stream. Literal text is repaired when it is UTF-8
that was once decoded as Mac Roman or Windows-1252 (`Œ£LANG` → `ΣLANG`), and decoration emoji
at the start of a heading are dropped. Backslash escapes and character references are taken as
written: they are the author saying "exactly this character", so they are never repaired,
stripped or trimmed.

Writing is the inverse: `escape_inline` produces text that reads back to exactly the string it
was given. Markdown-significant characters get a backslash; whitespace at the edges, line
breaks, a leading decoration symbol in a heading and any run that the reader would "repair"
become numeric character references (`&#32;`).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token

from portplan.terminal import ESCAPED_CHARACTERS

# Tried in this order; Mac Roman first because it is what the reference document went through.
MOJIBAKE_CODECS = ("mac_roman", "cp1252")

# Characters that never start a name: pictographs and what joins or modifies them.
_DECORATION_MARKS = {"\ufe0e", "\ufe0f", "\u200d", "\u20e3"}

# Backslash escapes are honoured for ASCII punctuation only (CommonMark 2.4); these are the
# characters that could start markup inside a line.
_SIGNIFICANT = set("`*_[]<>&|!~#")

# Controls that Markdown cannot carry: a character reference to them reads back as U+FFFD
# (CommonMark 2.5), and markdown-it turns a literal NUL into U+FFFD as well.
_REFERABLE_CONTROLS = {"\t", "\n", "\x0c", "\r"}


def make_parser() -> MarkdownIt:
    """CommonMark with GFM tables; escapes and references stay separate tokens (no text_join),
    so the reader can tell what the author wrote literally."""
    return MarkdownIt("commonmark").enable("table").disable("text_join")


def uncarriable(text: str) -> str | None:
    """The first character of `text` that no Markdown document can carry, if any."""
    for char in text:
        if unicodedata.category(char) == "Cc" and char not in _REFERABLE_CONTROLS:
            return char
        if unicodedata.category(char) == "Cs" or char in ("\ufffe", "\uffff"):
            return char
    return None


# --- repair -------------------------------------------------------------------------------


def _repair_exact(chunk: str) -> str | None:
    if chunk.isascii():
        return None
    candidates: list[str] = []
    for codec in MOJIBAKE_CODECS:
        try:
            fixed = chunk.encode(codec).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        if fixed != chunk:
            candidates.append(fixed)
    if not candidates:
        return None
    # Both codecs can be exact: `Ã©` is `é` via Windows-1252 but `̩` (a stray combining
    # mark) via Mac Roman. Real text rarely has combining marks, so the fewer the better;
    # min() keeps codec order on a tie.
    return min(candidates, key=lambda text: sum(unicodedata.category(c) == "Mn" for c in text))


def repair_mojibake(text: str) -> str:
    """Undo UTF-8-read-as-Mac-Roman (or Windows-1252) where the undo is exact.

    The whole run is tried first; failing that, each space-separated word on its own, so one
    innocent `é` elsewhere on the line does not block the repair of `Œ£LANG`.
    """
    whole = _repair_exact(text)
    if whole is not None:
        return whole
    words = text.split(" ")
    return " ".join(_repair_exact(word) or word for word in words)


def is_decoration(char: str) -> bool:
    code = ord(char)
    return (
        unicodedata.category(char) == "So"
        or char in _DECORATION_MARKS
        or 0x1F3FB <= code <= 0x1F3FF  # skin-tone modifiers
        or 0xE0020 <= code <= 0xE007F  # tag characters of flag sequences
    )


def strip_decoration(text: str) -> str:
    """Drop decoration emoji (and the space after them) from the start of a heading."""
    index = 0
    while index < len(text) and (is_decoration(text[index]) or text[index].isspace()):
        index += 1
    return text[index:]


# --- reading ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Segment:
    """A piece of inline text; `literal` when written as plain characters in the source."""

    text: str
    literal: bool


def read_segments(children: Sequence[Token] | None, *, heading: bool = False) -> list[Segment]:
    """Inline tokens to segments: literal runs repaired, escapes and references verbatim."""
    segments: list[Segment] = []
    pending: list[str] = []

    def flush() -> None:
        if pending:
            segments.append(Segment(repair_mojibake("".join(pending)), True))
            pending.clear()

    for token in children or []:
        if token.type == "text":
            pending.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            # A paragraph wrapped over several lines means one line of text.
            pending.append(" ")
        elif token.type in ("text_special", "code_inline", "html_inline"):
            flush()
            segments.append(Segment(token.content, False))
        # Emphasis and link markers carry no text of their own.
    flush()
    if heading and segments and segments[0].literal:
        segments[0] = Segment(strip_decoration(segments[0].text), True)
    return segments


def join_stripped(segments: Sequence[Segment]) -> str:
    """The text of `segments`, with literal whitespace at either edge removed."""
    parts = [segment.text for segment in segments]
    for index, segment in enumerate(segments):
        if not segment.literal:
            break
        parts[index] = segment.text.lstrip()
        if parts[index]:
            break
    for index in range(len(segments) - 1, -1, -1):
        if not segments[index].literal:
            break
        parts[index] = parts[index].rstrip()
        if parts[index]:
            break
    return "".join(parts)


# --- writing ------------------------------------------------------------------------------


def _reference(char: str) -> str:
    return f"&#{ord(char)};"


def escape_segments(
    text: str, *, heading: bool = False, block_start: bool = False, also: Iterable[str] = ()
) -> list[Segment]:
    """`text` as segments of Markdown source; non-literal segments are escapes/references.

    `heading`: protect a leading decoration symbol; `block_start`: the text opens a paragraph,
    so its first character could start a list, quote or heading; `also`: characters to write
    as references (a separator such as `,`).
    """
    extra = set(also)
    out: list[Segment] = []
    last = len(text) - 1
    for index, char in enumerate(text):
        at_edge = index in (0, last)
        if char in extra or (char.isspace() and (at_edge or char != " ")):
            out.append(Segment(_reference(char), False))
        elif char in ESCAPED_CHARACTERS:
            # A bidi override written as itself would reorder what a terminal or an editor
            # shows around it (the controls among these are refused before writing).
            out.append(Segment(_reference(char), False))
        elif index == 0 and heading and is_decoration(char):
            out.append(Segment(_reference(char), False))
        elif index == 0 and block_start and not char.isalpha():
            out.append(Segment(_reference(char), False))
        elif char == "\\":
            # In a table cell `\\|` would read as a backslash and an escaped pipe.
            out.append(Segment(_reference(char), False))
        elif char in _SIGNIFICANT:
            out.append(Segment("\\" + char, False))
        else:
            out.append(Segment(char, True))
    return out


def render_segments(segments: Sequence[Segment]) -> str:
    """Join segments to source, writing as references the non-ASCII characters of any literal
    run that the reader would otherwise "repair"."""
    out: list[str] = []
    run: list[str] = []

    def flush() -> None:
        text = "".join(run)
        if text and repair_mojibake(text) != text:
            text = "".join(char if char.isascii() else _reference(char) for char in text)
        out.append(text)
        run.clear()

    for segment in segments:
        if segment.literal:
            run.append(segment.text)
        else:
            flush()
            out.append(segment.text)
    flush()
    return "".join(out)


def escape_inline(text: str, *, heading: bool = False, block_start: bool = False) -> str:
    """Markdown source that reads back (see `read_segments`) as exactly `text`."""
    return render_segments(escape_segments(text, heading=heading, block_start=block_start))
