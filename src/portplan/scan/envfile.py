"""Ports of `.env` files: `*_PORT=` values, and ports inside URLs in any value.

A URL's port is a host port when the URL points at this machine (`localhost`, a loopback
address, `0.0.0.0`, `host.docker.internal`); otherwise (`postgres://db:5432`, a compose
service name or another server) it is kept as a remote port: it shows that the project
mentions the port, but it is not a port this machine opens, so the plan has no say over it.
"""

from __future__ import annotations

import re
from ipaddress import ip_address
from urllib.parse import urlsplit

from portplan.scan.envtext import read_env_text
from portplan.scan.uses import FileNote, FileReading, Place, PortUse, Role

_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://[^\s,;'\"<>]+")
# `localhost:16000` without a scheme, as in KAFKA_BROKERS=localhost:9092,localhost:9093.
_LOCAL_HOST_PORT = re.compile(
    r"(?<![\w@.\-/:\[])(localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|0\.0\.0\.0|\[::1?\]):(\d{1,5})\b"
)
_LOCAL_NAMES = {"localhost", "host.docker.internal", "gateway.docker.internal"}


def is_port_key(key: str) -> bool:
    upper = key.upper()
    return upper == "PORT" or upper.endswith("_PORT")


def is_local_host(host: str) -> bool:
    host = host.strip("[]").lower()
    if host in _LOCAL_NAMES or host.endswith(".localhost"):
        return True
    try:
        address = ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def url_ports(value: str) -> list[tuple[int, bool]]:
    """(port, points at this machine) for every URL with an explicit port in the value."""
    found: list[tuple[int, bool]] = []
    for match in _URL.finditer(value):
        try:
            parts = urlsplit(match[0])
            port = parts.port
        except ValueError:
            continue  # a port that is not a number, or out of range: not a URL we can read
        if port is not None:
            found.append((port, is_local_host(parts.hostname or "")))
    rest = _URL.sub(" ", value)
    for match in _LOCAL_HOST_PORT.finditer(rest):
        port = int(match[2])
        if port <= 65535:
            found.append((port, True))
    return found


def read_env_file(text: str, label: str) -> FileReading:
    reading = FileReading([], [])
    env = read_env_text(text)
    for line in env.bad_lines:
        reading.notes.append(FileNote("warning", Place(label, line), "line cannot be parsed"))
    for key, value in env.values.items():
        if value is None:
            continue
        place = Place(label, env.lines.get(key))
        if is_port_key(key):
            stripped = value.strip()
            if stripped.isdigit() and int(stripped) <= 65535:
                _add(reading, place, int(stripped), "host", key)
                continue
            if stripped and "://" not in stripped and ":" not in stripped:
                reading.notes.append(
                    FileNote("warning", place, f"{key}={value!r} is not a port number")
                )
        for port, local in url_ports(value):
            _add(reading, place, port, "host" if local else "remote", key)
    return reading


def _add(reading: FileReading, place: Place, port: int, role: Role, key: str) -> None:
    reading.uses.append(PortUse(place, (port,), "tcp", role, "env", key))
