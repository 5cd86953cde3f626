"""What the running machine has reserved: Linux's `ip_local_reserved_ports` and the port
ranges Windows excludes (Hyper-V, WinNAT, and an administrator's `netsh` exclusions).

Only readers and parsers live here. The analysis takes their results as its environment
(`environment.Environment`), so that tests pin a reading and every machine agrees; only the
command line reads them live.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from portplan.model import MAX_PORT, PortRange
from portplan.records import record

# Ports the Linux kernel keeps out of its ephemeral pool although they are inside
# ip_local_port_range: a comma list of ports and ranges, e.g. "36000-36999,46000-46999"
# (Documentation/networking/ip-sysctl.rst, ip_local_reserved_ports).
LINUX_RESERVED_FILE = Path("/proc/sys/net/ipv4/ip_local_reserved_ports")
LINUX_RESERVED_SOURCE = "net.ipv4.ip_local_reserved_ports"

NETSH_COMMAND = ("netsh", "interface", "ipv4", "show", "excludedportrange", "protocol=tcp")
NETSH_SOURCE = "netsh interface ipv4 show excludedportrange protocol=tcp"


class ReadingError(ValueError):
    """A saved reading that is not what it claims to be; the sentence says where and why."""


def parse_reserved_ports(text: str) -> tuple[PortRange, ...]:
    """The ranges of an `ip_local_reserved_ports` value, merged and sorted.

    The kernel prints an empty line when nothing is reserved; ValueError on anything else
    that is not its comma list.
    """
    ranges: list[PortRange] = []
    for part in text.strip().split(","):
        if not part.strip():
            continue
        parsed = PortRange.parse(part)
        if parsed.start < 1:
            raise ValueError(f"{part.strip()!r} is not a port range (ports start at 1)")
        ranges.append(parsed)
    return merge_ranges(ranges)


def read_linux_reserved_ports(path: Path = LINUX_RESERVED_FILE) -> tuple[PortRange, ...]:
    """The live reservation; nothing where the file does not exist or reads oddly."""
    try:
        return parse_reserved_ports(path.read_text(encoding="ascii"))
    except (OSError, ValueError):
        return ()  # not Linux, or a sandbox that hides /proc: no reservation known


@record
class ExcludedRange:
    """A range Windows refuses to let programs bind; `administered` marks a `netsh add`."""

    ports: PortRange
    administered: bool = False


# The table netsh prints under its header (English), one row per range, a `*` after the rows
# an administrator added:
#
#   Protocol tcp Port Exclusion Ranges
#
#   Start Port    End Port
#   ----------    --------
#         5357        5357
#        50000       50059     *
#
#   * - Administered port exclusions.
# Patterns, not compiled ones: `re` compiles them on first use (and caches them), so that a
# `portplan check` that reads no netsh output does not pay for compiling them.
_RULE = r"^\s*-{3,}\s+-{3,}\s*$"
_ROW = r"^\s*(\d{1,5})\s+(\d{1,5})\s*(\*)?\s*$"
_FOOTNOTE = r"^\s*\*\s*-"


def decode_saved_output(data: bytes) -> str:
    """Text of a saved netsh output: PowerShell's `>` writes UTF-16 with a byte order mark,
    cmd.exe's `>` the console code page (the table itself is ASCII either way)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    return data.decode("utf-8-sig", errors="replace")


def parse_netsh_excluded(text: str, label: str = "netsh output") -> tuple[ExcludedRange, ...]:
    """The excluded ranges of a `netsh … show excludedportrange` output, in its order."""
    lines = text.splitlines()
    start = next((number for number, line in enumerate(lines) if re.match(_RULE, line)), None)
    if start is None or "port" not in "".join(lines[:start]).lower():
        raise ReadingError(
            f"{label}: not the output of `{NETSH_SOURCE}` (no 'Start Port  End Port' table)"
        )
    ranges: list[ExcludedRange] = []
    for number, line in enumerate(lines[start + 1 :], start + 2):
        if not line.strip():
            if ranges:
                break  # the blank line before the footnote ends the table
            continue
        if re.match(_FOOTNOTE, line):
            break
        match = re.match(_ROW, line)
        if match is None:
            raise ReadingError(f"{label}, line {number}: {line.strip()!r} is not a range row")
        low, high = int(match[1]), int(match[2])
        if not 1 <= low <= high <= MAX_PORT:
            raise ReadingError(f"{label}, line {number}: {low}-{high} is not a port range")
        ranges.append(ExcludedRange(PortRange(low, high), match[3] is not None))
    return tuple(ranges)


def read_netsh_file(path: Path) -> tuple[ExcludedRange, ...]:
    """A netsh output the user saved; ReadingError with one sentence when it is not one."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ReadingError(f"{path}: cannot read ({error.strerror or error})") from None
    return parse_netsh_excluded(decode_saved_output(data), str(path))


def read_windows_excluded_live() -> tuple[ExcludedRange, ...]:
    """The live exclusions on Windows; nothing elsewhere, or where netsh does not answer."""
    if sys.platform != "win32":
        return ()
    import subprocess  # only here: every `portplan check` imports this module

    try:
        done = subprocess.run(NETSH_COMMAND, capture_output=True, timeout=10, check=False)
        return parse_netsh_excluded(decode_saved_output(done.stdout))
    except (OSError, subprocess.SubprocessError, ReadingError):
        return ()


def merge_ranges(ranges: list[PortRange]) -> tuple[PortRange, ...]:
    """Sorted, with overlapping and touching ranges joined."""
    merged: list[PortRange] = []
    for ports in sorted(ranges):
        if merged and ports.start <= merged[-1].end + 1:
            merged[-1] = PortRange(merged[-1].start, max(merged[-1].end, ports.end))
        else:
            merged.append(ports)
    return tuple(merged)


def subtract(ports: PortRange, holes: tuple[PortRange, ...]) -> list[PortRange]:
    """The parts of `ports` outside every range of `holes` (sorted and merged)."""
    parts: list[PortRange] = []
    start = ports.start
    for hole in holes:
        if hole.end < start or hole.start > ports.end:
            continue
        if hole.start > start:
            parts.append(PortRange(start, hole.start - 1))
        start = max(start, hole.end + 1)
    if start <= ports.end:
        parts.append(PortRange(start, ports.end))
    return parts


def intersect(ports: PortRange, others: tuple[PortRange, ...]) -> list[PortRange]:
    """The parts of `ports` inside some range of `others` (sorted and merged)."""
    return [
        PortRange(max(ports.start, other.start), min(ports.end, other.end))
        for other in others
        if other.overlaps(ports)
    ]
