"""Ports of Kubernetes manifests: any YAML document with `apiVersion` and `kind`.

Service: `nodePort` opens a port on every node (a host port); `port` is the cluster port,
which local clusters (Docker Desktop, k3s, kind with a load balancer) also open on the host
for `type: LoadBalancer`, so it counts as a host port there; `targetPort` is the container's.
Workloads: `hostPort` is a host port, `containerPort` the container's. A `kind: List` is
read item by item.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from portplan.scan.uses import FileNote, FileReading, Place, PortUse, Role
from portplan.scan.yamltext import item_line, key_line

# Where each workload kind keeps its pod spec.
_POD_SPEC_PATHS: dict[str, tuple[str, ...]] = {
    "Pod": ("spec",),
    "Deployment": ("spec", "template", "spec"),
    "StatefulSet": ("spec", "template", "spec"),
    "DaemonSet": ("spec", "template", "spec"),
    "ReplicaSet": ("spec", "template", "spec"),
    "ReplicationController": ("spec", "template", "spec"),
    "Job": ("spec", "template", "spec"),
    "CronJob": ("spec", "jobTemplate", "spec", "template", "spec"),
}


def is_manifest(document: Any) -> bool:
    return isinstance(document, Mapping) and "apiVersion" in document and "kind" in document


def read_kubernetes(documents: list[Any], label: str) -> FileReading:
    reading = FileReading([], [])
    for document in documents:
        for manifest in _manifests(document):
            _read_manifest(manifest, label, reading)
    return reading


def _manifests(document: Any) -> Iterator[Mapping[str, Any]]:
    if not is_manifest(document):
        return
    if document["kind"] == "List" and isinstance(document.get("items"), list):
        for item in document["items"]:
            yield from _manifests(item)
    else:
        yield document


def _dig(node: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        if not isinstance(node, Mapping):
            return None
        node = node.get(key)
    return node


def _name(manifest: Mapping[str, Any]) -> str:
    name = _dig(manifest, ("metadata", "name"))
    return f"{manifest['kind']} {name}" if name else str(manifest["kind"])


def _read_manifest(manifest: Mapping[str, Any], label: str, reading: FileReading) -> None:
    kind = manifest["kind"]
    if kind == "Service":
        spec = manifest.get("spec")
        load_balancer = isinstance(spec, Mapping) and spec.get("type") == "LoadBalancer"
        roles: dict[str, Role] = {
            "port": "host" if load_balancer else "service",
            "targetPort": "container",
            "nodePort": "host",
        }
        _read_ports(_dig(manifest, ("spec", "ports")), roles, _name(manifest), label, reading)
    elif kind in _POD_SPEC_PATHS:
        pod = _dig(manifest, _POD_SPEC_PATHS[kind])
        if not isinstance(pod, Mapping):
            return
        for group in ("initContainers", "containers"):
            containers = pod.get(group)
            if not isinstance(containers, list):
                continue
            for container in containers:
                if not isinstance(container, Mapping):
                    continue
                context = f"{_name(manifest)} container {container.get('name', '?')}"
                _read_ports(
                    container.get("ports"),
                    {"containerPort": "container", "hostPort": "host"},
                    context,
                    label,
                    reading,
                )


def _read_ports(
    ports: Any, roles: dict[str, Role], context: str, label: str, reading: FileReading
) -> None:
    if not isinstance(ports, list):
        return
    for index, entry in enumerate(ports):
        if not isinstance(entry, Mapping):
            continue
        protocol = str(entry.get("protocol") or "TCP").lower()
        for key, role in roles.items():
            value = entry.get(key)
            if value is None or isinstance(value, bool):
                continue
            line = key_line(entry, key) or item_line(ports, index)
            place = Place(label, line)
            if isinstance(value, int) and 0 <= value <= 65535:
                reading.uses.append(
                    PortUse(place, (value,), protocol, role, "kubernetes", f"{context}: {key}")
                )
            elif not isinstance(value, str):  # a named targetPort ("http") is fine
                reading.notes.append(
                    FileNote("warning", place, f"{context}: {key} {value!r} is not a port")
                )
