"""Reading a file's text for a reader: size limit, permissions and encoding become notes."""

from __future__ import annotations

from pathlib import Path

from portplan.scan.uses import FileNote, Place

MAX_BYTES = 1024 * 1024


def read_text(path: Path, place: Place) -> tuple[str | None, FileNote | None]:
    """The file's text, or None and a note saying why it was not read."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return None, FileNote("info", place, f"skipped: {size:,} bytes is over the 1 MiB limit")
        raw = path.read_bytes()
    except PermissionError:
        return None, FileNote("warning", place, "cannot be read (permission denied)")
    except OSError as error:
        return None, FileNote("warning", place, f"cannot be read ({error.strerror or error})")
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        return None, FileNote("warning", Place(place.label, line), "is not UTF-8 text")
