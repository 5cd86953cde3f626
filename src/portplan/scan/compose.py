"""Ports of Compose files: `services.*.ports` in short and long syntax, and `expose`.

Short syntax is `[HOST_IP:][HOST:]CONTAINER[/PROTOCOL]`, each port part a number or a range
`A-B`, an IPv6 host address in brackets (`[::1]:6001:6001`). A bare `"3000"` (or `3000`)
publishes container port 3000 on a host port Docker picks from the ephemeral range: there is
no host port in the file to check, so it is kept as a container port only. The same holds for
an empty host part (`"127.0.0.1::3000"`) and a long-syntax entry without `published`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from portplan.scan.interpolate import InterpolationError, interpolate
from portplan.scan.uses import FileNote, FileReading, Place, PortUse, Role
from portplan.scan.yamltext import YamlProblem, item_line, key_line, load_documents, node_line


class PortSyntaxError(ValueError):
    pass


def port_numbers(text: str) -> tuple[int, ...]:
    """`"16000"` → (16000,), `"9090-9091"` → (9090, 9091); PortSyntaxError otherwise."""
    parts = text.strip().split("-")
    if len(parts) > 2 or not all(part.strip().isdigit() for part in parts):
        raise PortSyntaxError(f"{text!r} is not a port or a range of ports")
    low, high = int(parts[0]), int(parts[-1])
    if high > 65535 or low > high:
        raise PortSyntaxError(f"{text!r} is not a port range within 0-65535")
    return tuple(range(low, high + 1))


def split_short_syntax(text: str) -> tuple[str, str, str, str]:
    """`(host_ip, host, container, protocol)` of a short-syntax entry; missing parts are ''."""
    spec, _, protocol = text.strip().partition("/")
    host_ip = ""
    if spec.startswith("["):
        closing = spec.find("]")
        if closing < 0 or spec[closing + 1 : closing + 2] != ":":
            raise PortSyntaxError(f"{text!r}: an IPv6 address needs the form [ADDRESS]:HOST:PORT")
        host_ip, spec = spec[1:closing], spec[closing + 2 :]
        host, _, container = spec.rpartition(":")
        return host_ip, host, container, protocol or "tcp"
    parts = spec.rsplit(":", 2)
    if len(parts) == 3:
        host_ip, host, container = parts
    elif len(parts) == 2:
        host, container = parts
    else:
        host, container = "", parts[0]
    return host_ip, host, container, protocol or "tcp"


def read_compose(text: str, label: str, env: Mapping[str, str | None]) -> FileReading:
    reading = FileReading([], [])
    try:
        documents = load_documents(text)
    except YamlProblem as problem:
        reading.notes.append(FileNote("warning", Place(label, problem.line), str(problem)))
        return reading
    for document in documents:
        if document is None:
            continue
        if not isinstance(document, Mapping):
            reading.notes.append(
                FileNote(
                    "warning",
                    Place(label, node_line(document)),
                    "not a Compose file: the top level is not a mapping",
                )
            )
            continue
        services = document.get("services")
        if not isinstance(services, Mapping):
            continue
        for name, service in services.items():
            if isinstance(service, Mapping):
                _read_service(str(name), service, label, env, reading)
    return reading


def _read_service(
    name: str,
    service: Mapping[str, Any],
    label: str,
    env: Mapping[str, str | None],
    reading: FileReading,
) -> None:
    ports = service.get("ports")
    if isinstance(ports, list):
        for index, entry in enumerate(ports):
            place = Place(label, item_line(ports, index) or key_line(service, "ports"))
            try:
                if isinstance(entry, Mapping):
                    _read_long(name, entry, place, env, reading)
                else:
                    _read_short(name, entry, place, env, reading)
            except (PortSyntaxError, InterpolationError) as error:
                shown = "(long syntax)" if isinstance(entry, Mapping) else repr(str(entry))
                reading.notes.append(
                    FileNote("warning", place, f"service {name}: ports {shown}: {error}")
                )
    expose = service.get("expose")
    if isinstance(expose, list):
        for index, entry in enumerate(expose):
            place = Place(label, item_line(expose, index) or key_line(service, "expose"))
            try:
                text = _text(entry, env, place, reading)
                _, _, container, protocol = split_short_syntax(text)
                _add(
                    reading,
                    place,
                    port_numbers(container),
                    protocol,
                    "container",
                    f"{name}: expose {text!r}",
                )
            except (PortSyntaxError, InterpolationError) as error:
                reading.notes.append(FileNote("warning", place, f"service {name}: {error}"))


def _text(value: Any, env: Mapping[str, str | None], place: Place, reading: FileReading) -> str:
    text, unset = interpolate(str(value), env)
    for variable in unset:
        reading.notes.append(
            FileNote(
                "warning", place, f"variable {variable} is not set in the .env beside this file"
            )
        )
    return text


def _read_short(
    name: str, entry: Any, place: Place, env: Mapping[str, str | None], reading: FileReading
) -> None:
    text = _text(entry, env, place, reading)
    host_ip, host, container, protocol = split_short_syntax(text)
    context = f"{name}: ports {str(entry)!r}"
    container_ports = port_numbers(container)
    if host:
        _add(reading, place, port_numbers(host), protocol, "host", context)
    _add(reading, place, container_ports, protocol, "container", context)


def _read_long(
    name: str,
    entry: Mapping[str, Any],
    place: Place,
    env: Mapping[str, str | None],
    reading: FileReading,
) -> None:
    protocol = _text(entry.get("protocol") or "tcp", env, place, reading)
    context = f"{name}: ports (long syntax)"
    published = entry.get("published")
    if published not in (None, ""):
        line = key_line(entry, "published") or place.line
        text = _text(published, env, place, reading)
        if text:
            _add(reading, Place(place.label, line), port_numbers(text), protocol, "host", context)
    target = entry.get("target")
    if target not in (None, ""):
        line = key_line(entry, "target") or place.line
        text = _text(target, env, place, reading)
        _add(reading, Place(place.label, line), port_numbers(text), protocol, "container", context)


def _add(
    reading: FileReading,
    place: Place,
    ports: tuple[int, ...],
    protocol: str,
    role: Role,
    context: str,
) -> None:
    reading.uses.append(PortUse(place, ports, protocol.lower(), role, "compose", context))
