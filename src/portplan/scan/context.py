"""What a reader may ask of the scan while it reads one file: the `.env` Compose would use
for a folder, and other files a Compose file names (`extends`, `include`), read with the same
limits and the same rule about symbolic links.

One `FolderContext` serves every file of one scanned folder, so each `.env` and each named
file is read (and parsed) once however many files use it, and each path's absolute form and
label are worked out once.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
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
    _env: dict[str, tuple[EnvText, ValueOrigins]] = field(default_factory=dict)
    _parsed_env: dict[str, EnvText] = field(default_factory=dict)
    _texts: dict[str, tuple[str | None, FileNote | None]] = field(default_factory=dict)
    _finders: dict[str, SpanFinder] = field(default_factory=dict)
    _absolute: dict[str, str] = field(default_factory=dict)
    _labels: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.real_root = self.root.resolve()

    def absolute(self, path: Path | str) -> str:
        """`os.path.abspath` of the path, remembered (each call asks for the working folder)."""
        written = os.fspath(path)
        if (known := self._absolute.get(written)) is None:
            known = self._absolute[written] = os.path.abspath(written)
        return known

    def label_of(self, path: Path) -> str:
        """A path as the user should see it: under the folder's label when it is inside."""
        written = os.fspath(path)
        if (known := self._labels.get(written)) is None:
            relative = os.path.relpath(os.path.normpath(path), os.path.normpath(self.root))
            if relative.startswith(os.pardir):
                known = os.path.normpath(path)
            else:
                known = os.path.normpath(os.path.join(self.label, relative))
            self._labels[written] = known
        return known

    def leaves(self, path: Path, home: Path) -> bool:
        """True for a symbolic link (anywhere on the path) that points out of `home`'s tree."""
        try:
            real = path.resolve(strict=True)
        except (OSError, RuntimeError):
            return False  # missing: the read says so
        unresolved = Path(self.absolute(path))
        if real == unresolved:
            return False
        real_home = self.real_root if home is self.root else home.resolve()
        return not (real == real_home or real.is_relative_to(real_home))

    def env_for(self, folder: Path) -> EnvText:
        """The `.env` Compose reads for a project in `folder`; empty when there is none.

        Never opened when it is a link out of the scanned folder (or, for a folder outside it,
        out of that folder): its walker entry says "not followed", and no value of it is used.
        """
        return self._folder_env(folder)[0]

    def env_origins(self, folder: Path) -> ValueOrigins:
        """Where each verbatim value of `env_for(folder)` is written."""
        return self._folder_env(folder)[1]

    def included_env(self, folder: Path, outer: Mapping[str, str]) -> tuple[EnvText, ValueOrigins]:
        """The `.env` of an included project in `folder`, its variables looked up in the
        including project's values `outer` first (see `read_env_text`)."""
        return self._read_folder_env(folder, outer) if outer else self._folder_env(folder)

    def _folder_env(self, folder: Path) -> tuple[EnvText, ValueOrigins]:
        key = self.absolute(folder)
        if (known := self._env.get(key)) is None:
            known = self._env[key] = self._read_folder_env(folder)
        return known

    def _read_folder_env(
        self, folder: Path, outer: Mapping[str, str] | None = None
    ) -> tuple[EnvText, ValueOrigins]:
        path = folder / ".env"
        home = self.root if self._inside(Path(self.absolute(folder))) else folder
        env = EnvText()
        if os.path.lexists(path) and not self.leaves(path, home):
            text, _ = self.text(path)  # the file's own reading reports its problems
            if text is not None:
                env = self.parsed_env(text, outer)
        where = Path(self.absolute(path))
        return env, {name: (where, start) for name, start in env.starts.items()}

    def parsed_env(self, text: str, outer: Mapping[str, str] | None = None) -> EnvText:
        """`read_env_text(text)`, once per text: a `.env` is read as a file of its own and as
        the variables of the Compose files beside it. Read it; never change it. With `outer`
        (an included project's), read afresh each time."""
        if outer:
            return read_env_text(text, outer)
        if (known := self._parsed_env.get(text)) is None:
            known = self._parsed_env[text] = read_env_text(text)
        return known

    def finder(self, path: Path) -> SpanFinder:
        """Offsets of values in a file already read through `text`."""
        key = self.absolute(path)
        if (known := self._finders.get(key)) is None:
            known = self._finders[key] = SpanFinder(Path(key), self.text(path)[0] or "")
        return known

    def with_texts(self, texts: dict[Path, str]) -> None:
        """Read these files as if they held these texts (apply checks an edit before writing)."""
        for path, text in texts.items():
            self._texts[self.absolute(path)] = (text, None)

    def text(self, path: Path) -> tuple[str | None, FileNote | None]:
        key = self.absolute(path)
        if (known := self._texts.get(key)) is None:
            known = self._texts[key] = read_text(path, Place(self.label_of(path)))
        return known

    def contains(self, path: Path) -> bool:
        """True when the path, as written (links not followed), is inside the scanned folder."""
        written = Path(self.absolute(path))
        root = Path(self.absolute(self.root))
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
