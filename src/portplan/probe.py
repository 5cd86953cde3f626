"""What is really listening on this machine, matched against the plan.

`read_sockets` asks the OS (through psutil) for listening TCP sockets and bound UDP sockets;
`match_plan` is a pure function from a plan and those sockets to a report, so the planner can
run both in a worker and tests can feed it sockets they opened themselves.

Without root the OS hides things, and the report says so instead of guessing: on Linux every
socket is listed but the process behind another user's socket is not; on macOS the system-wide
list is refused outright, so each process is asked in turn and the ones that refuse are missed.
"""

from __future__ import annotations

import os
import re
import socket
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import psutil  # type: ignore[import-untyped]  # no stubs shipped; types-psutil is optional

from portplan.bindings import binds_collide, is_all_interfaces
from portplan.findings import Finding
from portplan.model import Plan, Service, ServiceRef, subject

# Processes that hold a port on behalf of a container or a cluster: the name says nothing
# about the service behind it, so it is never called unexpected.
FORWARDERS = frozenset(
    {
        "docker-proxy",
        "com.docker.backend",
        "com.docker.vpnkit",
        "vpnkit",
        "rootlessport",
        "rootlesskit",
        "slirp4netns",
        "pasta",
        "conmon",
        "containerd",
        "podman",
        "gvproxy",
        "kubectl",
        "wslrelay",
        "sshd",
        "ssh",
    }
)


@dataclass(frozen=True, slots=True)
class Listener:
    port: int
    protocol: str  # "tcp" or "udp"
    address: str
    pid: int | None
    process: str | None  # None where the OS does not show it

    def owner(self) -> str:
        if self.process is None:
            return "unknown process" if self.pid is None else f"pid {self.pid}"
        return self.process if self.pid is None else f"{self.process} (pid {self.pid})"

    def as_dict(self) -> dict[str, object]:
        return {
            "port": self.port,
            "protocol": self.protocol,
            "address": self.address,
            "pid": self.pid,
            "process": self.process,
        }


@dataclass(slots=True)
class Sockets:
    listeners: list[Listener]
    blind_spots: list[str] = field(default_factory=list)  # sentences: what could not be seen


@dataclass(frozen=True, slots=True)
class PlannedInUse:
    service: ServiceRef
    port: int
    protocol: str
    listeners: tuple[Listener, ...]
    bind: str | None = None  # the address the plan gives the service; None: every interface

    def processes(self) -> list[str]:
        return sorted({listener.owner() for listener in self.listeners})

    def as_dict(self) -> dict[str, object]:
        return {
            "service": str(self.service),
            "port": self.port,
            "protocol": self.protocol,
            "bind": self.bind,
            "listeners": [listener.as_dict() for listener in self.listeners],
        }


@dataclass(slots=True)
class ProbeReport:
    listeners: list[Listener]
    in_use: list[PlannedInUse]
    findings: list[Finding]
    blind_spots: list[str]

    @property
    def unplanned_in_ranges(self) -> bool:
        return any(finding.kind == "unplanned-listener" for finding in self.findings)

    def ports_in_use(self) -> dict[tuple[int, str], list[Listener]]:
        """(port, protocol) → its listeners, for marking a port map."""
        grouped: dict[tuple[int, str], list[Listener]] = defaultdict(list)
        for listener in self.listeners:
            grouped[listener.port, listener.protocol].append(listener)
        return dict(grouped)

    def as_dict(self) -> dict[str, object]:
        return {
            "listeners": [listener.as_dict() for listener in self.listeners],
            "planned_in_use": [entry.as_dict() for entry in self.in_use],
            "findings": [finding.as_dict() for finding in self.findings],
            "blind_spots": list(self.blind_spots),
        }


# --- reading the machine ------------------------------------------------------------------


def _listening(connection: Any) -> tuple[int, str, str] | None:
    """(port, protocol, address) of a listening socket; None for anything else."""
    if not connection.laddr:
        return None
    if connection.type == socket.SOCK_STREAM and connection.status == psutil.CONN_LISTEN:
        protocol = "tcp"
    elif connection.type == socket.SOCK_DGRAM and not connection.raddr:
        protocol = "udp"  # a bound UDP socket with no peer is UDP's listener
    else:
        return None
    return connection.laddr.port, protocol, connection.laddr.ip


class _Names:
    """Process names by pid, asked once each; None where the OS refuses."""

    def __init__(self) -> None:
        self._names: dict[int, str | None] = {}

    def __call__(self, pid: int | None) -> str | None:
        if pid is None:
            return None
        if pid not in self._names:
            try:
                self._names[pid] = psutil.Process(pid).name()
            except (psutil.AccessDenied, psutil.NoSuchProcess, psutil.ZombieProcess):
                self._names[pid] = None
        return self._names[pid]


def read_sockets(
    system_wide: Callable[[], Iterable[Any]] = lambda: psutil.net_connections(kind="inet"),
) -> Sockets:
    names = _Names()
    try:
        connections = list(system_wide())
    except psutil.AccessDenied:
        return _read_per_process(names)
    listeners = []
    for connection in connections:
        if (found := _listening(connection)) is not None:
            port, protocol, address = found
            listeners.append(
                Listener(port, protocol, address, connection.pid, names(connection.pid))
            )
    listeners.sort(key=_listener_key)
    return Sockets(listeners, _hidden_owners(listeners))


def _read_per_process(names: _Names) -> Sockets:
    listeners: list[Listener] = []
    refused = 0
    for process in psutil.process_iter():
        try:
            connections = process.net_connections(kind="inet")
        except psutil.AccessDenied:
            refused += 1
            continue
        except (psutil.NoSuchProcess, psutil.ZombieProcess):
            continue  # ended while we looked: its sockets are gone too
        for connection in connections:
            if (found := _listening(connection)) is not None:
                port, protocol, address = found
                listeners.append(Listener(port, protocol, address, process.pid, names(process.pid)))
    listeners.sort(key=_listener_key)
    blind = [
        "the system-wide socket list was refused (this needs root here); each process "
        "was asked instead"
    ]
    if refused:
        noun = "process" if refused == 1 else "processes"
        blind.append(
            f"{refused} {noun} of other users refused to show their sockets, so "
            "their listeners are missing (run as root to see them)"
        )
    return Sockets(listeners, blind + _hidden_owners(listeners))


def _hidden_owners(listeners: list[Listener]) -> list[str]:
    hidden = sum(1 for listener in listeners if listener.process is None)
    if not hidden:
        return []
    noun = "socket" if hidden == 1 else "sockets"
    why = (
        "processes in another container or namespace"
        if _is_root()
        else "other users' processes; run as root to see them"
    )
    return [f"{hidden} listening {noun} with no process name visible ({why})"]


def _is_root() -> bool:
    geteuid = getattr(os, "geteuid", None)  # absent on Windows
    return geteuid is not None and geteuid() == 0


def _listener_key(listener: Listener) -> tuple[int, str, str, int]:
    return (listener.port, listener.protocol, listener.address, listener.pid or 0)


# --- matching the plan --------------------------------------------------------------------


def match_plan(plan: Plan, sockets: Sockets) -> ProbeReport:
    groups: dict[tuple[int, str], list[Listener]] = defaultdict(list)
    for listener in sockets.listeners:
        groups[listener.port, listener.protocol].append(listener)
    planned: dict[tuple[int, str], list[tuple[ServiceRef, Service]]] = defaultdict(list)
    for project, tier, service in plan.services():
        planned[service.port, service.protocol].append(
            (ServiceRef(project.name, tier.name, service.name), service)
        )
    in_use: list[PlannedInUse] = []
    findings: list[Finding] = []
    for (port, protocol), holders in sorted(groups.items()):
        services = planned.get((port, protocol), [])
        for ref, service in services:
            # A listener on another specific address is not this service (see `bindings`).
            mine = [entry for entry in holders if binds_collide(entry.address, service.bind)]
            if not mine:
                continue
            in_use.append(PlannedInUse(ref, port, protocol, tuple(mine), service.bind))
            if not any(looks_like(listener.process, service) for listener in mine):
                owners = _owners(mine)
                findings.append(
                    Finding(
                        "info",
                        "unexpected-process",
                        f"{ref}: port {port}/{protocol} is held by {owners}, which does not look "
                        f"like {service.name} (names can differ; check it is the right program)",
                        (port,),
                        (str(ref),),
                    )
                )
        for project in plan.projects:
            if port not in project.ports:
                continue
            own = [service for ref, service in services if ref.project == project.name]
            stray = [
                entry
                for entry in holders
                if not any(binds_collide(entry.address, service.bind) for service in own)
            ]
            if stray:
                where = _addresses(stray)
                findings.append(
                    Finding(
                        "warning",
                        "unplanned-listener",
                        f"{project.name}: {_owners(stray)} listens on {port}/{protocol}{where}, "
                        f"inside the project's range {project.ports}, but the plan has no "
                        "service there",
                        (port,),
                        (subject(project.name),),
                    )
                )
    findings.sort(key=Finding.sort_key)
    return ProbeReport(sockets.listeners, in_use, findings, sockets.blind_spots)


def _owners(listeners: list[Listener]) -> str:
    return ", ".join(sorted({listener.owner() for listener in listeners}))


def _addresses(listeners: list[Listener]) -> str:
    """` on 127.0.0.1` for listeners on specific addresses; "" when one takes every address."""
    if any(is_all_interfaces(listener.address) for listener in listeners):
        return ""
    return " on " + ", ".join(sorted({listener.address for listener in listeners}))


def probe(plan: Plan) -> ProbeReport:
    """Read this machine's sockets and match them to the plan (blocking: run it in a worker)."""
    return match_plan(plan, read_sockets())


_WORD = re.compile(r"[a-z]+")


def _words(text: str) -> set[str]:
    return {word for word in _WORD.findall(text.lower()) if len(word) >= 3}


def looks_like(process: str | None, service: Service) -> bool:
    """True unless a visible process name shares nothing with the service's name.

    An unknown name, or a forwarder that holds ports for containers, gives no evidence
    either way. Otherwise two words must share a prefix of four letters (or the whole
    shorter word): `postgres` and `PostgreSQL`, `redis-server` and `Redis`.
    """
    if process is None or process.lower() in FORWARDERS:
        return True
    wanted = _words(f"{service.name} {service.description}")
    for have in _words(process):
        for want in wanted:
            need = min(4, len(have), len(want))
            if have[:need] == want[:need]:
                return True
    return False
