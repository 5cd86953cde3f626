"""Bind addresses: two bindings of one port on different specific addresses do not collide, a
binding on every interface collides with all — in `scan`, in `probe` and for plan services.
"""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from portplan.bindings import binds_collide
from portplan.cli import main
from portplan.exporters import export
from portplan.markdown import import_markdown
from portplan.probe import Listener, Sockets, match_plan
from portplan.scan.scanner import Target, scan
from portplan.store import dumps, loads
from tests.scan_helpers import write


@pytest.mark.parametrize(
    ("first", "second", "collide"),
    [
        ("127.0.0.1", "192.168.1.100", False),
        ("127.0.0.1", "127.0.0.1", True),
        ("::1", "0:0:0:0:0:0:0:1", True),
        ("::1", "127.0.0.1", False),
        (None, "127.0.0.1", True),
        ("", "::1", True),
        ("0.0.0.0", "192.168.1.100", True),
        ("::", "127.0.0.1", True),
        ("[::1]", "::1", True),
    ],
)
def test_collision_rule(first: str | None, second: str | None, collide: bool) -> None:
    assert binds_collide(first, second) is collide
    assert binds_collide(second, first) is collide


PLAN = """
[[projects]]
name = "ALPHA"
ports = "16000-16999"
paths = ["alpha"]
[[projects.tiers]]
name = "Web"
ports = "16000-16099"
services = [{ port = 16000, name = "Web", bind = "127.0.0.1" }]

[[projects]]
name = "BETA"
ports = "26000-26999"
paths = ["beta"]
[[projects.tiers]]
name = "Web"
ports = "26000-26099"
services = [{ port = 26000, name = "Web" }]
"""


def kinds(folder: Path, entries: str) -> list[tuple[str, tuple[int, ...]]]:
    write(folder / "compose.yaml", f"services:\n  web:\n    ports: [{entries}]\n")
    report = scan(loads(PLAN, "p.toml"), [Target(folder, "alpha", "BETA")])
    return [(finding.kind, finding.ports) for finding in report.findings]


def test_plan_service_on_another_address_does_not_own_the_binding(tmp_path: Path) -> None:
    # ALPHA's 16000 is planned on 127.0.0.1: BETA publishing it on 192.168.1.100 takes
    # nothing of ALPHA's (but the port is still in ALPHA's range).
    found = kinds(tmp_path, "'192.168.1.100:16000:80'")
    assert ("cross-project", (16000,)) in found
    write(tmp_path / "compose.yaml", "services:\n  web:\n    ports: ['192.168.1.100:16000:80']\n")
    report = scan(loads(PLAN, "p.toml"), [Target(tmp_path, "alpha", "BETA")])
    [finding] = [f for f in report.findings if f.kind == "cross-project"]
    assert "the plan gives it to" not in finding.message
    assert "on 192.168.1.100" in finding.message


def test_wildcard_binding_collides_with_the_planned_address(tmp_path: Path) -> None:
    write(tmp_path / "compose.yaml", "services:\n  web:\n    ports: ['16000:80']\n")
    report = scan(loads(PLAN, "p.toml"), [Target(tmp_path, "alpha", "BETA")])
    [finding] = [f for f in report.findings if f.kind == "cross-project"]
    assert "the plan gives it to ALPHA/Web/Web" in finding.message


def test_one_port_on_two_specific_addresses_is_no_clash(tmp_path: Path) -> None:
    assert ("port-clash", (26001,)) not in kinds(
        tmp_path, "'127.0.0.1:26001:80', '192.168.1.100:26001:81'"
    )
    assert ("port-clash", (26001,)) in kinds(tmp_path, "'127.0.0.1:26001:80', '26001:81'")
    assert ("port-clash", (26001,)) in kinds(tmp_path, "'[::1]:26001:80', '[::1]:26001:81'")
    assert ("port-clash", (26001,)) not in kinds(tmp_path, "'26001:80', '26001:81/udp'")


def test_bind_in_scan_text_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path / "p.toml", PLAN)
    write(
        tmp_path / "alpha" / "compose.yaml",
        "services:\n  web:\n"
        "    ports: ['127.0.0.1:16000:80', '[::1]:16001:81', '16002-16005:82']\n",
    )
    plan = str(tmp_path / "p.toml")
    main(["scan", str(tmp_path / "alpha"), "--plan", plan])
    text = capsys.readouterr().out
    assert "127.0.0.1:16000/tcp" in text
    assert "[::1]:16001/tcp" in text
    assert "one of 16002-16005/tcp" in text
    main(["scan", str(tmp_path / "alpha"), "--plan", plan, "--format", "json"])
    uses = json.loads(capsys.readouterr().out)["result"]["folders"][0]["uses"]
    hosts = [(use["bind"], use["ports"], use["picks_one"]) for use in uses if use["role"] == "host"]
    assert hosts == [
        ("127.0.0.1", [16000], False),
        ("::1", [16001], False),
        (None, [16002, 16003, 16004, 16005], True),
    ]


def test_ghost_smtp_port_is_only_mentioned(tmp_path: Path) -> None:
    write(tmp_path / ".env", "SMTP_PORT=587\nDB_PORT=3306\n")
    write(tmp_path / "compose.yaml", "services:\n  db:\n    expose: ['3306']\n")
    report = scan(loads(PLAN, "p.toml"), [Target(tmp_path, "alpha", "BETA")])
    assert [f for f in report.findings if f.severity != "info"] == []
    assert {use.role for use in report.folders[0].uses if use.source == "env"} == {"mentioned"}


def listener(port: int, address: str, process: str = "python") -> Listener:
    return Listener(port, "tcp", address, 4242, process)


def test_probe_matches_listeners_by_address() -> None:
    plan = loads(PLAN, "p.toml")
    report = match_plan(plan, Sockets([listener(16000, "192.168.1.100")]))
    assert report.in_use == []  # the planned 127.0.0.1:16000 is not this listener
    [finding] = report.findings
    assert finding.kind == "unplanned-listener"
    assert "listens on 16000/tcp on 192.168.1.100" in finding.message
    report = match_plan(plan, Sockets([listener(16000, "127.0.0.1", "web")]))
    assert [entry.bind for entry in report.in_use] == ["127.0.0.1"]
    assert report.findings == []
    report = match_plan(plan, Sockets([listener(16000, "0.0.0.0", "web")]))
    assert len(report.in_use) == 1 and report.findings == []


def test_probe_with_a_real_socket_on_loopback(tmp_path: Path) -> None:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    port = sock.getsockname()[1]
    try:
        text = f"""
[[projects]]
name = "P"
ports = "{port}"
[[projects.tiers]]
name = "T"
ports = "{port}"
services = [{{ port = {port}, name = "python", bind = "10.255.255.1" }}]
"""
        from portplan.probe import probe

        report = probe(loads(text, "p.toml"))
        assert [f.kind for f in report.findings if f.ports == (port,)] == ["unplanned-listener"]
    finally:
        sock.close()


def test_plan_bind_round_trips_through_toml_and_markdown() -> None:
    plan = loads(PLAN.replace('name = "Web" }]', 'name = "Web", bind = "::1" }]'), "p.toml")
    assert loads(dumps(plan), "p.toml") == plan
    markdown = export(plan, "md")
    assert "**127.0.0.1:16000**" in markdown and "**[::1]:26000**" in markdown
    again = import_markdown(markdown, "plan.md").plan
    assert [s.bind for _, _, s in again.services()] == ["127.0.0.1", "::1"]


def test_plan_bind_must_be_an_address(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path / "p.toml", PLAN.replace('"127.0.0.1"', '"localhost"'))
    assert main(["check", str(tmp_path / "p.toml")]) == 2
    assert "'localhost' is not an IP address" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("first", "second", "clash"),
    [
        ("[dev]", "[prod]", False),  # alternatives: never started together unless asked
        ("[dev]", "[dev, test]", True),
        ("[dev]", None, True),  # a service without profiles always runs
        (None, None, True),
        ('["${WHICH:-dev}"]', "[dev]", True),  # profiles are interpolated, as every value
    ],
)
def test_services_under_profiles_they_share_none_of_do_not_clash(
    tmp_path: Path, first: str | None, second: str | None, clash: bool
) -> None:
    def service(name: str, profiles: str | None, port: str) -> str:
        listed = f"    profiles: {profiles}\n" if profiles is not None else ""
        return f"  {name}:\n{listed}    ports: ['{port}']\n"

    write(
        tmp_path / "compose.yaml",
        "services:\n" + service("a", first, "26001:80") + service("b", second, "26001:81"),
    )
    report = scan(loads(PLAN, "p.toml"), [Target(tmp_path, "alpha", "BETA")])
    found = [(finding.kind, finding.ports) for finding in report.findings]
    assert (("port-clash", (26001,)) in found) == clash


def test_a_service_extending_another_keeps_its_profiles_unless_it_names_its_own(
    tmp_path: Path,
) -> None:
    write(
        tmp_path / "compose.yaml",
        "services:\n"
        "  base:\n    profiles: [dev]\n    image: x\n"
        "  dev:\n    extends: base\n    ports: ['26001:80']\n"
        "  prod:\n    extends: base\n    profiles: [prod]\n    ports: ['26001:81']\n",
    )
    report = scan(loads(PLAN, "p.toml"), [Target(tmp_path, "alpha", "BETA")])
    assert "port-clash" not in [finding.kind for finding in report.findings]
