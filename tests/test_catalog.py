"""The rule catalogue: one stable id per finding kind, for every kind any command reports."""

from __future__ import annotations

import re
from pathlib import Path

from portplan.catalog import BY_NAME, RULES, rule_for
from portplan.rules import RULES as PLAN_RULES

SOURCE = Path(__file__).resolve().parents[1] / "src" / "portplan"


def test_ids_and_names_are_unique_and_well_formed() -> None:
    assert len({rule.id for rule in RULES}) == len(RULES)
    assert len(BY_NAME) == len(RULES)
    for rule in RULES:
        assert re.fullmatch(r"PP[1-3]\d\d", rule.id), rule.id
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", rule.name), rule.name
        assert rule.short.endswith(".") and rule.full and rule.help
        assert rule.label == f"{rule.id} {rule.name}"


def test_every_plan_rule_is_catalogued_with_its_severity() -> None:
    for rule in PLAN_RULES:
        entry = rule_for(rule.kind)
        assert entry.id.startswith("PP1") and entry.severity == rule.severity


def test_every_kind_the_scan_and_probe_report_is_catalogued() -> None:
    # Kinds are written as string literals where findings are made; read them from the source
    # so that a new kind without a catalogue entry fails here rather than at report time.
    written = set()
    for name in ("scan/drift.py", "probe.py", "report/scan_items.py"):
        text = (SOURCE / name).read_text(encoding="utf-8")
        written |= set(re.findall(r'^\s*"(?:warning|error|info)",\s*\n\s*"([a-z-]+)"', text, re.M))
        written |= set(re.findall(r'_Verdict\(\s*"\w+",\s*"([a-z-]+)"', text))
        written |= set(re.findall(r'Item\("\w+", "([a-z-]+)"', text))
    assert {
        "cross-project",
        "unplanned-port",
        "reserved-port",
        "missing-service",
        "unplanned-listener",
        "unexpected-process",
        "file-problem",
    } <= written
    assert written <= set(BY_NAME)
