"""What the readers find in a project's files: port uses and notes about files, with places.

A reader never decides what is drift; it only says where a port is written and in which role.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

# host: a port opened on the machine (compose published port, k8s hostPort/nodePort, *_PORT).
# container: a port inside a container or pod (compose target, containerPort, targetPort).
# service: a Kubernetes Service's cluster port (on the host only for LoadBalancer services).
# remote: a port in a URL that points at another host (a compose service name, a server).
Role = Literal["host", "container", "service", "remote"]
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
class PortUse:
    """One port written in one place. A range such as `9090-9091` is one use of two ports."""

    place: Place
    ports: tuple[int, ...]
    protocol: str
    role: Role
    source: Source
    context: str  # what the file says, e.g. `ports: "16432:5432"` or `DATABASE_URL`

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.place.label,
            "line": self.place.line,
            "ports": list(self.ports),
            "protocol": self.protocol,
            "role": self.role,
            "source": self.source,
            "context": self.context,
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
