"""Ports of Compose files: `services.*.ports` in short and long syntax, and `expose`, as
compose-go loads them.

- Values are interpolated with the `.env` of the file's folder (`portplan.scan.interpolate`);
  a `${VAR:?}` that fails, or an entry Compose refuses (`portplan.scan.composeports`), is a
  warning on its line, and the other entries are still read.
- `extends:` (`service:` alone, or with `file:`) and `include:` are followed to the files they
  name, whatever their names and wherever they are, and the ports they bring are reported at
  the target file's line. `!reset` drops what a base service had; `!override` replaces it.
- `network_mode: host`: Compose discards `ports:`, so they are a warning, not host ports.
- A bare `"3000"`, an empty host part, host port 0 or a long-syntax entry without `published`
  (or with one that interpolates to nothing) lets Docker pick the host port: there is no host
  port to check, only the container port.
"""

from __future__ import annotations

from collections.abc import Mapping
from copy import copy
from typing import Any

from portplan.scan.composeports import (
    PortSyntaxError,
    parse_address,
    parse_host,
    parse_range,
    parse_short,
)
from portplan.scan.composerefs import ComposeFiles, EntryList, ServiceSource
from portplan.scan.context import FolderContext, ReadRequest
from portplan.scan.interpolate import InterpolationError, interpolate, trace
from portplan.scan.kinds import FileKind
from portplan.scan.spans import number_spans, short_host_part, traced_spans
from portplan.scan.uses import (
    FileNote,
    FileReading,
    Place,
    PortUse,
    Role,
    Span,
    name_shown,
    port_shaped,
)
from portplan.scan.yamltext import item_line, key_line

# Every port of a range is a use of its own for the checks: a file of a few hundred entries
# `1-65535:1-65535` (under the 1 MiB a scan reads) held 40 million and took 5 GB. Four whole
# ranges, host and container, are far beyond any real project.
MAX_PORTS_PER_FILE = 4 * 65536 * 2

COMPOSE_PATTERNS = ("docker-compose*.yml", "docker-compose*.yaml", "compose*.yml", "compose*.yaml")


def read(text: str, request: ReadRequest) -> FileReading:
    files = ComposeFiles(request.context)
    reading = FileReading([], [])
    done: set[tuple[int, int]] = set()  # entries already read (a base service and its heirs)
    for source in files.services_of(request.path, text, reading.notes):
        _read_service(source, reading, done, request.context)
    return reading


KIND = FileKind("compose", COMPOSE_PATTERNS, read)


class _Entry:
    """One `ports`/`expose` entry with where it was written and the values it is read with."""

    def __init__(
        self,
        service: str,
        written: EntryList,
        index: int,
        context: FolderContext,
        profiles: frozenset[str] = frozenset(),
    ) -> None:
        self.value = written.entries[index]
        line = item_line(written.entries, index) or key_line(written.holder, written.key)
        self.place = Place(written.label, line)
        self.env = written.env
        self.context = f"{name_shown(service)}: {written.key} " + _entry_text(self.value)
        self.profiles = profiles
        self.origins = written.origins
        self.finder = context.finder(written.path)
        self.written_at = self.finder.item_at(written.entries, index)

    def at(self, fields: Mapping[str, Any], key: str) -> _Entry:
        """The same entry, placed on the line of one of its long-syntax keys."""
        line = key_line(fields, key)
        moved = copy(self)
        if line is not None:
            moved.place = Place(self.place.label, line)
        moved.written_at = self.finder.value_at(fields, key)
        return moved

    def host_spans(self, value: Any, short: bool) -> tuple[Span, ...]:
        """Where the host port digits of `value` (an entry, or a `published`) are written."""
        if isinstance(value, int) and not isinstance(value, bool):
            return self.finder.number(self.written_at, value)
        if not isinstance(value, str):
            return ()
        pieces, _ = trace(value, self.env)
        expanded = "".join(piece for piece, _ in pieces)
        host = short_host_part(expanded) if short else (expanded, 0)
        if host is None:
            return ()
        written_at = self.finder.scalar(self.written_at, value)
        return traced_spans(number_spans(*host), pieces, written_at, self.finder, self.origins)


def _read_service(
    source: ServiceSource,
    reading: FileReading,
    done: set[tuple[int, int]],
    context: FolderContext,
) -> None:
    if source.network_host and source.ports:
        place = source.ports_key or Place(source.ports[-1].label)
        reading.notes.append(
            FileNote(
                "warning",
                place,
                f"service {name_shown(source.name)}: network_mode: host, so Compose discards "
                "`ports:` (the service listens on the host's own ports, whatever is published)",
            )
        )
    else:
        for written in source.ports:
            for index in _new_entries(written, done):
                entry = _Entry(source.name, written, index, context, source.profiles)
                _guarded(entry, reading, _read_port)
    for written in source.expose:
        for index in _new_entries(written, done):
            _guarded(_Entry(source.name, written, index, context), reading, _read_expose)


def _new_entries(written: EntryList, done: set[tuple[int, int]]) -> list[int]:
    """Indexes of the entries not read yet: an extended service's list is read once."""
    fresh = []
    for index in range(len(written.entries)):
        key = (id(written.entries), index)
        if key not in done:
            done.add(key)
            fresh.append(index)
    return fresh


def _guarded(entry: _Entry, reading: FileReading, read_one: Any) -> None:
    try:
        read_one(entry, reading)
    except PortSyntaxError as error:
        reading.notes.append(FileNote("warning", entry.place, f"{entry.context}: {error}"))
    except InterpolationError as error:
        reading.notes.append(
            FileNote("warning", entry.place, f"{entry.context}: Compose refuses it: {error}")
        )


def _read_port(entry: _Entry, reading: FileReading) -> None:
    if isinstance(entry.value, Mapping):
        _read_long(entry, entry.value, reading)
        return
    if not isinstance(entry.value, str | int) or isinstance(entry.value, bool):
        raise PortSyntaxError("is neither a port string, a number nor a mapping")
    used: set[str] = set()
    spec = parse_short(_text(entry, entry.value, reading, used))
    if spec.host is not None:
        spans = entry.host_spans(entry.value, short=True)
        host, protocol, picks_one = spec.host, spec.protocol, spec.picks_one
        _add(reading, entry, host, protocol, "host", spec.host_ip, used, picks_one, spans)
    _add(reading, entry, spec.container, spec.protocol, "container", "", frozenset())


def _read_long(entry: _Entry, fields: Mapping[str, Any], reading: FileReading) -> None:
    protocol = _text(entry, fields.get("protocol") or "tcp", reading).lower()
    target = fields.get("target")
    if target in (None, ""):
        raise PortSyntaxError("a long-syntax entry needs `target`")
    at_target = entry.at(fields, "target")
    container = parse_range(_text(entry, target, reading), "target")
    if container[0] != container[1]:
        raise PortSyntaxError("`target` is one port, not a range")
    published = fields.get("published")
    if published is not None and (
        not isinstance(published, str | int) or isinstance(published, bool)
    ):
        raise PortSyntaxError("`published` is neither a port string nor a number")
    used: set[str] = set()
    host = (
        None
        if published is None
        else parse_host(_text(entry, published, reading, used), "published")
    )
    if host is not None:
        host_ip = fields.get("host_ip")
        address = parse_address(_text(entry, host_ip, reading)) if host_ip else ""
        picks_one = host[0] != host[1]  # one target port: Docker takes one port of the range
        at = entry.at(fields, "published")
        spans = at.host_spans(published, short=False)
        _add(reading, at, host, protocol, "host", address, used, picks_one, spans)
    _add(reading, at_target, container, protocol, "container", "", frozenset())


def _read_expose(entry: _Entry, reading: FileReading) -> None:
    text = _text(entry, entry.value, reading)
    port, _, protocol = text.partition("/")
    _add(reading, entry, parse_range(port, "expose"), protocol or "tcp", "container", "", set())


def _text(entry: _Entry, value: Any, reading: FileReading, used: set[str] | None = None) -> str:
    if not isinstance(value, str):
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else ""
    text, unset = interpolate(value, entry.env, used)
    for variable in unset:
        reading.notes.append(
            FileNote(
                "warning",
                entry.place,
                f"variable {name_shown(variable)} is not set in the .env beside this file "
                "(the shell environment never counts)",
            )
        )
    return text


def _add(
    reading: FileReading,
    entry: _Entry,
    ports: tuple[int, int],
    protocol: str,
    role: Role,
    bind: str,
    used: set[str] | frozenset[str],
    picks_one: bool = False,
    spans: tuple[Span, ...] = (),
) -> None:
    low, high = ports
    if reading.ports_read + high - low + 1 > MAX_PORTS_PER_FILE:
        if reading.ports_read <= MAX_PORTS_PER_FILE:
            reading.ports_read = MAX_PORTS_PER_FILE + 1
            why = f"over {MAX_PORTS_PER_FILE:,} ports in all from here on; the rest are not read"
            reading.notes.append(FileNote("warning", entry.place, why))
        return
    reading.ports_read += high - low + 1
    reading.uses.append(
        PortUse(
            entry.place,
            tuple(range(low, high + 1)),
            protocol.lower(),
            role,
            "compose",
            entry.context,
            bind=bind,
            picks_one=picks_one,
            variables=frozenset(used),
            spans=spans,
            profiles=entry.profiles,
        )
    )


def _entry_text(value: Any) -> str:
    if isinstance(value, Mapping):
        return "(long syntax)"
    shown = port_shaped(str(value)) if isinstance(value, str | int) else None
    return shown or "(an entry)"
