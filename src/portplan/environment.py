"""The facts the port-facts model takes from the machine: the OS ephemeral ranges in force,
the ports the Linux kernel reserves, and the ranges Windows excludes.

The analysis gets one `Environment` as an argument, so that tests pin every reading and
every machine agrees on a plan; the command line builds it from live readings.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from portplan.hazards import DEFAULT_EPHEMERAL, EphemeralRange, ephemeral_ranges
from portplan.model import PortRange
from portplan.os_reservations import (
    ExcludedRange,
    read_linux_reserved_ports,
    read_netsh_file,
    read_windows_excluded_live,
)
from portplan.records import record


@record
class Environment:
    ephemeral: tuple[EphemeralRange, ...] = DEFAULT_EPHEMERAL
    # net.ipv4.ip_local_reserved_ports, merged and sorted: ports the kernel never hands out.
    kernel_reserved: tuple[PortRange, ...] = ()
    windows_excluded: tuple[ExcludedRange, ...] = ()


# What the analysis accepts: an environment, or (as before there was more to it) just the
# ephemeral ranges.
EnvironmentLike = Environment | Sequence[EphemeralRange]

DEFAULT_ENVIRONMENT = Environment()


def as_environment(value: EnvironmentLike) -> Environment:
    return value if isinstance(value, Environment) else Environment(tuple(value))


def read_environment(*, live: bool = True, windows_excluded: Path | None = None) -> Environment:
    """Live readings of this machine; a saved netsh output replaces the live Windows one.

    Raises os_reservations.ReadingError when the saved output cannot be used.
    """
    excluded = (
        read_netsh_file(windows_excluded)
        if windows_excluded is not None
        else (read_windows_excluded_live() if live else ())
    )
    return Environment(
        ephemeral_ranges(live=live),
        read_linux_reserved_ports() if live else (),
        excluded,
    )
