"""Facts about the world that make a port a poor choice, each with its source.

Only facts live here; `portfacts` decides which of them a port has and says so.

Facts read from the running machine (the live Linux ephemeral range) are only *read* here;
the analysis takes them as arguments so that tests pin them and every machine agrees.
"""

from __future__ import annotations

from pathlib import Path

from portplan.model import PortRange
from portplan.records import record

# Ports browsers refuse to fetch from: the Fetch Standard, §2.9 "Port blocking", table of
# bad ports (https://fetch.spec.whatwg.org/#bad-port), including 4190 and 6679 added by
# whatwg/fetch#1663 (2024) and 0 added in 2025 (the model refuses port 0 as a service port
# anyway; the table keeps the standard's list whole). Chrome shows ERR_UNSAFE_PORT; Firefox
# "This address is restricted".
BROWSER_BAD_PORTS: frozenset[int] = frozenset(
    {
        1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95,
        101, 102, 103, 104, 109, 110, 111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161,
        179, 389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563,
        587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060,
        5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080, 0,
    }
)  # fmt: skip
BROWSER_BAD_PORTS_SOURCE = "Fetch Standard, port blocking (fetch.spec.whatwg.org/#bad-port)"

# Binding below 1024 needs root or CAP_NET_BIND_SERVICE on Linux (capabilities(7)) and root
# on the BSDs and macOS before 10.14; RFC 6335 §6 calls 0-1023 the System Ports.
PRIVILEGED_BELOW = 1024
PRIVILEGED_SOURCE = "capabilities(7); RFC 6335 §6 (System Ports)"


# The platforms a plan can be meant for (`platforms = [...]` on the plan or a project): each
# platform fact applies only where its platform is in the list.
PLATFORMS: tuple[str, ...] = ("linux", "macos", "windows", "browsers", "kubernetes-node", "freebsd")
DEFAULT_PLATFORMS: frozenset[str] = frozenset({"linux", "macos", "windows", "browsers"})


@record
class EphemeralRange:
    """A range the OS hands out for outgoing connections; a listener there can lose the race."""

    system: str
    ports: PortRange
    source: str
    # The platforms whose hosts use this range; None: every platform (a pinned test range).
    platforms: frozenset[str] | None = None


# Linux kernel default of net.ipv4.ip_local_port_range (Documentation/networking/ip-sysctl.rst).
LINUX_DEFAULT = EphemeralRange(
    "Linux", PortRange(32768, 60999), "kernel default", frozenset({"linux"})
)
# RFC 6335 §6 dynamic ports; Windows since Vista (Microsoft KB 929851) and macOS
# (sysctl net.inet.ip.portrange.first/last) use exactly this range.
WINDOWS_MACOS = EphemeralRange(
    "Windows/macOS", PortRange(49152, 65535), "IANA dynamic range", frozenset({"windows", "macos"})
)
# FreeBSD's defaults of net.inet.ip.portrange.first/last are 10000/65535 (sys/netinet/in.h:
# IPPORT_EPHEMERALFIRST 10000, IPPORT_EPHEMERALLAST 65535; FreeBSD 7.0 and later).
FREEBSD_DEFAULT = EphemeralRange(
    "FreeBSD",
    PortRange(10000, 65535),
    "net.inet.ip.portrange.first/last defaults",
    frozenset({"freebsd"}),
)

# Kubernetes allocates NodePort Services from 30000-32767 unless kube-apiserver is started
# with another --service-node-port-range (kubernetes.io/docs/concepts/services-networking/
# service/#type-nodeport; pkg/apis/core: DefaultServiceNodePortRange).
NODEPORT_RANGE = PortRange(30000, 32767)
NODEPORT_SOURCE = "Kubernetes default --service-node-port-range"

# macOS 12 and later: ControlCenter's AirPlay Receiver listens on TCP 5000 and 7000 while
# "AirPlay Receiver" is on, which it is by default (Apple, "Use AirPlay to stream video or
# mirror your Mac's screen"; developer.apple.com forums thread 682332).
AIRPLAY_PORTS: tuple[int, ...] = (5000, 7000)
AIRPLAY_SOURCE = "macOS 12+ AirPlay Receiver (ControlCenter)"


LINUX_RANGE_FILE = Path("/proc/sys/net/ipv4/ip_local_port_range")


def read_linux_ephemeral_range(path: Path = LINUX_RANGE_FILE) -> EphemeralRange | None:
    """The live Linux range, or None where the file does not exist or cannot be read."""
    try:
        low, high = (int(part) for part in path.read_text().split())
    except (OSError, ValueError):
        return None  # not Linux, or a sandbox that hides /proc: fall back to the default
    if not 0 < low <= high <= 65535:
        return None
    return EphemeralRange("Linux", PortRange(low, high), "live value", frozenset({"linux"}))


def ephemeral_ranges(*, live: bool = True) -> tuple[EphemeralRange, ...]:
    """The ranges to warn about: the live Linux range where readable, and Windows/macOS."""
    linux = (read_linux_ephemeral_range() if live else None) or LINUX_DEFAULT
    return (linux, WINDOWS_MACOS, FREEBSD_DEFAULT)


DEFAULT_EPHEMERAL = (LINUX_DEFAULT, WINDOWS_MACOS, FREEBSD_DEFAULT)
