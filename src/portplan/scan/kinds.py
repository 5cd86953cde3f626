"""The kinds of file a scan reads, in one registry: a new kind is one reader module that
defines a `FileKind`, plus one line in `FILE_KINDS`.

The walker asks the registry which kind a file name is (the first kind whose pattern matches
wins, so the order of `FILE_KINDS` is the precedence: a `compose.yaml` is Compose, not
Kubernetes), and the scan hands each file's text to its kind's reader.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass

from portplan.scan.context import Reader


@dataclass(frozen=True, slots=True)
class FileKind:
    name: str
    patterns: tuple[str, ...]  # fnmatch patterns on the lower-cased file name
    read: Reader  # None from a reader: not this kind after all (a YAML file, not a manifest)

    def matches(self, lowered_name: str) -> bool:
        return any(fnmatch.fnmatchcase(lowered_name, pattern) for pattern in self.patterns)
