"""What a reader may ask of the scan while it reads one file: the `.env` Compose would use
for a folder, and other files a Compose file names (`extends`, `include`), read with the same
limits and the same rule about symbolic links.

One `FolderContext` serves every file of one scanned folder, so each `.env` and each named
file is read once however many files use it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from portplan.scan.envtext import EnvText, read_env_text
from portplan.scan.files import read_text
from portplan.scan.spans import SpanFinder, ValueOrigins
from portplan.scan.uses import FileNote, FileReading, Place


@dataclass(slots=True)
class FolderContext:
    root: Path  # the scanned folder as given
    label: str  # how the user sees it
    real_root: Path = field(init=False)
    _env: dict[Path, EnvText] = field(default_factory=dict)
    _texts: dict[Path, tuple[str | None, FileNote | None]] = field(default_factory=dict)
    _finders: dict[Path, SpanFinder] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.real_root = self.root.resolve()

    def label_of(self, path: Path) -> str:
        """A path as the user should see it: under the folder's label when it is inside."""
        relative = os.path.relpath(os.path.normpath(path), os.path.normpath(self.root))
        if relative.startswith(os.pardir):
            return os.path.normpath(path)
        return os.path.normpath(os.path.join(self.label, relative))

    def leaves(self, path: Path, home: Path) -> bool:
        """True for a symbolic link (anywhere on the path) that points out of `home`'s tree."""
        try:
            real = path.resolve(strict=True)
        except (OSError, RuntimeError):
            return False  # missing: the read says so
        unresolved = Path(os.path.abspath(path))
        if real == unresolved:
            return False
        real_home = home.resolve()
        return not (real == real_home or real.is_relative_to(real_home))

    def env_for(self, folder: Path) -> EnvText:
        """The `.env` Compose reads for a project in `folder`; empty when there is none.

        Never opened when it is a link out of the scanned folder (or, for a folder outside it,
        out of that folder): its walker entry says "not followed", and no value of it is used.
        """
        key = Path(os.path.abspath(folder))
        if key not in self._env:
            path = folder / ".env"
            home = self.root if self._inside(key) else folder
            env = EnvText()
            if os.path.lexists(path) and not self.leaves(path, home):
                text, _ = self.text(path)  # the file's own reading reports its problems
                if text is not None:
                    env = read_env_text(text)
            self._env[key] = env
        return self._env[key]

    def env_origins(self, folder: Path) -> ValueOrigins:
        """Where each verbatim value of `env_for(folder)` is written."""
        path = Path(os.path.abspath(folder / ".env"))
        return {key: (path, start) for key, start in self.env_for(folder).starts.items()}

    def finder(self, path: Path) -> SpanFinder:
        """Offsets of values in a file already read through `text`."""
        key = Path(os.path.abspath(path))
        if key not in self._finders:
            self._finders[key] = SpanFinder(key, self.text(path)[0] or "")
        return self._finders[key]

    def with_texts(self, texts: dict[Path, str]) -> None:
        """Read these files as if they held these texts (apply checks an edit before writing)."""
        for path, text in texts.items():
            self._texts[Path(os.path.abspath(path))] = (text, None)

    def text(self, path: Path) -> tuple[str | None, FileNote | None]:
        key = Path(os.path.abspath(path))
        if key not in self._texts:
            self._texts[key] = read_text(path, Place(self.label_of(path)))
        return self._texts[key]

    def contains(self, path: Path) -> bool:
        """True when the path, as written (links not followed), is inside the scanned folder."""
        written = Path(os.path.abspath(path))
        root = Path(os.path.abspath(self.root))
        return written == root or written.is_relative_to(root)

    def _inside(self, path: Path) -> bool:
        real = path.resolve()
        return real == self.real_root or real.is_relative_to(self.real_root)


@dataclass(frozen=True, slots=True)
class ReadRequest:
    """One file to read: where it is, how it is shown, and the folder it was found in."""

    path: Path
    label: str
    context: FolderContext


Reader = Callable[[str, ReadRequest], FileReading | None]
