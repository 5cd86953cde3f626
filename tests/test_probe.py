"""The probe against sockets this test really opens on 127.0.0.1."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest

from portplan.cli import main
from portplan.model import Plan, ServiceRef
from portplan.probe import Listener, Sockets, match_plan, probe, read_sockets
from portplan.store import loads


@dataclass
class Bound:
    tcp: socket.socket
    udp: socket.socket
    spare: socket.socket  # a TCP listener the plan does not know

    @property
    def port(self) -> int:
        return int(self.tcp.getsockname()[1])

    @property
    def udp_port(self) -> int:
        return int(self.udp.getsockname()[1])

    @property
    def spare_port(self) -> int:
        return int(self.spare.getsockname()[1])


@pytest.fixture
def bound() -> Iterator[Bound]:
    tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    tcp.bind(("127.0.0.1", 0))
    tcp.listen()
    udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    udp.bind(("127.0.0.1", 0))
    spare = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    spare.bind(("127.0.0.1", 0))
    spare.listen()
    try:
        yield Bound(tcp, udp, spare)
    finally:
        for sock in (tcp, udp, spare):
            sock.close()


def plan_text(bound: Bound, name: str = "Python test server") -> str:
    """A project per socket, each range exactly its port, so no other listener can stray in."""
    return f"""
[[projects]]
name = "TCPAPP"
ports = "{bound.port}"
[[projects.tiers]]
name = "Web"
ports = "{bound.port}"
services = [{{ port = {bound.port}, name = "{name}" }}]

[[projects]]
name = "UDPAPP"
ports = "{bound.udp_port}"
[[projects.tiers]]
name = "Stats"
ports = "{bound.udp_port}"
services = [{{ port = {bound.udp_port}, name = "Python stats", protocol = "udp" }}]

[[projects]]
name = "SPARE"
ports = "{bound.spare_port}"
[[projects.tiers]]
name = "Empty"
ports = "{bound.spare_port}"
"""


def plan_of(bound: Bound, name: str = "Python test server") -> Plan:
    return loads(plan_text(bound, name))


def mine(listeners: list[Listener], port: int, protocol: str) -> list[Listener]:
    return [item for item in listeners if item.port == port and item.protocol == protocol]


def test_bound_sockets_are_listed_with_this_process_name(bound: Bound) -> None:
    sockets = read_sockets()
    me = psutil.Process()
    for port, protocol in ((bound.port, "tcp"), (bound.udp_port, "udp")):
        assert mine(sockets.listeners, port, protocol) == [
            Listener(port, protocol, "127.0.0.1", me.pid, me.name())
        ]


def test_planned_ports_in_use_and_unknown_listener(bound: Bound) -> None:
    report = probe(plan_of(bound))
    used = {(entry.service, entry.port, entry.protocol): entry for entry in report.in_use}
    tcp_ref = ServiceRef("TCPAPP", "Web", "Python test server")
    udp_ref = ServiceRef("UDPAPP", "Stats", "Python stats")
    assert set(used) == {(tcp_ref, bound.port, "tcp"), (udp_ref, bound.udp_port, "udp")}
    assert used[tcp_ref, bound.port, "tcp"].processes() == [
        f"{psutil.Process().name()} (pid {psutil.Process().pid})"
    ]
    unplanned = [f for f in report.findings if f.kind == "unplanned-listener"]
    assert [(f.ports, f.subjects) for f in unplanned] == [((bound.spare_port,), ("SPARE",))]
    assert report.unplanned_in_ranges
    assert report.ports_in_use()[bound.udp_port, "udp"][0].pid == psutil.Process().pid


def test_unexpected_process_is_info(bound: Bound) -> None:
    report = probe(plan_of(bound, name="Zookeeper"))
    [finding] = [
        f for f in report.findings if f.kind == "unexpected-process" and f.ports == (bound.port,)
    ]
    assert finding.severity == "info"
    assert finding.ports == (bound.port,)
    assert "does not look like Zookeeper" in finding.message


def test_wrong_protocol_is_not_the_planned_service(bound: Bound) -> None:
    # The plan wants UDP on the TCP socket's port: the TCP listener is not that service.
    plan = plan_of(bound)
    plan.projects[0].tiers[0].services[0].protocol = "udp"
    report = match_plan(plan, read_sockets())
    assert all(entry.port != bound.port for entry in report.in_use)
    assert any(f.kind == "unplanned-listener" and f.ports == (bound.port,) for f in report.findings)


def test_refused_system_list_falls_back_to_each_process(bound: Bound) -> None:
    def refused() -> list[object]:
        raise psutil.AccessDenied()

    sockets = read_sockets(system_wide=refused)
    me = psutil.Process()
    assert mine(sockets.listeners, bound.port, "tcp") == [
        Listener(bound.port, "tcp", "127.0.0.1", me.pid, me.name())
    ]
    assert "system-wide socket list was refused" in sockets.blind_spots[0]


def test_hidden_owners_are_said() -> None:
    sockets = Sockets([Listener(16000, "tcp", "0.0.0.0", None, None)])
    report = match_plan(
        loads('[[projects]]\nname = "A"\nports = "16000-16099"\n'),
        read_sockets(system_wide=lambda: []),
    )
    assert report.blind_spots == []
    hidden = match_plan(loads('[[projects]]\nname = "A"\nports = "16000-16099"\n'), sockets)
    [finding] = hidden.findings
    assert "unknown process listens on 16000/tcp" in finding.message


def test_probe_command(bound: Bound, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan_path = tmp_path / "plan.toml"
    plan_path.write_text(plan_text(bound), encoding="utf-8")
    assert main(["probe", str(plan_path)]) == 1  # the spare listener sits in SPARE's range
    out = capsys.readouterr().out
    assert f"{bound.port}/tcp  TCPAPP/Web/Python test server  ← {psutil.Process().name()}" in out
    assert f"{bound.udp_port}/udp  UDPAPP/Stats/Python stats" in out
    assert main(["probe", str(plan_path), "--format", "json"]) == 1
    document = json.loads(capsys.readouterr().out)
    [unplanned] = [f for f in document["findings"] if f["kind"] == "unplanned-listener"]
    assert (unplanned["rule"], unplanned["file"]) == ("PP301", str(plan_path))
    assert {
        (entry["service"], entry["port"]) for entry in document["result"]["planned_in_use"]
    } == {
        ("TCPAPP/Web/Python test server", bound.port),
        ("UDPAPP/Stats/Python stats", bound.udp_port),
    }


def test_probe_command_exit_0_without_unknown_listeners(
    bound: Bound, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan_path = tmp_path / "plan.toml"
    text = plan_text(bound).split('[[projects]]\nname = "SPARE"')[0]
    plan_path.write_text(text, encoding="utf-8")
    assert main(["probe", str(plan_path)]) == 0
    assert main(["probe", str(tmp_path / "absent.toml")]) == 2


def test_service_named_like_this_process_is_not_unexpected(bound: Bound) -> None:
    report = probe(plan_of(bound, name=f"{psutil.Process().name()} server"))
    assert not [
        f for f in report.findings if f.kind == "unexpected-process" and f.ports == (bound.port,)
    ]


@pytest.mark.parametrize(
    ("process", "service", "description", "expected"),
    [
        ("postgres", "PostgreSQL", "", True),
        ("redis-server", "Redis", "Cache", True),
        ("python3.12", "ML Service", "Python FastAPI ML service", True),
        ("docker-proxy", "Grafana", "", True),  # holds ports for containers: no evidence
        (None, "Grafana", "", True),  # name hidden: no evidence
        ("node", "Spectrum Workspace", "Frontend Vite dev server", False),
        ("nginx", "PostgreSQL", "", False),
    ],
)
def test_name_resemblance(
    process: str | None, service: str, description: str, expected: bool
) -> None:
    from portplan.model import Service
    from portplan.probe import looks_like

    assert (
        looks_like(process, Service(port=16000, name=service, description=description)) is expected
    )
