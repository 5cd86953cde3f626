"""Compose's short port syntax, with the rules of the code Compose runs (docker/go-connections
`nat.ParsePortSpec`, called by compose-go's `types.ParsePortConfig`):

`[HOST_IP:][HOST:]CONTAINER[/PROTOCOL]`, split at every `:` (more than three parts: all but the
last two are the address, so `::1:80:80` binds `::1`); an IPv6 address may be bracketed
(`[::1]:80:80`). The address must be an IP address (not a host name such as `localhost`); a
port is an optional sign and ASCII digits within 0-65535 (no spaces, no other digits), a range
is `A-B` with A <= B; the protocol is tcp, udp or sctp, in any case. Host and container ranges
must have the same length, except that a host range with one container port (`80-90:8080`)
publishes that port on one free host port Docker picks from the range. An empty host part
(`:80`, `127.0.0.1::80`) or host port 0 (`0:80`: Docker's port allocator takes 0 as "any
free port") lets Docker pick any free host port.

Error messages never quote the entry: after interpolation it may hold `.env` values.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from ipaddress import ip_address

_NUMBER = re.compile(r"[+-]?[0-9]+")
PROTOCOLS = ("tcp", "udp", "sctp")
_SHOWN_DIGITS = 20  # an out-of-range number up to this long is shown, as a port is


class PortSyntaxError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class ShortPort:
    host_ip: str  # "" for every interface
    host: tuple[int, int] | None  # None: Docker picks a host port (or none is published)
    container: tuple[int, int]
    protocol: str

    @property
    def picks_one(self) -> bool:
        """A host range for one container port: Docker publishes on one free port of it."""
        return (
            self.host is not None
            and self.host[0] != self.host[1]
            and self.container[0] == self.container[1]
        )


def parse_number(text: str, what: str) -> int:
    if not _NUMBER.fullmatch(text):
        shown = "empty" if not text else "not a number (ASCII digits only, no spaces)"
        raise PortSyntaxError(f"{what} is {shown}")
    # Judged by its significant digits before int(), which raises on over 4,300 digits: six
    # or more are out of range whatever they are (and a screenful of them is not shown).
    digits = text.lstrip("+-").lstrip("0")
    sign = "-" if text.startswith("-") else ""
    if len(digits) > 5:
        shown = f" {sign}{digits}" if len(digits) <= _SHOWN_DIGITS else ""
        raise PortSyntaxError(f"{what}{shown} is out of range (0-65535)")
    value = int(sign + (digits or "0"))
    if not 0 <= value <= 65535:
        raise PortSyntaxError(f"{what} {value} is out of range (0-65535)")
    return value


def parse_range(text: str, what: str) -> tuple[int, int]:
    if not text:
        raise PortSyntaxError(f"{what} is empty")
    start_text, dash, end_text = text.partition("-")
    start = parse_number(start_text, what)
    if not dash or start_text == end_text:
        return start, start
    end = parse_number(end_text, f"{what} range end")
    if end < start:
        raise PortSyntaxError(f"{what} range {start}-{end} runs backwards")
    return start, end


def parse_host(text: str, what: str) -> tuple[int, int] | None:
    """A host port or range as written; None where Docker picks the port: an empty text, or
    port 0, which Docker's port allocator takes as "any free port" (as Kubernetes does)."""
    if not text:
        return None
    host = parse_range(text, what)
    return None if host == (0, 0) else host


def parse_address(text: str) -> str:
    """The host IP of a binding, without brackets; PortSyntaxError if it is not an IP."""
    if text.startswith("["):
        if not text.endswith("]"):
            raise PortSyntaxError("a bracketed host address must end with ']'")
        text = text[1:-1]
    if "%" in text:
        raise PortSyntaxError("the host address has a zone (%...), which Docker refuses")
    try:
        ip_address(text)
    except ValueError:
        raise PortSyntaxError(
            "the host address is not an IP address (a host name such as localhost is refused)"
        ) from None
    return text


def parse_short(text: str) -> ShortPort:
    parts = text.split(":")
    if len(parts) == 1:
        host_ip, host, container = "", "", parts[0]
    elif len(parts) == 2:
        host_ip, host, container = "", parts[0], parts[1]
    else:
        host_ip, host, container = ":".join(parts[:-2]), parts[-2], parts[-1]
    container, slash, protocol = container.partition("/")
    if not container:
        raise PortSyntaxError("no container port")
    protocol = protocol.lower() if slash and protocol else "tcp"
    if protocol not in PROTOCOLS:
        raise PortSyntaxError("unknown protocol (Compose takes tcp, udp or sctp)")
    if host_ip:
        host_ip = parse_address(host_ip)
    container_range = parse_range(container, "container port")
    host_range = parse_host(host, "host port")
    if host_range is not None:
        host_span = host_range[1] - host_range[0]
        container_span = container_range[1] - container_range[0]
        if host_span != container_span and container_span != 0:
            raise PortSyntaxError(
                f"the host range has {host_span + 1} ports and the container range "
                f"{container_span + 1}"
            )
    return ShortPort(host_ip, host_range, container_range, protocol)
