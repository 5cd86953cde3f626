"""Kubernetes manifests: multi-document YAML, Services and every workload kind."""

from __future__ import annotations

from pathlib import Path

from portplan.scan.scanner import Target, read_folder
from tests.scan_helpers import write

MANIFESTS = """\
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: NodePort
  ports:
    - port: 80
      targetPort: 8080
      nodePort: 30080
    - port: 443
      targetPort: https
      protocol: TCP
---
apiVersion: v1
kind: Service
metadata: {name: lb}
spec:
  type: LoadBalancer
  ports:
    - port: 16080
      targetPort: 80
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  template:
    spec:
      initContainers:
        - name: wait
          ports: [{containerPort: 9999}]
      containers:
        - name: api
          ports:
            - containerPort: 8080
              hostPort: 16081
            - containerPort: 53
              protocol: UDP
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly}
spec:
  jobTemplate:
    spec:
      template:
        spec:
          containers:
            - name: job
              ports: [{containerPort: 7000, hostPort: 16082}]
---
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers:
    - name: c
      ports:
        - containerPort: 6000
"""


def test_ports_roles_and_lines(tmp_path: Path) -> None:
    write(tmp_path / "deploy" / "app.yaml", MANIFESTS)
    report = read_folder(Target(tmp_path, "k", None))
    found = [(use.place.line, use.ports[0], use.role, use.protocol) for use in report.uses]
    assert found == [
        (8, 80, "service", "tcp"),
        (9, 8080, "container", "tcp"),
        (10, 30080, "host", "tcp"),
        (11, 443, "service", "tcp"),  # the named targetPort "https" is not a number
        (21, 16080, "host", "tcp"),  # a LoadBalancer's port is opened on a local host
        (22, 80, "container", "tcp"),
        (32, 9999, "container", "tcp"),
        (36, 8080, "container", "tcp"),
        (37, 16081, "host", "tcp"),
        (38, 53, "container", "udp"),
        (51, 7000, "container", "tcp"),
        (51, 16082, "host", "tcp"),
        (60, 6000, "container", "tcp"),
    ]
    assert report.notes == []
    assert report.files == ["k/deploy/app.yaml"]


def test_yaml_that_is_not_a_manifest_is_ignored(tmp_path: Path) -> None:
    write(tmp_path / ".github" / "ci.yml", "on: push\njobs: {build: {ports: ['1:1']}}\n")
    write(tmp_path / "values.yaml", "service:\n  port: 16000\n")
    report = read_folder(Target(tmp_path, "k", None))
    assert (report.uses, report.notes, report.files) == ([], [], [])


def test_kind_list_is_read_item_by_item(tmp_path: Path) -> None:
    write(
        tmp_path / "list.yml",
        """\
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: Service
    metadata: {name: a}
    spec:
      ports:
        - port: 16000
          nodePort: 30001
""",
    )
    report = read_folder(Target(tmp_path, "k", None))
    assert [(use.place.line, use.ports, use.role) for use in report.uses] == [
        (9, (16000,), "service"),
        (10, (30001,), "host"),
    ]


def test_health_check_node_port_is_a_node_port_and_init_host_ports_publish_nothing(
    tmp_path: Path,
) -> None:
    # core/v1 ServiceSpec.healthCheckNodePort: a node port kube-proxy opens on every node
    # (0: the cluster assigns one, as for nodePort).
    # The kubelet builds a pod's port mappings from `containers` only (kuberuntime's
    # generatePodSandboxConfig), so an init container's hostPort is never published.
    write(
        tmp_path / "app.yaml",
        """\
apiVersion: v1
kind: Service
metadata: {name: lb}
spec:
  type: LoadBalancer
  externalTrafficPolicy: Local
  healthCheckNodePort: 30555
  ports: [{port: 16000, targetPort: 80, nodePort: 30080}]
---
apiVersion: v1
kind: Service
metadata: {name: assigned}
spec: {type: LoadBalancer, externalTrafficPolicy: Local, healthCheckNodePort: 0}
---
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  initContainers:
    - name: init
      ports: [{containerPort: 80, hostPort: 16090}]
  containers:
    - name: web
      ports: [{containerPort: 80, hostPort: 16001}]
---
apiVersion: v1
kind: Pod
metadata: {name: h}
spec:
  hostNetwork: true
  initContainers: [{name: sidecar, restartPolicy: Always, ports: [{containerPort: 16002}]}]
  containers: [{name: c}]
""",
    )
    report = read_folder(Target(tmp_path, "k", None))
    hosts = [
        (use.place.line, use.ports[0], use.context) for use in report.uses if use.role == "host"
    ]
    assert hosts == [
        (8, 16000, "Service lb: port"),
        (8, 30080, "Service lb: nodePort"),
        (7, 30555, "Service lb: healthCheckNodePort"),
        (24, 16001, "Pod p container web: hostPort"),
        (31, 16002, "Pod h container sidecar (hostNetwork): containerPort"),
    ]
    assert [(note.level, note.place.line, note.message) for note in report.notes] == [
        (
            "info",
            21,
            "Pod p container init: hostPort of an init container, which Kubernetes does "
            "not publish",
        )
    ]
