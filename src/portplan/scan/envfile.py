"""Ports of `.env` files: `*_PORT=` values, and ports inside URLs in any value.

A `*_PORT=` value is most often the port of another container (`DB_PORT=3306`) or of a remote
server (`SMTP_PORT=587`), so it is only "mentioned" unless a Compose file of the same folder
publishes it as a host port through interpolation; the scan decides that once every file is
read. A URL's port is a host port when the URL points at this machine (`localhost`, a loopback
address, `0.0.0.0`, `host.docker.internal`); otherwise (`postgres://db:5432`, a compose
service name or another server) it is kept as a remote port: it shows that the project
mentions the port, but it is not a port this machine opens, so the plan has no say over it.
"""

from __future__ import annotations

import os
import re
from ipaddress import ip_address
from pathlib import Path
from urllib.parse import urlsplit

from portplan.scan.context import ReadRequest
from portplan.scan.envtext import EnvText, read_env_text
from portplan.scan.kinds import FileKind
from portplan.scan.uses import FileNote, FileReading, Place, PortUse, Role, Span

# The scheme is bounded: an unbounded one makes a long token cost quadratic time.
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]{0,31}://[^\s,;'\"<>]+")
# `localhost:16000` without a scheme, as in KAFKA_BROKERS=localhost:9092,localhost:9093.
_LOCAL_HOST_PORT = re.compile(
    r"(?<![\w@.\-/:\[])(localhost|127\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}|0\.0\.0\.0|\[::1?\]):([0-9]{1,5})(?![0-9])"
)
_ASCII_NUMBER = re.compile(r"[0-9]{1,5}")
_DIGITS = re.compile(r"[0-9]+")
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
    return [(port, local) for port, local, _ in url_port_spans(value)]


def url_port_spans(value: str) -> list[tuple[int, bool, int | None]]:
    """`url_ports`, with the offset of each port's digits in the value (None when the digits
    are not written as plain ASCII digits at the end of the address)."""
    found: list[tuple[int, bool, int | None]] = []
    if ":" not in value:
        return found  # most values: no URL and no host:port, so no regex runs at all
    urls = list(_URL.finditer(value)) if "://" in value else []
    for match in urls:
        try:
            parts = urlsplit(match[0])
            written = parts.netloc.rpartition(":")[2]
            if not written.isascii():
                continue  # `٨٠٨٠` is a number to Python, not a port to anything that connects
            port = parts.port
        except ValueError:
            continue  # a port that is not a number, or out of range: not a URL we can read
        if port is not None:
            netloc_end = match.start() + match[0].index("://") + 3 + len(parts.netloc)
            at = netloc_end - len(written) if written.isdigit() else None
            if at is not None and value[at:netloc_end] != written:
                at = None
            found.append((port, is_local_host(parts.hostname or ""), at))
    # Each URL is blanked out with as many spaces, so offsets in `rest` are offsets in `value`.
    rest = _URL.sub(lambda url: " " * len(url[0]), value) if urls else value
    for match in _LOCAL_HOST_PORT.finditer(rest):
        port = int(match[2])
        if port <= 65535:
            found.append((port, True, match.start(2)))
    return found


def read_env_file(
    text: str, label: str, path: Path | None = None, env: EnvText | None = None
) -> FileReading:
    """`*_PORT` values are only "mentioned" here; the scan makes one a host port when a
    Compose file of the same folder publishes it (see `promote_fed_ports`). `env` is the
    text already parsed, when it was."""
    reading = FileReading([], [])
    env = read_env_text(text) if env is None else env
    for line, problem in env.problems:
        reading.notes.append(
            FileNote("warning", Place(label, line), f"Compose refuses this file: {problem}")
        )
    for line, name in env.unset:
        reading.notes.append(
            FileNote(
                "info",
                Place(label, line),
                f"variable {name} is not set above this line (the shell environment never "
                "counts); it reads as empty",
            )
        )
    where = Path(os.path.abspath(path)) if path is not None else None
    for key, value in env.values.items():
        place = Place(label, env.lines.get(key))
        start = env.starts.get(key) if where is not None else None
        if is_port_key(key):
            stripped = value.strip()
            if is_port_number(stripped):
                at = None if start is None else start + len(value) - len(value.lstrip())
                _add(reading, place, int(stripped), "mentioned", key, _span(where, at, stripped))
                continue
            if stripped and "://" not in stripped and ":" not in stripped:
                reading.notes.append(FileNote("warning", place, f"{key} is not a port number"))
        for port, local, offset in url_port_spans(value):
            at = None if start is None or offset is None else start + offset
            digits = _DIGITS.match(value, offset) if offset is not None else None
            span = _span(where, at, digits[0] if digits else "")
            _add(reading, place, port, "host" if local else "remote", key, span)
    return reading


def _span(path: Path | None, at: int | None, digits: str) -> tuple[Span, ...]:
    if path is None or at is None or not digits.isdigit():
        return ()
    return (Span(path, at, at + len(digits), int(digits)),)


def is_port_number(text: str) -> bool:
    """ASCII digits within 0-65535: `²` or `٨٠٨٠` are digits to Python, not ports to Compose."""
    return _ASCII_NUMBER.fullmatch(text) is not None and int(text) <= 65535


def _add(
    reading: FileReading,
    place: Place,
    port: int,
    role: Role,
    key: str,
    spans: tuple[Span, ...] = (),
) -> None:
    reading.uses.append(PortUse(place, (port,), "tcp", role, "env", key, spans=spans))


ENV_PATTERNS = (".env", ".env.*", "*.env")


def read(text: str, request: ReadRequest) -> FileReading:
    return read_env_file(text, request.label, request.path, request.context.parsed_env(text))


KIND = FileKind("env", ENV_PATTERNS, read)
