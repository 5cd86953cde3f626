from __future__ import annotations

from pathlib import Path

from portplan.store import dumps, load, save


def test_reference_plan_reproduces_byte_for_byte(reference_plan_path: Path) -> None:
    original = reference_plan_path.read_bytes()
    plan = load(reference_plan_path)
    assert dumps(plan).encode() == original
    save(plan, reference_plan_path)
    assert reference_plan_path.read_bytes() == original
    assert (reference_plan_path.parent / "ports.toml.bak").read_bytes() == original


def test_reference_plan_has_everything() -> None:
    plan = load(Path(__file__).parents[1] / "data" / "ports.toml")
    assert len(plan.projects) == 5
    assert len(plan.reserved) == 10
    assert sum(1 for _ in plan.services()) == 68
    assert plan.version == "2.0"
    assert str(plan.updated) == "2025-12-18"
    assert any("ΣLANG" in project.name for project in plan.projects)
