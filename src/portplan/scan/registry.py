"""Every file kind a scan reads, in order of precedence (see `portplan.scan.kinds`)."""

from __future__ import annotations

from functools import lru_cache

from portplan.scan import compose, envfile, kubernetes
from portplan.scan.kinds import FileKind

FILE_KINDS: tuple[FileKind, ...] = (
    compose.KIND,
    envfile.KIND,
    kubernetes.KIND,
)


# A tree repeats a few names (`compose.yaml`, `.env`) thousands of times: match each once.
@lru_cache(maxsize=4096)
def kind_of(name: str) -> FileKind | None:
    lowered = name.lower()
    return next((kind for kind in FILE_KINDS if kind.matches(lowered)), None)
