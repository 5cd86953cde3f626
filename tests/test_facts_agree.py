"""`check`, `scan`, the port map, `where` and the planner's details agree on every port of a
generated plan.

They all ask the port-facts model; this property is what keeps a fourth view (or a new hazard
kind) from answering on its own. `check` is asked about a free port by planting probe
services on it (one TCP, one UDP) in a copy of the plan: one analysis answers for every port.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from hypothesis import given
from rich.style import Style

from portplan.analysis import analyze
from portplan.cli.where import fact_records
from portplan.environment import as_environment
from portplan.finding_index import FindingIndex
from portplan.findings import SEVERITY_RANK, Finding
from portplan.hazards import EphemeralRange
from portplan.model import Plan, Project, Service, Tier
from portplan.portfacts import HAZARD_KINDS
from portplan.portmap import PortMapModel, build_port_map
from portplan.scan.drift import PlanPorts
from portplan.tui.widgets.details import port_text
from tests.test_properties import EPHEMERAL, SMALL_PLANS

HAZARD_KIND_NAMES = {kind.kind for kind in HAZARD_KINDS}
PROBE = "probe project"  # SMALL_NAME draws names of at most three characters: no clash


def map_ports(plan: Plan) -> set[int]:
    return {port for project in plan.projects for port in project.ports}


def with_probes(plan: Plan, ports: Iterable[int]) -> Plan:
    """A copy of `plan` with a TCP and a UDP service on each port, in a project of its own."""
    probes = [
        Service(port=port, name=f"{protocol} {port}", protocol=protocol)
        for port in sorted(ports)
        for protocol in ("tcp", "udp")
    ]
    copy = plan.model_copy(deep=True)
    project = Project.model_construct(name=PROBE, ports=plan.projects[0].ports, tiers=[])
    project.tiers = [Tier.model_construct(name="p", ports=project.ports, services=probes)]
    copy.projects = [*copy.projects, project]
    return copy


def hazard_kinds_by_subject(findings: Iterable[Finding]) -> dict[str, set[str]]:
    kinds: dict[str, set[str]] = defaultdict(set)
    for finding in findings:
        if finding.kind in HAZARD_KIND_NAMES:
            for subject in finding.subjects:
                kinds[subject].add(finding.kind)
    return kinds


def scan_kinds(scan: PlanPorts, port: int, protocol: str) -> set[str]:
    return {v.kind for v in scan.verdicts(port, protocol, None) if v.kind in HAZARD_KIND_NAMES}


def worst_state(findings: Iterable[Finding], path: str) -> str:
    severities = [f.severity for f in findings if path in f.subjects]
    severities = [s for s in severities if s != "info"]
    return min(severities, key=SEVERITY_RANK.__getitem__) if severities else "used"


def projects_on(plan: Plan):  # type: ignore[no-untyped-def]
    def names(port: int) -> set[str]:
        return {p.name for p, _, service in plan.services() if service.port == port}

    return names


@given(SMALL_PLANS, EPHEMERAL)
def test_check_scan_and_the_port_map_agree_on_every_port(
    plan: Plan, ephemeral: tuple[EphemeralRange, ...]
) -> None:
    if not plan.projects:
        return
    ports = map_ports(plan)
    probed = hazard_kinds_by_subject(analyze(with_probes(plan, ports), ephemeral))
    scan = PlanPorts(plan, ephemeral)
    # check and scan: the same hazards for every port, over either protocol.
    for port in ports:
        for protocol in ("tcp", "udp"):
            check = probed.get(f"{PROBE}/p/{protocol} {port}", set())
            assert check == scan_kinds(scan, port, protocol), (port, protocol)
    # check and scan on the plan's own services.
    findings = analyze(plan, ephemeral)
    own = hazard_kinds_by_subject(findings)
    for project, tier, service in plan.services():
        path = f"{project.name}/{tier.name}/{service.name}"
        assert own.get(path, set()) == scan_kinds(scan, service.port, service.protocol), path
    # The port map: a used cell shows check's worst finding on its services; a free cell is
    # reserved when scan says so, else a hazard exactly when a new (TCP) service would have one.
    index = FindingIndex(plan, findings)
    for project in plan.projects:
        model = build_port_map(plan, project, None, index, ephemeral, projects_on(plan))
        for port in model.ports:
            owners = model.owners.get(port)
            if owners:
                states = {worst_state(findings, str(ref)) for ref in owners}
                expected = next(s for s in ("error", "warning", "used") if s in states)
                assert model.state(port) == expected, port
                continue
            verdicts = {v.kind for v in scan.verdicts(port, "tcp", None)}
            if "reserved-port" in verdicts:
                assert model.state(port) == "reserved", port
            elif scan_kinds(scan, port, "tcp"):
                assert model.state(port) == "hazard", port
                assert probed[f"{PROBE}/p/tcp {port}"], port
            else:
                assert model.state(port) == "free", port
        details_agree_with_where(plan, model, index, ephemeral)


def details_agree_with_where(
    plan: Plan,
    model: PortMapModel,
    index: FindingIndex,
    ephemeral: tuple[EphemeralRange, ...],
) -> None:
    """Each map cell's details list exactly `where`'s facts of its port, in its order and
    words, and a hazard cell is drawn with one of them."""
    environment = as_environment(ephemeral)
    for port in model.ports:
        where = fact_records(plan, port, environment)
        text = port_text(plan, port, model.owners.get(port, ()), index, environment, _PLAIN)
        lines = text.plain.splitlines()
        shown = lines[lines.index(f"Facts ({len(where)})") + 1 :] if where else []
        assert "Facts" not in text.plain or where, port
        assert len(shown) == len(where), (port, shown, where)
        for line, fact in zip(shown, where, strict=True):
            assert line.endswith(f"port {port} {fact['reason']} ({fact['protocols']})"), line
        if model.state(port) == "hazard":
            assert model.hazard_kinds[port] in {fact["kind"] for fact in where}, port


_PLAIN: defaultdict[str, Style] = defaultdict(Style)  # the details' text without colours
