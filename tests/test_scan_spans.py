"""The scan says where each host port's digits are written (`PortUse.spans`), which is what
`portplan apply` edits: every span holds exactly the digits of its port."""

from __future__ import annotations

from pathlib import Path

from portplan.scan import Target, scan
from tests.scan_helpers import plan, write

COMPOSE = """\
services:
  web:
    ports:
      - "16000:80"
      - 127.0.0.1:16001-16002:81-82
      - "${API_PORT:-16080}:8080"
      - "${PG_PORT}:5432"
      - target: 9000
        published: '16450'
        protocol: udp
      - {target: 9001, published: 16451}
"""
ENV = (
    'PG_PORT="16432"\r\nCORS=http://localhost:16003/x,https://[::1]:16004\r\nQ=localhost:16005\r\n'
)
MANIFEST = """\
apiVersion: v1
kind: Service
metadata: {name: s}
spec:
  type: NodePort
  ports: [{port: 80, nodePort: 30080}]
---
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
    - name: c
      ports:
        - containerPort: 80
          hostPort: 16006
"""


def test_every_host_port_has_spans_holding_its_digits(tmp_path: Path) -> None:
    folder = tmp_path / "alpha"
    write(folder / "compose.yaml", COMPOSE)
    (folder / ".env").write_bytes(ENV.encode())
    write(folder / "k8s" / "app.yaml", MANIFEST)
    report = scan(plan(), [Target(folder, "alpha", "ALPHA")])
    host = [use for use in report.folders[0].uses if use.role == "host"]
    assert len(host) == 12
    for use in host:
        assert use.spans, use
        assert [span.port for span in use.spans] in ([use.ports[0]], [use.ports[0], use.ports[-1]])
        for span in use.spans:
            text = span.path.read_bytes().decode("utf-8")
            assert text[span.start : span.end] == str(span.port)


def test_spans_of_an_interpolated_port_point_into_the_env(tmp_path: Path) -> None:
    folder = tmp_path / "alpha"
    write(folder / "compose.yaml", COMPOSE)
    (folder / ".env").write_bytes(ENV.encode())
    uses = scan(plan(), [Target(folder, "alpha", "ALPHA")]).folders[0].uses
    fed = [use for use in uses if use.source == "compose" and use.variables == {"PG_PORT"}]
    assert [span.path.name for use in fed for span in use.spans] == [".env"]
    default = [use for use in uses if use.variables == {"API_PORT"}]
    assert [span.path.name for use in default for span in use.spans] == ["compose.yaml"]


def test_backups_are_not_read(tmp_path: Path) -> None:
    folder = tmp_path / "alpha"
    write(folder / ".env.bak", "WEB=http://localhost:16999\n")
    write(folder / "compose.yaml.bak", COMPOSE)
    report = scan(plan(), [Target(folder, "alpha", "ALPHA")])
    assert report.folders[0].files == []
