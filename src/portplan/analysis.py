"""From a plan to findings: a pure function over the rules table in `rules`.

Every rule sees one `PlanIndex`, built once per analysis, so that no rule walks the plan
tree on its own and no rule compares all pairs. The finding types live in `findings` and the
index in `plan_index`, so that the rules depend on those and this module depends on the rules,
never the other way round.
"""

from __future__ import annotations

from portplan.environment import DEFAULT_ENVIRONMENT, EnvironmentLike
from portplan.findings import Finding
from portplan.gcpause import collector_paused
from portplan.model import Plan
from portplan.plan_index import PlanIndex
from portplan.rules import RULES


def analyze(plan: Plan, ephemeral: EnvironmentLike = DEFAULT_ENVIRONMENT) -> list[Finding]:
    """Every finding of every rule, most severe first, then by port."""
    findings: list[Finding] = []
    # The index holds a tuple per service and creates no cycles: see gcpause for why.
    with collector_paused():
        index = PlanIndex.build(plan, ephemeral)
        for rule in RULES:
            findings.extend(rule.check(index))
    findings.sort(key=Finding.sort_key)
    return findings
