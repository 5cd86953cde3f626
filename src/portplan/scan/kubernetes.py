"""Ports of Kubernetes manifests (core/v1): any YAML or JSON document with `apiVersion` and
`kind`; a `kind: List` is read item by item, and a file may hold many documents.

Service: `nodePort` opens a port on every node (a host port; 0 or none means the cluster
assigns one, so there is nothing to check); `port` is the cluster port, which local clusters
(Docker Desktop, k3s, kind with a load balancer) also open on the host for `type:
LoadBalancer`, so it counts as a host port there; `targetPort` is the container's.
A LoadBalancer's `healthCheckNodePort` is a node port too.
Pods: a pod spec is read wherever a workload keeps one — `spec` of a Pod, `template.spec` of a
PodTemplate, `spec.template.spec` of any workload (Deployment, Argo Rollout, OpenShift
DeploymentConfig, a custom resource shaped like one), `spec.jobTemplate.spec.template.spec` of
a CronJob. `hostPort` (bound to `hostIP` if given) is a host port and `containerPort` the
container's — except with `hostNetwork: true`, where the pod shares the node's network and
every `containerPort` is a port of the node. The kubelet publishes the `hostPort`s of
`containers` only: an init container's is noted, not counted.
Helm chart templates (`templates/` beside a `Chart.yaml`) and files with `{{ }}` actions are
YAML only after rendering: they are skipped with a note, never half-read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from portplan.scan.composeports import PortSyntaxError, parse_address
from portplan.scan.context import ReadRequest
from portplan.scan.kinds import FileKind
from portplan.scan.spans import SpanFinder
from portplan.scan.uses import FileNote, FileReading, Place, PortUse, Role, name_shown
from portplan.scan.yamltext import YamlProblem, item_line, key_line, load_documents

_POD_SPEC_PATHS = (
    ("spec", "template", "spec"),
    ("template", "spec"),
    ("spec", "jobTemplate", "spec", "template", "spec"),
)
_TEMPLATE_ACTION = re.compile(r"\{\{.*?\}\}")
YAML_PATTERNS = ("*.yml", "*.yaml", "*.json")


def read(text: str, request: ReadRequest) -> FileReading | None:
    """The file's manifests; None for a YAML or JSON file that holds none."""
    is_json = request.path.name.lower().endswith(".json")
    if "apiVersion" not in text or "kind" not in text:
        return None  # package.json, values.yaml and friends: no manifest, not worth parsing
    parent = request.path.parent
    if (parent.name == "templates" and (parent.parent / "Chart.yaml").is_file()) or (
        _TEMPLATE_ACTION.search(text)
    ):
        note = "a template (Helm or Go `{{ }}` actions), not plain YAML; skipped"
        return FileReading([], [FileNote("info", Place(request.label), note)])
    try:
        documents = load_documents(text)
    except YamlProblem as problem:
        if is_json:
            return None
        return FileReading(
            [], [FileNote("warning", Place(request.label, problem.line), str(problem))]
        )
    if not any(is_manifest(document) for document in documents):
        return None
    return read_kubernetes(documents, request.label, request.context.finder(request.path))


KIND = FileKind("kubernetes", YAML_PATTERNS, read)


def is_manifest(document: Any) -> bool:
    return isinstance(document, Mapping) and "apiVersion" in document and "kind" in document


def read_kubernetes(
    documents: list[Any], label: str, finder: SpanFinder | None = None
) -> FileReading:
    reading = FileReading([], [])
    for document in documents:
        for manifest in _manifests(document):
            _read_manifest(manifest, _Where(label, finder), reading)
    return reading


class _Where:
    """The file being read: its label, and its text's offsets (for the spans apply edits)."""

    def __init__(self, label: str, finder: SpanFinder | None) -> None:
        self.label = label
        self.finder = finder


def _manifests(document: Any) -> Iterator[Mapping[str, Any]]:
    if not is_manifest(document):
        return
    if document["kind"] == "List" and isinstance(document.get("items"), list):
        for item in document["items"]:
            if is_manifest(item):  # a List inside a List is not a Kubernetes thing
                yield item
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
    kind = name_shown(manifest["kind"])
    return f"{kind} {name_shown(name)}" if name else kind


def _pod_specs(manifest: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    paths = (("spec",),) if manifest["kind"] == "Pod" else _POD_SPEC_PATHS
    for path in paths:
        pod = _dig(manifest, path)
        if isinstance(pod, Mapping) and isinstance(pod.get("containers"), list):
            yield pod


def _read_manifest(manifest: Mapping[str, Any], where: _Where, reading: FileReading) -> None:
    if manifest["kind"] == "Service":
        spec = manifest.get("spec")
        load_balancer = isinstance(spec, Mapping) and spec.get("type") == "LoadBalancer"
        roles: dict[str, Role] = {
            "port": "host" if load_balancer else "service",
            "targetPort": "container",
            "nodePort": "host",
        }
        _read_ports(_dig(manifest, ("spec", "ports")), roles, _name(manifest), where, reading)
        if isinstance(spec, Mapping):
            # One port for the whole Service, where kube-proxy answers load balancers'
            # health checks on every node.
            _read_ports([spec], {"healthCheckNodePort": "host"}, _name(manifest), where, reading)
        return
    for pod in _pod_specs(manifest):
        host_network = pod.get("hostNetwork") is True
        for group in ("initContainers", "containers"):
            containers = pod.get(group)
            if not isinstance(containers, list):
                continue
            for container in containers:
                if not isinstance(container, Mapping):
                    continue
                context = f"{_name(manifest)} container {name_shown(container.get('name', '?'))}"
                if host_network:
                    context += " (hostNetwork)"
                pod_roles: dict[str, Role] = {
                    "containerPort": "host" if host_network else "container"
                }
                if group == "containers":
                    pod_roles["hostPort"] = "host"
                else:
                    _unpublished_host_ports(container.get("ports"), context, where, reading)
                _read_ports(container.get("ports"), pod_roles, context, where, reading)


def _read_ports(
    ports: Any, roles: dict[str, Role], context: str, where: _Where, reading: FileReading
) -> None:
    if not isinstance(ports, list):
        return
    label, finder = where.label, where.finder
    for index, entry in enumerate(ports):
        if not isinstance(entry, Mapping):
            continue
        protocol = str(entry.get("protocol") or "TCP").lower()
        bind = _bind(entry, context, Place(label, item_line(ports, index)), reading)
        seen_host: set[int] = set()
        for key, role in roles.items():
            value = entry.get(key)
            if value is None or isinstance(value, bool):
                continue
            place = Place(label, key_line(entry, key) or item_line(ports, index))
            if isinstance(value, int) and 0 <= value <= 65535:
                if value == 0 and key in ("nodePort", "hostPort", "healthCheckNodePort"):
                    continue  # 0: the cluster assigns a node port / no host port at all
                if role == "host" and value in seen_host:
                    continue  # hostNetwork: hostPort must equal containerPort; one use
                if role == "host":
                    seen_host.add(value)
                reading.uses.append(
                    PortUse(
                        place,
                        (value,),
                        protocol,
                        role,
                        "kubernetes",
                        f"{context}: {key}",
                        bind=bind if role == "host" and key != "port" else "",
                        spans=finder.number(finder.value_at(entry, key), value)
                        if finder is not None and role == "host"
                        else (),
                    )
                )
            elif not (isinstance(value, str) and key == "targetPort"):  # a named port is fine
                reading.notes.append(
                    FileNote("warning", place, f"{context}: {key} is not a port number")
                )


def _unpublished_host_ports(ports: Any, context: str, where: _Where, reading: FileReading) -> None:
    """The kubelet maps the host ports of a pod's `containers` only: an init container's
    `hostPort` publishes nothing (its `containerPort` is still the node's under hostNetwork)."""
    if not isinstance(ports, list):
        return
    for entry in ports:
        if isinstance(entry, Mapping) and entry.get("hostPort") not in (None, 0):
            place = Place(where.label, key_line(entry, "hostPort"))
            note = f"{context}: hostPort of an init container, which Kubernetes does not publish"
            reading.notes.append(FileNote("info", place, note))


def _bind(entry: Mapping[str, Any], context: str, place: Place, reading: FileReading) -> str:
    host_ip = entry.get("hostIP")
    if not isinstance(host_ip, str) or not host_ip:
        return ""
    try:
        return parse_address(host_ip)
    except PortSyntaxError as error:
        reading.notes.append(FileNote("warning", place, f"{context}: hostIP: {error}"))
        return ""
