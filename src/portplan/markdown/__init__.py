"""The Markdown port-assignments document: read it into a plan, and the shape and inline text
that `exporters.markdown_export` writes it with.

    shape      section titles, table columns, how ranges and dates are written (both ways)
    text       inline text both ways: mojibake repair and decoration on reading, escapes on writing
    blocks     markdown-it block tokens: where a block ends, table rows, `**Label:**` lines
    document   what the reader has collected so far, and the document's shape in full
    reader     reads headings, paragraphs and tables into the document
    assemble   turns what was read into plan data, with the source line of each place
    importer   the import format: a document (text or file) to a plan and its notes
"""

from __future__ import annotations

from portplan.markdown.importer import import_markdown, read_markdown

__all__ = ["import_markdown", "read_markdown"]
