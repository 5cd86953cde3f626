from __future__ import annotations

import pytest

from portplan.markdown.text import (
    escape_inline,
    join_stripped,
    make_parser,
    read_segments,
    repair_mojibake,
    strip_decoration,
    uncarriable,
)


def read_cell(source: str) -> str:
    tokens = make_parser().parse(f"| h |\n| - |\n| {source} |\n")
    inline = [token for token in tokens if token.type == "inline"][-1]
    return join_stripped(read_segments(inline.children))


@pytest.mark.parametrize(
    ("broken", "fixed"),
    [
        ("Œ£LANG", "ΣLANG"),  # UTF-8 read as Mac Roman
        ("\uf8ffüéØ PORT RANGE", "🎯 PORT RANGE"),  # Mac Roman's 0xF0 is U+F8FF
        ("CafÃ©", "Café"),  # UTF-8 read as Windows-1252
        ("naïve Œ£", "naïve Σ"),  # word by word when the whole line is not exact
        ("Œx", "Œx"),  # not UTF-8 in either codec: left alone
        ("plain", "plain"),
    ],
)
def test_repair_only_where_exact(broken: str, fixed: str) -> None:
    assert repair_mojibake(broken) == fixed


def test_decoration_is_dropped_from_the_start_only() -> None:
    assert strip_decoration("⚠️ RESERVED ⚠") == "RESERVED ⚠"
    assert strip_decoration("🟣 Ryot LLM") == "Ryot LLM"
    assert strip_decoration("Ryot") == "Ryot"


@pytest.mark.parametrize(
    "text",
    [
        "a|b",
        "\\|",
        "**bold**",
        "<b>x</b>",
        "&amp;",
        " edge ",
        "Œ£LANG",
        "1. list",
        "# h",
        "`code`",
        "[link](x)",
        "tab\there",
        "line\nbreak",
        "\u00a0nbsp",
        "x\\",
        "\\\\|",
    ],
)
def test_escaped_text_reads_back_exactly(text: str) -> None:
    assert read_cell(escape_inline(text)) == text


@pytest.mark.parametrize("bidi", ["\u202a", "\u202e", "\u2066", "\u2069"])
def test_bidi_characters_are_written_as_references(bidi: str) -> None:
    # Written as themselves they would reorder what a terminal or an editor shows.
    written = escape_inline(f"evil{bidi}txt.exe")
    assert bidi not in written
    assert f"&#{ord(bidi)};" in written
    assert read_cell(written) == f"evil{bidi}txt.exe"


def test_escaping_keeps_ordinary_text_readable() -> None:
    assert escape_inline("Desktop App (Dev)") == "Desktop App (Dev)"
    assert escape_inline("SigmaLang (ΣLANG)") == "SigmaLang (ΣLANG)"
    assert escape_inline("Cache & Messaging") == "Cache \\& Messaging"


def test_uncarriable_characters() -> None:
    assert uncarriable("a\x00b") == "\x00"
    assert uncarriable("tab\tand\nnewline") is None
    assert uncarriable("\x85") == "\x85"
