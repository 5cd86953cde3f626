"""A small plan whose one project holds a port of every kind of fact a map can draw, and the
pinned machine readings that give them (shared by the details and the snapshot tests)."""

from __future__ import annotations

from portplan.environment import Environment
from portplan.hazards import WINDOWS_MACOS, EphemeralRange
from portplan.model import PortRange
from portplan.os_reservations import ExcludedRange

EDGE_PLAN = """
title = "edge"

[[projects]]
name = "Edge"
ports = "4990-5189"

[[projects.tiers]]
name = "web"
ports = "4990-5089"
services = [{ port = 5000, name = "dashboard", description = "Flask app" }]
"""

# 5000: AirPlay and Flask; 5010-5019 excluded on Windows; 5060-5061 browser-blocked;
# 5070-5089 in a (pinned) Linux ephemeral range, 5080-5089 of it reserved in the kernel;
# 5173: Vite's default.
EDGE_ENVIRONMENT = Environment(
    ephemeral=(
        EphemeralRange("Linux", PortRange(5070, 5089), "live value", frozenset({"linux"})),
        WINDOWS_MACOS,
    ),
    kernel_reserved=(PortRange(5080, 5089),),
    windows_excluded=(ExcludedRange(PortRange(5010, 5019)),),
)
