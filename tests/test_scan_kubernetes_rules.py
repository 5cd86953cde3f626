"""Kubernetes manifests read as the core/v1 API means them: hostNetwork, pod templates in any
workload, `nodePort: 0`, JSON manifests, Lists, multi-document files and Helm templates.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from portplan.scan.scanner import FolderReport, Target, read_folder
from tests.scan_helpers import write


def read(folder: Path) -> FolderReport:
    return read_folder(Target(folder, "k", None))


def host_uses(report: FolderReport) -> list[tuple[int | None, tuple[int, ...], str, str]]:
    return [
        (use.place.line, use.ports, use.bind, use.context)
        for use in report.uses
        if use.role == "host"
    ]


POD = """\
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  hostNetwork: true
  containers:
    - name: web
      ports:
        - containerPort: 8080
        - containerPort: 9090
          hostPort: 9090
"""


def test_host_network_makes_every_container_port_a_node_port(tmp_path: Path) -> None:
    write(tmp_path / "pod.yaml", POD)
    assert host_uses(read(tmp_path)) == [
        (9, (8080,), "", "Pod p container web (hostNetwork): containerPort"),
        (10, (9090,), "", "Pod p container web (hostNetwork): containerPort"),
    ]


@pytest.mark.parametrize(
    ("kind", "path"),
    [
        ("apps/v1 Deployment", "spec.template.spec"),
        ("argoproj.io/v1alpha1 Rollout", "spec.template.spec"),
        ("apps.openshift.io/v1 DeploymentConfig", "spec.template.spec"),
        ("example.com/v1 MyWorkload", "spec.template.spec"),
        ("v1 PodTemplate", "template.spec"),
        ("batch/v1 CronJob", "spec.jobTemplate.spec.template.spec"),
    ],
)
def test_pod_templates_are_read_wherever_a_workload_keeps_them(
    tmp_path: Path, kind: str, path: str
) -> None:
    api, name = kind.split()
    pod: dict[str, object] = {
        "containers": [{"name": "c", "ports": [{"containerPort": 80, "hostPort": 18080}]}]
    }
    for key in reversed(path.split(".")):
        pod = {key: pod}
    document = {"apiVersion": api, "kind": name, "metadata": {"name": "w"}, **pod}
    write(tmp_path / "w.yaml", json.dumps(document))
    assert [use.ports for use in read(tmp_path).uses if use.role == "host"] == [(18080,)]


def test_node_port_zero_means_assign_one(tmp_path: Path) -> None:
    write(
        tmp_path / "svc.yaml",
        "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  type: NodePort\n"
        "  ports:\n    - {port: 80, nodePort: 0}\n    - {port: 81, nodePort: 30081}\n",
    )
    assert [use.ports for use in read(tmp_path).uses if use.role == "host"] == [(30081,)]


def test_json_manifests_are_read_and_other_json_ignored(tmp_path: Path) -> None:
    service = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "s"},
        "spec": {"type": "NodePort", "ports": [{"port": 80, "nodePort": 30080}]},
    }
    write(tmp_path / "svc.json", json.dumps(service, indent=2))
    write(tmp_path / "package.json", '{"name": "app", "version": "1.0.0"}')
    report = read(tmp_path)
    assert report.files == ["k/svc.json"]
    assert host_uses(report) == [(12, (30080,), "", "Service s: nodePort")]


def test_lists_and_multi_document_files(tmp_path: Path) -> None:
    write(
        tmp_path / "all.yaml",
        "apiVersion: v1\nkind: List\nitems:\n"
        "  - apiVersion: v1\n    kind: Service\n    metadata: {name: a}\n"
        "    spec: {type: NodePort, ports: [{port: 1, nodePort: 30001}]}\n"
        "---\napiVersion: v1\nkind: Service\nmetadata: {name: b}\n"
        "spec: {type: NodePort, ports: [{port: 2, nodePort: 30002}]}\n",
    )
    assert [use.ports for use in read(tmp_path).uses if use.role == "host"] == [
        (30001,),
        (30002,),
    ]


def test_host_ip_is_the_bind_address(tmp_path: Path) -> None:
    write(
        tmp_path / "pod.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
        "    - name: c\n      ports:\n"
        "        - {containerPort: 80, hostPort: 8080, hostIP: 127.0.0.1}\n",
    )
    [use] = [use for use in read(tmp_path).uses if use.role == "host"]
    assert (use.bind, use.port_text()) == ("127.0.0.1", "127.0.0.1:8080")


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("chart/templates/svc.yaml", "apiVersion: v1\nkind: Service\nspec:\n  ports: []\n"),
        ("deploy/svc.yaml", "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Name }}\n"),
        (
            "deploy/odd.yaml",
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Values.x }}\n"
            "spec: {ports: [{port: 80, nodePort: 30080}]}\n",
        ),
    ],
)
def test_helm_templates_are_skipped_with_a_note(tmp_path: Path, path: str, text: str) -> None:
    write(tmp_path / "chart" / "Chart.yaml", "apiVersion: v2\nname: c\n")
    write(tmp_path / path, text)
    report = read(tmp_path)
    assert report.uses == []
    assert [note.message for note in report.notes if note.place.label == f"k/{path}"] == [
        "a template (Helm or Go `{{ }}` actions), not plain YAML; skipped"
    ]
    assert not any("ordereddict" in note.message for note in report.notes)


def test_yaml_without_a_manifest_is_not_a_file_of_the_scan(tmp_path: Path) -> None:
    write(tmp_path / "values.yaml", "replicas: 2\nports: [8080]\n")
    write(tmp_path / "broken.yaml", "a: [\n")  # not a manifest either: no note, no parse
    report = read(tmp_path)
    assert (report.files, report.uses, report.notes) == ([], [], [])
