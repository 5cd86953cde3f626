"""Every kind of finding portplan reports, with its stable id, short name and help text.

The id (`PP101`) and the short name (`duplicate-port`, the finding's `kind`) are promises to
the people who filter, accept or suppress findings in CI: once published an id is never
reused for something else. Plan rules are `PP1xx`, file scans `PP2xx`, the machine probe
`PP3xx`. SARIF rules, GitHub annotation titles and JSON reports all read this one table.
"""

from __future__ import annotations

from portplan.findings import Severity
from portplan.records import record


@record
class RuleInfo:
    id: str
    name: str  # the finding's `kind`
    severity: Severity  # the default severity, as the rule reports it
    short: str  # one line: what was found
    full: str  # why it matters
    help: str  # what to do about it

    @property
    def label(self) -> str:
        """`PP101 duplicate-port`: how every format names the rule."""
        return f"{self.id} {self.name}"


RULES: tuple[RuleInfo, ...] = (
    RuleInfo(
        "PP101",
        "duplicate-port",
        "error",
        "Two services on the same port and protocol.",
        "Only one program can listen on a port and protocol at a time: the second service "
        "to start fails with 'address already in use'.",
        "Move one of the services to a free port of its tier (`portplan next PROJECT/TIER`).",
    ),
    RuleInfo(
        "PP102",
        "service-outside-project",
        "error",
        "A service outside its project's range.",
        "A project's range is the block of ports other projects stay out of; a service "
        "outside it can collide with another project's ports.",
        "Move the service into its project's range, or widen the project's `ports`.",
    ),
    RuleInfo(
        "PP103",
        "service-outside-tier",
        "error",
        "A service outside its tier's range.",
        "Tiers split a project's range by role; a service outside its tier's range takes "
        "room planned for another tier and is hard to find.",
        "Move the service into its tier's range, move it to the tier that holds the port, "
        "or widen the tier's `ports`.",
    ),
    RuleInfo(
        "PP104",
        "tier-outside-project",
        "error",
        "A tier range not inside its project's range.",
        "A tier reaching outside its project hands out ports the project does not own.",
        "Narrow the tier's `ports` to lie inside the project's range, or widen the project.",
    ),
    RuleInfo(
        "PP105",
        "project-overlap",
        "error",
        "Two project ranges overlapping.",
        "Overlapping projects both believe they own the shared ports, so each will reserve "
        "them in turn.",
        "Rebase one project to a free block (`portplan rebase PROJECT NEWSTART`).",
    ),
    RuleInfo(
        "PP106",
        "tier-overlap",
        "warning",
        "Two tier ranges of one project overlapping.",
        "Ports in the shared part belong to two tiers, so the plan no longer says which role "
        "a port there has.",
        "Make the tiers' `ports` ranges disjoint.",
    ),
    RuleInfo(
        "PP107",
        "service-on-reserved",
        "error",
        "A service on a reserved port or range.",
        "The plan's `reserved` list names ports kept for the system or other programs; a "
        "service there will clash with them.",
        "Move the service to a free port of its tier.",
    ),
    RuleInfo(
        "PP108",
        "project-on-reserved",
        "warning",
        "A project range overlapping a reserved range.",
        "Part of the project's range is reserved, so ports handed out there will clash with "
        "what the reservation is for.",
        "Move the project's range off the reserved ports, or leave those ports unused.",
    ),
    RuleInfo(
        "PP109",
        "browser-blocked-port",
        "warning",
        "A port that browsers refuse (Fetch standard bad port).",
        "Browsers refuse to connect to the Fetch standard's bad ports and show "
        "ERR_UNSAFE_PORT, so a web service there cannot be opened in a browser.",
        "Move the service to another port; see https://fetch.spec.whatwg.org/#port-blocking.",
    ),
    RuleInfo(
        "PP110",
        "ephemeral-port",
        "warning",
        "A port inside the operating system's ephemeral range.",
        "The OS hands out ephemeral ports to outgoing connections; a server port there can "
        "already be taken by a client socket when the server starts.",
        "Move the ports below the ephemeral range, or reserve them on every host "
        "(net.ipv4.ip_local_reserved_ports) and accept the finding with that reason.",
    ),
    RuleInfo(
        "PP111",
        "privileged-port",
        "warning",
        "A port below 1024.",
        "Binding a port below 1024 needs root or a capability on most systems.",
        "Move the service to a port of 1024 or above.",
    ),
    RuleInfo(
        "PP112",
        "empty-tier",
        "info",
        "A tier with no services yet.",
        "An empty tier is room kept for later; it is reported so that it is not forgotten.",
        "Reserve a port in the tier, or remove it when it is not needed.",
    ),
    RuleInfo(
        "PP113",
        "stale-acceptance",
        "warning",
        "An acceptance in the plan that matches no finding.",
        "An `accept` entry that no longer matches anything would silently accept the same "
        "problem if it came back, long after the reason stopped being true.",
        "Remove the `accept` entry (the finding it was for is gone).",
    ),
    RuleInfo(
        "PP114",
        "kernel-reserved-port",
        "info",
        "Ports inside Linux's ephemeral range that the kernel reserves.",
        "net.ipv4.ip_local_reserved_ports keeps these ports out of the kernel's ephemeral "
        "pool, so outgoing connections never take them: the ephemeral-range warning does not "
        "apply on this machine.",
        "Nothing to do here; keep the same reservation on every host "
        "(`portplan export --format sysctl`).",
    ),
    RuleInfo(
        "PP115",
        "nodeport-range",
        "warning",
        "A port inside Kubernetes' NodePort range 30000-32767 (plans for cluster nodes).",
        "On a Kubernetes node, kube-proxy opens every NodePort Service's port on every node; "
        "a host service there can lose its port to a Service created later.",
        "Move the ports out of 30000-32767, or take kubernetes-node out of the plan's "
        "`platforms` when the plan does not run on cluster nodes.",
    ),
    RuleInfo(
        "PP116",
        "macos-airplay-port",
        "warning",
        "A port macOS's AirPlay Receiver holds (5000, 7000).",
        "Since macOS 12, Control Center listens on TCP 5000 and 7000 for AirPlay Receiver, "
        "which is on by default: a service there fails with 'address already in use'.",
        "Move the service, or turn AirPlay Receiver off (System Settings → General → "
        "AirDrop & Handoff) and accept the finding with that reason.",
    ),
    RuleInfo(
        "PP117",
        "windows-excluded-port",
        "warning",
        "A port inside a range Windows excludes (netsh excludedportrange).",
        "Hyper-V, WSL and WinNAT reserve blocks of ports at boot; binding one fails with "
        "'An attempt was made to access a socket in a way forbidden by its access "
        "permissions' (Docker: 'ports are not available').",
        "Move the service, or exclude the plan's ranges first, before Hyper-V reserves "
        "them (`portplan export --format netsh`, in an elevated shell).",
    ),
    RuleInfo(
        "PP118",
        "known-occupant",
        "info",
        "The default port of a widely used server or developer tool.",
        "A local PostgreSQL, Vite or Grafana started with its defaults takes this port, and "
        "whichever starts second fails.",
        "Nothing needs to change; `portplan next` already hands out ports no common tool uses.",
    ),
    RuleInfo(
        "PP201",
        "unplanned-port",
        "warning",
        "A host port in a project's files that no service of the plan has.",
        "The files publish a port the plan does not know, so the plan no longer describes "
        "what runs, and `next` may hand the same port out again.",
        "Add the service to the plan, or change the file to use the planned port.",
    ),
    RuleInfo(
        "PP202",
        "cross-project",
        "error",
        "A host port inside another project's range.",
        "A project's files use a port the plan gives to another project: running both "
        "stacks at once will clash.",
        "Change the file to a port of its own project's range.",
    ),
    RuleInfo(
        "PP203",
        "reserved-port",
        "warning",
        "A host port in a project's files that the plan reserves.",
        "The plan keeps this port for the system or another program.",
        "Change the file to a port that is not reserved.",
    ),
    RuleInfo(
        "PP204",
        "missing-service",
        "info",
        "A planned service whose port none of its project's files mention.",
        "Either the service is not written yet, or its files use another port than the plan.",
        "Check the project's Compose, .env and manifest files, or release the service.",
    ),
    RuleInfo(
        "PP205",
        "file-problem",
        "warning",
        "A file that could not be read in full.",
        "A scan that could not read a file cannot say whether its ports agree with the plan.",
        "Fix the file (the message says what is wrong with it), then scan again.",
    ),
    RuleInfo(
        "PP206",
        "port-clash",
        "warning",
        "A Compose file publishes one host port twice on colliding addresses.",
        "Docker cannot bind the same port twice on one address: the second container fails "
        "to start. Two different specific addresses (127.0.0.1 and 192.168.1.100) do not "
        "collide; every interface (no address, 0.0.0.0, ::) collides with all.",
        "Publish one of them on another port, or bind each to its own address.",
    ),
    RuleInfo(
        "PP301",
        "unplanned-listener",
        "warning",
        "Something the plan does not know listens inside a project's range.",
        "The planned service that later asks for that port will fail to start.",
        "Stop the program, or add it to the plan.",
    ),
    RuleInfo(
        "PP302",
        "unexpected-process",
        "info",
        "A planned port held by a program whose name shares nothing with the service.",
        "Names differ too often to fail on this; it may be the wrong program on the port.",
        "Check that the program on the port is the planned service.",
    ),
)

BY_NAME: dict[str, RuleInfo] = {rule.name: rule for rule in RULES}
BY_ID: dict[str, RuleInfo] = {rule.id: rule for rule in RULES}


def rule_for(kind: str) -> RuleInfo:
    """The catalogue entry of a finding kind; an unknown kind is a programming error."""
    return BY_NAME[kind]


def lookup(name_or_id: str) -> RuleInfo:
    """A rule as the plan's `accept` entries name it: by short name or by id."""
    return BY_NAME.get(name_or_id) or BY_ID[name_or_id]


def suggest_rule(text: str) -> str:
    import difflib

    close = difflib.get_close_matches(text, list(BY_NAME), n=1)
    return f" (did you mean {close[0]!r}?)" if close else " (see the rule table in the README)"
