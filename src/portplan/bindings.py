"""When two bindings of one port collide: the rule `scan`, `probe` and the plan share.

A binding is a port on an address. No address, `0.0.0.0` or `::` takes the port on every
interface, so it collides with every other binding of the port; two specific addresses
collide only when they are the same address (`127.0.0.1` and `192.168.1.100` can both hold
port 8080). Addresses compare as addresses: `::1` and `0:0:0:0:0:0:0:1` are one.
"""

from __future__ import annotations

from functools import lru_cache
from ipaddress import IPv4Address, IPv6Address, ip_address


@lru_cache(maxsize=1024)
def _address(text: str) -> IPv4Address | IPv6Address | None:
    """The address, or None for every interface (and for text that is not an address)."""
    if not text:
        return None
    try:
        address = ip_address(text.strip("[]").split("%", 1)[0])
    except ValueError:
        return None
    return None if address.is_unspecified else address


def is_all_interfaces(bind: str | None) -> bool:
    return _address(bind or "") is None


def address_key(bind: str | None) -> str:
    """One spelling per address (`::1` and `0:0:0:0:0:0:0:1` alike), "" for every interface."""
    address = _address(bind or "")
    return "" if address is None else str(address)


def binds_collide(first: str | None, second: str | None) -> bool:
    """True when a port bound on `first` and on `second` cannot both be held."""
    one, other = bound_address(first), bound_address(second)
    return one is None or other is None or one == other


def bound_address(bind: str | None) -> IPv4Address | IPv6Address | None:
    """What `binds_collide` compares: the address, None for every interface."""
    return _address(bind or "")


def bind_text(bind: str | None) -> str:
    """How an address is shown before a port: `127.0.0.1`, `[::1]`; "" for every interface."""
    if not bind:
        return ""
    return f"[{bind}]" if ":" in bind else bind
