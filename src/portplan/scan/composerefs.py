"""The services a Compose file defines, with `include:` and `extends:` followed as compose-go
follows them, so every port is read where it is written and with the variables it is read with.

- `include:` (a path, or `{path, project_directory, env_file}`) loads another Compose file as
  its own project: its variables come from its own `.env` (or `env_file`), under the
  including project's values, which win (compose-go `loader/include.go`).
- `extends:` (`NAME`, or `{service, file}`) starts the service from another one, in the same
  file or in `file` (relative to the file that names it), read with the same variables
  (compose-go `loader/extends.go`); `ports` and `expose` add to the base's, unless tagged
  `!override` (replaces them) or `!reset` (drops them).
A path is followed wherever it leads, but a symbolic link inside the scanned folder that
points out of it is not (the same rule as for the files a scan finds).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from portplan.scan.context import FolderContext
from portplan.scan.interpolate import InterpolationError, interpolate
from portplan.scan.spans import ValueOrigins
from portplan.scan.uses import FileNote, Place, name_shown
from portplan.scan.yamltext import (
    YamlProblem,
    item_line,
    key_line,
    load_documents,
    node_line,
    tag_of,
)

MAX_DEPTH = 32  # include and extends chains deeper than this are refused as loops
# Files that include each other without a loop can still branch (each including two that
# each include two...) into billions of paths; no real project includes this many.
MAX_INCLUDED = 256


@dataclass(slots=True)
class EntryList:
    """A `ports` or `expose` list as written in one file, with the values it is read with."""

    label: str
    holder: Mapping[str, Any]  # the service body the key is in (for the key's line)
    key: str
    entries: list[Any]
    env: Mapping[str, str]
    path: Path  # the file it is written in
    origins: ValueOrigins  # where the verbatim values of `env` are written


@dataclass(frozen=True, slots=True)
class _Env:
    """The variables a Compose file is read with, and where the verbatim ones are written."""

    values: Mapping[str, str]
    origins: ValueOrigins


@dataclass(frozen=True, slots=True)
class _Along:
    """The include path to a file (absolute paths, the top file first), and how many more
    includes the top file may still follow in all (one list, shared along every branch)."""

    files: tuple[str, ...]
    budget: list[int]


@dataclass(slots=True)
class ServiceSource:
    name: str
    ports: list[EntryList] = field(default_factory=list)
    expose: list[EntryList] = field(default_factory=list)
    network_host: bool = False
    ports_key: Place | None = None  # where the `ports:` that Compose would use is written
    # The Compose profiles the service runs under; empty: it always runs.
    profiles: frozenset[str] = frozenset()


class ComposeFiles:
    def __init__(self, context: FolderContext) -> None:
        self.context = context
        self._documents: dict[str, list[Any] | None] = {}

    def services_of(self, path: Path, text: str, notes: list[FileNote]) -> Iterator[ServiceSource]:
        env = self.context.env_for(path.parent).values
        origins = self.context.env_origins(path.parent)
        documents = self._parse(path, text, notes)
        along = _Along((self.context.absolute(path),), [MAX_INCLUDED])
        yield from self._project(path, documents or [], _Env(env, origins), notes, along)

    # --- files --------------------------------------------------------------------------

    def _parse(self, path: Path, text: str, notes: list[FileNote]) -> list[Any] | None:
        key = self.context.absolute(path)
        if key not in self._documents:
            try:
                self._documents[key] = load_documents(text)
            except YamlProblem as problem:
                notes.append(
                    FileNote(
                        "warning", Place(self.context.label_of(path), problem.line), str(problem)
                    )
                )
                self._documents[key] = None
        return self._documents[key]

    def _load(self, path: Path, place: Place, notes: list[FileNote]) -> list[Any] | None:
        """The documents of a file another file names; a note (at the naming line) if none."""
        if self.context.leaves(path, self.context.root) and self.context.contains(path):
            notes.append(
                FileNote(
                    "info", place, "names a symbolic link out of the scanned folder; not followed"
                )
            )
            return None
        if not os.path.lexists(path):
            notes.append(
                FileNote(
                    "warning", place, f"names {self.context.label_of(path)}, which does not exist"
                )
            )
            return None
        text, problem = self.context.text(path)
        if text is None:
            if problem is not None:
                notes.append(problem)
            return None
        return self._parse(path, text, notes)

    # --- one project: include, then services ----------------------------------------------

    def _project(
        self,
        path: Path,
        documents: list[Any],
        env: _Env,
        notes: list[FileNote],
        along: _Along,
    ) -> Iterator[ServiceSource]:
        label = self.context.label_of(path)
        depth = len(along.files) - 1
        included: set[str] = set()  # each file this one includes is read once
        for document in documents:
            if document is None:
                continue
            if not isinstance(document, Mapping):
                why = "not a Compose file: the top level is not a mapping"
                notes.append(FileNote("warning", Place(label, node_line(document)), why))
                continue
            includes = document.get("include")
            if isinstance(includes, list):
                for index, entry in enumerate(includes):
                    line = item_line(includes, index) or key_line(document, "include")
                    place = Place(label, line)
                    yield from self._include(path, entry, env, place, notes, along, included)
            services = document.get("services")
            if not isinstance(services, Mapping):
                continue
            for name, body in services.items():
                if isinstance(body, Mapping):
                    yield self._service(str(name), body, services, path, env, notes, depth, ())

    def _include(
        self,
        path: Path,
        entry: Any,
        env: _Env,
        place: Place,
        notes: list[FileNote],
        along: _Along,
        included: set[str],
    ) -> Iterator[ServiceSource]:
        if len(along.files) > MAX_DEPTH:
            notes.append(
                FileNote("warning", place, "include: nested too deeply (a loop?); not followed")
            )
            return
        spec = {"path": entry} if isinstance(entry, str) else entry
        if not isinstance(spec, Mapping):
            return
        paths = spec.get("path")
        paths = [paths] if isinstance(paths, str) else paths
        if not isinstance(paths, list) or not paths:
            return
        working = path.parent
        targets = [working / str(item) for item in paths]
        project = spec.get("project_directory")
        folder = working / str(project) if isinstance(project, str) else targets[0].parent
        own = self._include_env(working, folder, spec.get("env_file"), env.values)
        # The including project's values win.
        kept = {key: spot for key, spot in own.origins.items() if key not in env.values}
        merged = _Env({**own.values, **env.values}, {**kept, **env.origins})
        for target in targets:
            key = self.context.absolute(target)
            if key in along.files:
                shown = self.context.label_of(target)
                notes.append(FileNote("warning", place, f"include loops back to {shown}"))
                continue
            if key in included:
                continue  # named twice by one file: its services are read already
            included.add(key)
            if along.budget[0] <= 0:
                why = f"include: over {MAX_INCLUDED} files included in all; not followed"
                notes.append(FileNote("warning", place, why))
                return
            along.budget[0] -= 1
            documents = self._load(target, place, notes)
            if documents:
                deeper = _Along((*along.files, key), along.budget)
                yield from self._project(target, documents, merged, notes, deeper)

    def _include_env(
        self, working: Path, folder: Path, env_file: Any, outer: Mapping[str, str]
    ) -> _Env:
        """The included project's values. Its `.env` files look their variables up in the
        including project's values first, then in the files before them (compose-go's
        `GetEnvFromFile`)."""
        if env_file is None:
            found, written_at = self.context.included_env(folder, outer)
            return _Env(found.values, written_at)
        files = [env_file] if isinstance(env_file, str) else env_file
        values: dict[str, str] = {}
        origins: dict[str, tuple[Path, int]] = {}
        for name in files if isinstance(files, list) else []:
            if str(name) == "/dev/null":
                continue
            target = working / str(name)
            if self.context.leaves(target, self.context.root) and self.context.contains(target):
                continue
            text, _ = self.context.text(target)
            if text is not None:
                read = self.context.parsed_env(text, {**values, **outer})
                values.update(read.values)
                for key in read.values:
                    origins.pop(key, None)
                where = Path(os.path.abspath(target))
                origins.update((key, (where, start)) for key, start in read.starts.items())
        return _Env(values, origins)

    # --- one service, with what it extends ------------------------------------------------

    def _service(
        self,
        name: str,
        body: Mapping[str, Any],
        services: Mapping[str, Any],
        path: Path,
        env: _Env,
        notes: list[FileNote],
        depth: int,
        chain: tuple[tuple[Path, str], ...],
    ) -> ServiceSource:
        label = self.context.label_of(path)
        base = self._base(name, body, services, path, env, notes, depth, chain)
        source = ServiceSource(name)
        if base is not None:
            source.network_host, source.ports_key = base.network_host, base.ports_key
            source.profiles = base.profiles
        network_mode = body.get("network_mode")
        if isinstance(network_mode, str):
            source.network_host = _interpolated(network_mode, env.values) == "host"
        profiles = body.get("profiles")
        if isinstance(profiles, list):
            source.profiles = frozenset(
                _interpolated(profile, env.values)
                for profile in profiles
                if isinstance(profile, str)
            )
        for key, merged in (("ports", source.ports), ("expose", source.expose)):
            inherited = (base.ports if key == "ports" else base.expose) if base else []
            own = body.get(key)
            tag = tag_of(own)
            if tag is None:
                merged.extend(inherited)
            if isinstance(own, list) and tag != "!reset":
                merged.append(EntryList(label, body, key, own, env.values, path, env.origins))
            if key == "ports" and own is not None:
                source.ports_key = None if tag == "!reset" else Place(label, key_line(body, key))
        return source

    def _base(
        self,
        name: str,
        body: Mapping[str, Any],
        services: Mapping[str, Any],
        path: Path,
        env: _Env,
        notes: list[FileNote],
        depth: int,
        chain: tuple[tuple[Path, str], ...],
    ) -> ServiceSource | None:
        extends = body.get("extends")
        if extends is None:
            return None
        place = Place(self.context.label_of(path), key_line(body, "extends"))
        ref: Any
        file: Any
        if isinstance(extends, str):
            ref, file = extends, None
        elif isinstance(extends, Mapping):
            ref, file = extends.get("service"), extends.get("file")
        else:
            return None
        if not isinstance(ref, str):
            notes.append(
                FileNote("warning", place, f"service {name_shown(name)}: extends needs `service`")
            )
            return None
        base_path, base_services = path, services
        if isinstance(file, str):
            base_path = path.parent / file
            documents = self._load(base_path, place, notes)
            if documents is None:
                return None
            first = documents[0] if documents else None
            found = first.get("services") if isinstance(first, Mapping) else None
            base_services = found if isinstance(found, Mapping) else {}
        key = (Path(os.path.abspath(base_path)), ref)
        if key in chain or len(chain) >= MAX_DEPTH:
            notes.append(
                FileNote(
                    "warning", place, f"service {name_shown(name)}: extends loops back to itself"
                )
            )
            return None
        base_body = base_services.get(ref)
        if not isinstance(base_body, Mapping):
            notes.append(
                FileNote(
                    "warning",
                    place,
                    f"service {name_shown(name)}: extends {name_shown(ref)}, "
                    "which is not defined there",
                )
            )
            return None
        return self._service(
            ref, base_body, base_services, base_path, env, notes, depth, (*chain, key)
        )


def _interpolated(text: str, values: Mapping[str, str]) -> str:
    """A value as Compose reads it: every string of the model is interpolated (a value
    Compose refuses is the ports' own reading to report; here it is taken as written)."""
    try:
        return interpolate(text, values)[0]
    except InterpolationError:
        return text
