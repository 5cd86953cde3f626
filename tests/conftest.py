from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REFERENCE_PLAN = ROOT / "data" / "ports.toml"


@pytest.fixture
def reference_plan_path(tmp_path: Path) -> Path:
    """A private copy of data/ports.toml, so no test can touch the real one."""
    copy = tmp_path / "ports.toml"
    copy.write_bytes(REFERENCE_PLAN.read_bytes())
    return copy
