"""OS reservations from the plan: a `/etc/sysctl.d/` snippet for Linux and `netsh` commands
for Windows that keep the plan's project ranges away from what the OS hands out itself.

The other way out of an `ephemeral-port` finding than moving the projects: the kernel keeps
`net.ipv4.ip_local_reserved_ports` out of its ephemeral pool, and Windows never gives a range
excluded by an administrator to Hyper-V, WSL or WinNAT.
"""

from __future__ import annotations

from collections.abc import Iterable

from portplan.exporters import project_names, refuse_control_characters
from portplan.hazards import ephemeral_ranges
from portplan.model import Plan, PortRange


def _name(text: str) -> str:
    # A comment runs to the end of the line: a newline in a name must not start a new entry.
    return " ".join(text.split())


def merged_with_names(parts: Iterable[tuple[PortRange, str]]) -> list[tuple[PortRange, list[str]]]:
    """Ranges sorted, overlapping or touching ones joined, each with the projects in it."""
    merged: list[tuple[PortRange, list[str]]] = []
    for ports, name in sorted(parts, key=lambda part: (part[0], part[1])):
        if merged and ports.start <= merged[-1][0].end + 1:
            last, names = merged[-1]
            merged[-1] = (PortRange(last.start, max(last.end, ports.end)), names)
            if name not in names:
                names.append(name)
        else:
            merged.append((ports, [name]))
    return merged


def export_sysctl(plan: Plan) -> str:
    """The project ranges inside the Linux ephemeral range in force, as one sysctl key."""
    refuse_control_characters(project_names(plan), "a sysctl file")  # in its comments
    linux = ephemeral_ranges(live=True)[0]
    span = linux.ports
    parts = [
        (PortRange(max(p.ports.start, span.start), min(p.ports.end, span.end)), _name(p.name))
        for p in plan.projects
        if p.ports.overlaps(span)
    ]
    merged = merged_with_names(parts)
    lines = [
        f"# portplan: keep the plan's project ranges out of Linux's ephemeral range {span}",
        f"# ({linux.source}), so that outgoing connections never take a planned server port.",
        "# Install as /etc/sysctl.d/60-portplan.conf, then run: sudo sysctl --system",
        "# The key replaces the kernel's whole list: merge any reservation the host has.",
    ]
    if not merged:
        return "\n".join([*lines, "# No project range is inside the ephemeral range."]) + "\n"
    lines += [f"# {ports}: {', '.join(names)}" for ports, names in merged]
    lines.append("net.ipv4.ip_local_reserved_ports = " + ",".join(str(p) for p, _ in merged))
    return "\n".join(lines) + "\n"


def export_netsh(plan: Plan) -> str:
    """One `netsh … add excludedportrange` per merged project range, for a .cmd script."""
    refuse_control_characters(project_names(plan), "a netsh script")  # in its comments
    merged = merged_with_names((p.ports, _name(p.name)) for p in plan.projects)
    lines = [
        "REM portplan: exclude the plan's project ranges from Windows' dynamic ports, so that",
        "REM Hyper-V, WSL and WinNAT cannot reserve them ('access forbidden' on bind).",
        "REM Run in an elevated shell (Administrator), before Hyper-V reserves the ranges:",
        "REM after a reboot with Hyper-V stopped (net stop winnat), then net start winnat.",
    ]
    for ports, names in merged:
        lines.append(f"REM {ports}: {', '.join(names)}")
        lines.append(
            "netsh int ipv4 add excludedportrange protocol=tcp "
            f"startport={ports.start} numberofports={len(ports)}"
        )
    return "\n".join(lines) + "\n"
