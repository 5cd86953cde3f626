"""From port uses to drift findings: what the files say against what the plan says.

Only host ports are checked against the plan (a container port lives in the container's own
network namespace and collides with nothing on the machine). Every use counts, whatever its
role, when asking whether a planned service is mentioned in its project's files at all.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from portplan.bindings import binds_collide, bound_address
from portplan.environment import EnvironmentLike
from portplan.findings import SEVERITY_RANK, Finding, Severity
from portplan.model import Plan, Project, subject
from portplan.portfacts import PortFacts, describe_reserved
from portplan.scan.uses import Place, PortUse


@dataclass(frozen=True, slots=True)
class Drift:
    """A finding about a project's files; `place` is None for a service missing from them."""

    severity: Severity
    kind: str
    message: str
    place: Place | None
    ports: tuple[int, ...]
    subjects: tuple[str, ...]  # plan paths the finding is about (projects, services)

    def sort_key(self) -> tuple[int, str, int, int, str]:
        label, line = (self.place.label, self.place.line or 0) if self.place else ("", 0)
        return (SEVERITY_RANK[self.severity], label, line, min(self.ports, default=-1), self.kind)

    def text(self) -> str:
        return f"{self.place}: {self.message}" if self.place else self.message

    def as_finding(self) -> Finding:
        """The same finding in the analysis' shape, for lists that show both kinds together."""
        return Finding(self.severity, self.kind, self.text(), self.ports, self.subjects)

    def as_dict(self) -> dict[str, object]:
        return {
            "severity": self.severity,
            "kind": self.kind,
            "message": self.message,
            "file": self.place.label if self.place else None,
            "line": self.place.line if self.place else None,
            "ports": list(self.ports),
            "subjects": list(self.subjects),
        }


@dataclass(frozen=True, slots=True)
class _Verdict:
    severity: Severity
    kind: str
    reason: str  # the message after "port N"
    subjects: tuple[str, ...]


class PlanPorts:
    """The plan's answers about one port, built once per scan."""

    def __init__(self, plan: Plan, ephemeral: EnvironmentLike) -> None:
        self.plan = plan
        self.ephemeral = ephemeral
        # Reserved entries and hazards are the facts model's verdicts, worded as it words them.
        self.facts = PortFacts(plan, ephemeral)
        self.services: dict[int, list[tuple[Project, str, str | None]]] = defaultdict(list)
        for project, tier, service in plan.services():
            self.services[service.port].append(
                (project, subject(project.name, tier.name, service.name), service.bind)
            )
        self._answers: dict[tuple[int, str, str | None, str], tuple[_Verdict, ...]] = {}

    def answers(
        self, port: int, protocol: str, tied: Project | None, bind: str = ""
    ) -> tuple[_Verdict, ...]:
        """`verdicts`, remembered: a port is often written in several files of a folder (a
        Compose file, the `.env` that feeds it, a manifest). Projects are known by name."""
        key = (port, protocol, None if tied is None else tied.name, bind)
        if (known := self._answers.get(key)) is None:
            known = self._answers[key] = tuple(self.verdicts(port, protocol, tied, bind))
        return known

    def verdicts(
        self, port: int, protocol: str, tied: Project | None, bind: str = ""
    ) -> Iterator[_Verdict]:
        # A planned service bound to another specific address does not hold this binding.
        owners = [
            (project, path)
            for project, path, planned_bind in self.services.get(port, [])
            if binds_collide(planned_bind, bind)
        ]
        if tied is not None:
            own = [path for project, path in owners if project.name == tied.name]
            foreign = [p for p in self.facts.projects_holding(port) if p.name != tied.name]
            foreign_owners = [path for project, path in owners if project.name != tied.name]
            if not own and port not in tied.ports and (foreign or foreign_owners):
                names = ", ".join(f"{p.name} ({p.ports})" for p in foreign)
                reason = (
                    f"is inside another project's range: {names}"
                    if names
                    else ("belongs to another project")
                )
                if foreign_owners:
                    reason += f"; the plan gives it to {', '.join(foreign_owners)}"
                reason += f", not to {tied.name} ({tied.ports})"
                yield _Verdict(
                    "error",
                    "cross-project",
                    reason,
                    (subject(tied.name), *(subject(p.name) for p in foreign), *foreign_owners),
                )
            elif not own:
                where = (
                    f"is inside {tied.name}'s range {tied.ports} but no service of the plan has it"
                    if port in tied.ports
                    else f"is in no project's plan (not in {tied.name}'s range {tied.ports})"
                )
                yield _Verdict("warning", "unplanned-port", where, (subject(tied.name),))
        elif not owners:
            yield _Verdict("warning", "unplanned-port", "is in no project's plan", ())
        if holders := self.facts.reserved(port):
            reasons = "; ".join(describe_reserved(entry) for entry in holders)
            yield _Verdict("warning", "reserved-port", f"is reserved: {reasons}", ("reserved",))
        for hazard in self.facts.hazards(port, protocol):
            yield _Verdict(hazard.severity, hazard.kind, hazard.reason, ())


def check_uses(uses: Iterable[PortUse], tied: Project | None, index: PlanPorts) -> Iterator[Drift]:
    """Findings for the host ports of one folder's uses; a range gives one finding per kind."""
    for use in uses:
        if use.role != "host":
            continue
        grouped: dict[_Verdict, list[int]] = defaultdict(list)
        for port in use.ports:
            if port == 0:
                continue  # port 0 asks the OS for any free port: nothing to plan
            for verdict in index.answers(port, use.protocol, tied, use.bind):
                grouped[verdict].append(port)
        for verdict, ports in grouped.items():
            single = len(ports) == 1 or use.picks_one
            verb_fix = verdict.reason if single else _plural_verb(verdict.reason)
            yield Drift(
                verdict.severity,
                verdict.kind,
                f"{_ports_text(ports, use)} {verb_fix}  ({use.context})",
                use.place,
                tuple(ports),
                verdict.subjects,
            )


def clashing_uses(uses: Iterable[PortUse]) -> Iterator[Drift]:
    """Host ports one Compose file publishes twice on colliding addresses.

    Docker refuses to start the second container. Two specific addresses do not collide
    (`127.0.0.1:8080` and `192.168.1.100:8080` both work); every-interface collides with all.
    A range Docker picks one free port from is left out: it steps around a taken port. So are
    two services under profiles they share none of (see `PortUse.may_run_with`).
    """
    by_file: dict[tuple[str, str], list[PortUse]] = defaultdict(list)
    for use in uses:
        if use.role == "host" and use.source == "compose" and not use.picks_one:
            by_file[use.place.label, use.protocol].append(use)
    for group in by_file.values():
        for later, earlier in _first_clashes(group):
            shared = sorted(set(earlier.ports) & set(later.ports))
            yield Drift(
                "warning",
                "port-clash",
                f"{_ports_text(shared, later)} {'is' if len(shared) == 1 else 'are'} "
                f"published twice on one address (also by line {earlier.place.line})"
                f"  ({later.context})",
                later.place,
                tuple(shared),
                (),
            )


def _first_clashes(group: list[PortUse]) -> Iterator[tuple[PortUse, PortUse]]:
    """Each use of `group` that clashes with an earlier one, with the first such earlier use.

    Earlier uses are filed by port and by address, so a file of thousands of entries is read
    in linear time (comparing every pair took minutes for 50,000 entries): a use on every
    interface looks at every earlier use of its ports, one on an address at those on every
    interface and on that address."""
    everywhere: dict[int, list[int]] = defaultdict(list)  # port -> earlier uses, any address
    wildcard: dict[int, list[int]] = defaultdict(list)  # port -> on every interface
    on_address: dict[tuple[int, object], list[int]] = defaultdict(list)
    for index, later in enumerate(group):
        address = bound_address(later.bind)
        ports = set(later.ports)
        first: int | None = None
        for port in ports:
            lists: tuple[Sequence[int], ...]
            if address is None:
                lists = (everywhere.get(port, ()),)
            else:
                lists = (wildcard.get(port, ()), on_address.get((port, address), ()))
            for earlier in lists:
                for candidate in earlier:
                    if first is not None and candidate >= first:
                        break
                    if later.may_run_with(group[candidate]):
                        first = candidate
                        break
        if first is not None:
            yield later, group[first]
        for port in ports:
            everywhere[port].append(index)
            if address is None:
                wildcard[port].append(index)
            else:
                on_address[port, address].append(index)


def missing_services(project: Project, uses: Iterable[PortUse]) -> Iterator[Drift]:
    """Planned services of a project whose port its files never mention, in any role."""
    mentioned = {port for use in uses for port in use.ports}
    for tier in project.tiers:
        for service in tier.services:
            if service.port not in mentioned:
                path = subject(project.name, tier.name, service.name)
                yield Drift(
                    "info",
                    "missing-service",
                    f"{path}: planned port {service.port} appears in none of "
                    f"{project.name}'s files",
                    None,
                    (service.port,),
                    (path,),
                )


def _ports_text(ports: list[int], use: PortUse) -> str:
    on = f" on {use.bind}" if use.bind else ""
    if use.picks_one:
        whole = f"{use.ports[0]}-{use.ports[-1]}"
        part = f"{ports[0]}-{ports[-1]}" if len(ports) > 1 else str(ports[0])
        which = f"the range {whole}" if part == whole else f"{part} of the range {whole}"
        return f"{which}{on} (Docker takes one free port of it)"
    if len(ports) == 1:
        return f"port {ports[0]}{on}"
    if ports == list(range(ports[0], ports[-1] + 1)):
        return f"ports {ports[0]}-{ports[-1]}{on}"
    return "ports " + ", ".join(map(str, ports)) + on


def _plural_verb(reason: str) -> str:
    return "are" + reason[2:] if reason.startswith("is ") else reason
