from __future__ import annotations

from pathlib import Path

import pytest

from portplan.store import load


@pytest.fixture(autouse=True)
def _pinned(pinned_ephemeral: None) -> None:
    """Findings must not depend on this machine's ephemeral port range."""


def test_dry_run_prints_the_table_and_leaves_the_file(run_cli, reference_plan_path: Path) -> None:
    before = reference_plan_path.read_bytes()
    code, out, err = run_cli("rebase", "NEURECTOMY/Databases", "16700", str(reference_plan_path))
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "rebase NEURECTOMY/Databases to 16700 (offset +300)"
    assert lines[1:6] == [
        "  NEURECTOMY/Databases              16400-16499 → 16700-16799",
        "  NEURECTOMY/Databases/PostgreSQL   16432 → 16732",
        "  NEURECTOMY/Databases/TimescaleDB  16433 → 16733",
        "  NEURECTOMY/Databases/Neo4j HTTP   16474 → 16774",
        "  NEURECTOMY/Databases/Neo4j Bolt   16475 → 16775",
    ]
    assert "not written" in err
    assert reference_plan_path.read_bytes() == before
    assert not reference_plan_path.with_name("ports.toml.bak").exists()


def test_write_saves_atomically_with_a_backup(run_cli, reference_plan_path: Path) -> None:
    before = reference_plan_path.read_bytes()
    code, out, _ = run_cli("rebase", "neur", "17000", str(reference_plan_path), "--write")
    assert code == 0 and f"wrote {reference_plan_path}" in out
    plan = load(reference_plan_path)
    project = plan.project("NEURECTOMY")
    assert str(project.ports) == "17000-17999"
    assert [s.port for s in project.tiers[2].services] == [17432, 17433, 17474, 17475]
    assert reference_plan_path.with_name("ports.toml.bak").read_bytes() == before


def test_findings_added_and_cleared(run_cli, reference_plan_path: Path) -> None:
    code, out, _ = run_cli("rebase", "NEURECTOMY", "26000", str(reference_plan_path))
    assert code == 1  # the dry run fails as the write would: the move adds errors
    added = out[out.index("findings added") : out.index("findings cleared")]
    assert (
        "port 26432/tcp is taken by 2 services: NEURECTOMY/Databases/PostgreSQL, "
        "SigmaLang (ΣLANG)/Infrastructure/PostgreSQL" in added
    )
    # Moving back clears what the first move added.
    run_cli("rebase", "NEURECTOMY", "26000", str(reference_plan_path), "--write", "--allow-errors")
    code, out, _ = run_cli("rebase", "NEURECTOMY", "16000", str(reference_plan_path))
    assert code == 0
    cleared = out[out.index("findings cleared") :]
    assert "NEURECTOMY/Databases/PostgreSQL, SigmaLang (ΣLANG)/Infrastructure/PostgreSQL" in cleared
    assert "findings added: none" in out


@pytest.mark.parametrize(
    ("start", "message"),
    [
        ("abc", "NEWSTART 'abc' is not a port"),
        ("0", "NEWSTART 0 is not a port"),
        ("70000", "NEWSTART 70000 is not a port"),
        ("65000", "rebasing to 65000 would push ports outside 1-65535"),
    ],
)
def test_bad_new_start_exits_2_with_one_line(
    run_cli, reference_plan_path: Path, start: str, message: str
) -> None:
    before = reference_plan_path.read_bytes()
    code, out, err = run_cli("rebase", "NEURECTOMY", start, str(reference_plan_path), "--write")
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and err.startswith(f"portplan: {message}")
    assert reference_plan_path.read_bytes() == before


def test_unknown_target_exits_2(run_cli, reference_plan_path: Path) -> None:
    code, _, err = run_cli("rebase", "NOPE", "17000", str(reference_plan_path))
    assert code == 2 and "no project or tier matches 'NOPE'" in err


def test_write_refuses_a_plan_that_gains_errors(run_cli, reference_plan_path: Path) -> None:
    before = reference_plan_path.read_bytes()
    code, out, err = run_cli("rebase", "NEURECTOMY", "26000", str(reference_plan_path), "--write")
    assert code == 1
    assert "not written: the rebase adds errors" in err and "--allow-errors" in err
    assert "wrote" not in out
    assert reference_plan_path.read_bytes() == before
    assert not reference_plan_path.with_name("ports.toml.bak").exists()
    args = ("rebase", "NEURECTOMY", "26000", str(reference_plan_path), "--write", "--allow-errors")
    code, out, _ = run_cli(*args)
    assert code == 0 and f"wrote {reference_plan_path}" in out
    assert str(load(reference_plan_path).project("NEURECTOMY").ports) == "26000-26999"


def test_dry_run_with_allow_errors_exits_0(run_cli, reference_plan_path: Path) -> None:
    args = ("rebase", "NEURECTOMY", "26000", str(reference_plan_path), "--allow-errors")
    assert run_cli(*args)[0] == 0


def test_json_lists_moves_and_the_added_findings_at_plan_lines(
    run_cli, reference_plan_path: Path
) -> None:
    import json

    args = ("rebase", "NEURECTOMY/Databases", "26400", str(reference_plan_path), "--format", "json")
    code, out, err = run_cli(*args)
    assert code == 1 and "not written" in err
    document = json.loads(out)
    assert (document["command"], document["result"]["offset"]) == ("rebase", 10000)
    assert document["result"]["written"] is False
    assert document["result"]["moves"][1]["subject"] == "NEURECTOMY/Databases/PostgreSQL"
    duplicates = [f for f in document["findings"] if f["kind"] == "duplicate-port"]
    assert duplicates and all(f["rule"] == "PP101" for f in duplicates)
    lines = reference_plan_path.read_text(encoding="utf-8").splitlines()
    first = duplicates[0]
    # The finding points at the moved service's own line in the (unchanged) file.
    assert first["subjects"][0].startswith("NEURECTOMY/Databases/")
    name = first["subjects"][0].rsplit("/", 1)[1]
    assert f'name = "{name}"' in lines[first["line"] - 1]
