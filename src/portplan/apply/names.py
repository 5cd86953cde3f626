"""Which services of a project answer to what a file says around a port.

The words of the use's context (the Compose service and key, the `.env` variable, the
Kubernetes workload and container) and the tools known to use its port by default
(`portplan.occupants`) are matched against the words of each service's name and description.
Two words match when they are equal or one starts the other and both have four letters or
more (`postgres` and `PostgreSQL`). Words every file says (`ports`, `url`, `host` …) say
nothing about which service is meant and are left out.
"""

from __future__ import annotations

import re

from portplan.model import Project, Service, subject
from portplan.occupants import KNOWN_OCCUPANTS
from portplan.scan import PortUse

_WORD = re.compile(r"[a-z0-9]+")
_SAYS_NOTHING = frozenset(
    {
        "and",
        "container",
        "containerport",
        "deployment",
        "daemonset",
        "expose",
        "for",
        "host",
        "hostnetwork",
        "hostport",
        "http",
        "https",
        "long",
        "node",
        "nodeport",
        "pod",
        "port",
        "ports",
        "server",
        "service",
        "statefulset",
        "syntax",
        "tcp",
        "the",
        "udp",
        "uri",
        "url",
    }
)


def words(text: str) -> set[str]:
    """The meaningful words of a text: lower case, three characters or more, not a number."""
    return {
        word
        for word in _WORD.findall(text.lower())
        if len(word) >= 3 and not word.isdigit() and word not in _SAYS_NOTHING
    }


def _match(one: str, other: str) -> bool:
    if one == other:
        return True
    short, long = sorted((one, other), key=len)
    return len(short) >= 4 and long.startswith(short)


def use_words(use: PortUse) -> set[str]:
    tools = " ".join(o.tool for o in KNOWN_OCCUPANTS if o.port in use.ports)
    return words(f"{use.context} {tools}")


def matching_services(project: Project, use: PortUse) -> list[tuple[str, Service]]:
    """The services of `project` whose name or description shares a word with the use."""
    said = use_words(use)
    found = []
    for tier in project.tiers:
        for service in tier.services:
            own = words(f"{service.name} {service.description}")
            if any(_match(word, other) for word in own for other in said):
                found.append((subject(project.name, tier.name, service.name), service))
    return found
