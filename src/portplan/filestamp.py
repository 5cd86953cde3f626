"""What a plan file looked like when it was loaded or saved, to notice a change made elsewhere.

Another editor or a `git pull` can rewrite the file while the planner has it open; saving
over that change would silently lose it. Size and modification time answer cheaply; the
content hash settles a touch that changed nothing.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from portplan.records import record


class ChangedOnDisk(Exception):
    """The plan file changed since it was loaded or last saved."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"{path.name} changed on disk since it was opened")
        self.path = path


@record
class FileStamp:
    mtime_ns: int
    size: int
    sha256: str

    @classmethod
    def of(cls, path: Path) -> FileStamp | None:
        """The file's stamp, or None when there is no file."""
        try:
            data = path.read_bytes()
            status = path.stat()
        except FileNotFoundError:
            return None
        return cls(status.st_mtime_ns, status.st_size, hashlib.sha256(data).hexdigest())


def changed_since(stamp: FileStamp | None, path: Path) -> bool:
    """True when the file is not the one `stamp` describes (created, removed or rewritten)."""
    try:
        status = path.stat()
    except FileNotFoundError:
        return stamp is not None
    if stamp is None:
        return True
    if (status.st_mtime_ns, status.st_size) == (stamp.mtime_ns, stamp.size):
        return False
    current = FileStamp.of(path)
    return current is None or current.sha256 != stamp.sha256
