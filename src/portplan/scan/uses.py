"""What the readers find in a project's files: port uses and notes about files, with places.

A reader never decides what is drift; it only says where a port is written and in which role.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

# host: a port opened on the machine (compose published port, k8s hostPort/nodePort, *_PORT).
# container: a port inside a container or pod (compose target, containerPort, targetPort).
# service: a Kubernetes Service's cluster port (on the host only for LoadBalancer services).
# remote: a port in a URL that points at another host (a compose service name, a server).
# mentioned: a `*_PORT=` value that nothing shows to be a host port (often another container's
# port on the Compose network, or a remote server's): it counts as a mention of the port only.
Role = Literal["host", "container", "service", "remote", "mentioned"]
Source = Literal["compose", "env", "kubernetes"]
NoteLevel = Literal["warning", "info"]


@dataclass(frozen=True, slots=True)
class Place:
    """A file and a 1-based line; `label` is the path as the user should see it."""

    label: str
    line: int | None = None

    def __str__(self) -> str:
        return self.label if self.line is None else f"{self.label}:{self.line}"


@dataclass(frozen=True, slots=True)
class Span:
    """Where the digits of one port number are written: characters [start, end) of a file's
    text as read (without a UTF-8 byte order mark). `portplan apply` edits exactly these."""

    path: Path
    start: int
    end: int
    port: int


@dataclass(frozen=True, slots=True)
class PortUse:
    """One port written in one place. A range such as `9090-9091` is one use of two ports."""

    place: Place
    ports: tuple[int, ...]
    protocol: str
    role: Role
    source: Source
    context: str  # what the file says, e.g. `ports: "16432:5432"` or `DATABASE_URL`
    bind: str = ""  # the host address a host port is bound to; "" for every interface
    picks_one: bool = False  # a range of which Docker takes one free port (`80-90:8080`)
    variables: frozenset[str] = frozenset()  # `.env` variables the port was interpolated from
    # Where each number of `ports` is written, when it is written verbatim (a plain or quoted
    # scalar, a `.env` value, an interpolation default): one span per number (two for a
    # range). Empty when the text cannot be edited digit for digit. Not part of equality.
    spans: tuple[Span, ...] = field(default=(), compare=False)
    # The Compose profiles of the service that publishes the port (empty: it always runs).
    profiles: frozenset[str] = field(default=frozenset(), compare=False)

    def may_run_with(self, other: PortUse) -> bool:
        """False for two Compose services that only run under profiles they have none of in
        common: alternatives (`dev`, `prod`), not started together unless asked for both."""
        return not (self.profiles and other.profiles and self.profiles.isdisjoint(other.profiles))

    def port_text(self) -> str:
        """`8080`, `9090-9091`, `127.0.0.1:8080`, `[::1]:80`, `one of 80-90`."""
        ports = self.ports
        if len(ports) > 1 and ports == tuple(range(ports[0], ports[-1] + 1)):
            shown = f"{ports[0]}-{ports[-1]}"
        else:
            shown = ",".join(map(str, ports))
        if self.picks_one:
            shown = f"one of {shown}"
        if not self.bind:
            return shown
        address = f"[{self.bind}]" if ":" in self.bind else self.bind
        return f"{address}:{shown}"

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.place.label,
            "line": self.place.line,
            "ports": list(self.ports),
            "protocol": self.protocol,
            "role": self.role,
            "source": self.source,
            "context": self.context,
            "bind": self.bind or None,
            "picks_one": self.picks_one,
        }


@dataclass(frozen=True, slots=True)
class FileNote:
    """A file that was skipped or could not be read fully; warnings mean the scan is incomplete."""

    level: NoteLevel
    place: Place
    message: str

    def __str__(self) -> str:
        return f"{self.place}: {self.message}"

    def as_dict(self) -> dict[str, object]:
        return {
            "level": self.level,
            "file": self.place.label,
            "line": self.place.line,
            "message": self.message,
        }


@dataclass(slots=True)
class FileReading:
    """What one reader got out of one file."""

    uses: list[PortUse]
    notes: list[FileNote]
    ports_read: int = 0  # the ports of `uses`, counted by readers that write ranges


_PORT_SHAPED = re.compile(r"[0-9A-Za-z_.:\[\]/+\-${}]{1,80}")
_NAME_SHAPED = re.compile(r"[\w.\-]{1,80}")


def port_shaped(text: str) -> str | None:
    """The text quoted, when it looks like a port entry (digits, addresses, `${NAME}`).

    Anything else read from a file is never echoed in a message: it may be a secret from a
    `.env` (or a file a link points to), or hold control characters.
    """
    return repr(text) if _PORT_SHAPED.fullmatch(text) else None


def name_shown(name: object) -> str:
    """A service or key name as written when it is a plain name, else a stand-in."""
    text = str(name)
    return text if _NAME_SHAPED.fullmatch(text) else "(a name with unusual characters)"
