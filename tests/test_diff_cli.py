from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from portplan.edits import Rebase
from portplan.store import load, save


def rebased_copy(source: Path, tmp_path: Path) -> Path:
    plan = load(source)
    Rebase("NEURECTOMY", 16000, tier="Databases").apply(plan)
    Rebase("NEURECTOMY", 16700, tier="Databases").apply(plan)
    target = tmp_path / "after.toml"
    save(plan, target)
    return target


def test_equal_plans_exit_0(run_cli, reference_plan_path: Path) -> None:
    code, out, err = run_cli("diff", str(reference_plan_path), str(reference_plan_path))
    assert (code, out, err) == (0, "no changes: the plans are equal\n", "")


def test_text_lists_the_moves_grouped_by_project(
    run_cli, reference_plan_path: Path, tmp_path: Path, pinned_ephemeral: None
) -> None:
    after = rebased_copy(reference_plan_path, tmp_path)
    code, out, _ = run_cli("diff", str(reference_plan_path), str(after))
    assert code == 1
    assert out.splitlines() == [
        "NEURECTOMY (5 changes)",
        "  range     Databases: range 16400-16499 → 16700-16799",
        "  moved     Databases/PostgreSQL: 16432 → 16732",
        "  moved     Databases/TimescaleDB: 16433 → 16733",
        "  moved     Databases/Neo4j HTTP: 16474 → 16774",
        "  moved     Databases/Neo4j Bolt: 16475 → 16775",
        "",
        "findings: 0 added, 0 cleared, 17 kept",
    ]


def test_markdown_is_a_checklist(run_cli, reference_plan_path: Path, tmp_path: Path) -> None:
    after = rebased_copy(reference_plan_path, tmp_path)
    code, out, _ = run_cli("diff", str(reference_plan_path), str(after), "--format", "md")
    assert code == 1
    lines = out.splitlines()
    assert lines[:4] == ["# Migration checklist", "", "## NEURECTOMY", ""]
    assert lines[4:9] == [
        "- [ ] Databases: range 16400-16499 → 16700-16799",
        "- [ ] Databases/PostgreSQL: 16432 → 16732",
        "- [ ] Databases/TimescaleDB: 16433 → 16733",
        "- [ ] Databases/Neo4j HTTP: 16474 → 16774",
        "- [ ] Databases/Neo4j Bolt: 16475 → 16775",
    ]


def test_markdown_escapes_names(run_cli, tmp_path: Path) -> None:
    old = tmp_path / "old.toml"
    old.write_text('[[projects]]\nname = "A|*b*"\nports = "1-9"\n', encoding="utf-8")
    new = tmp_path / "new.toml"
    new.write_text('[[projects]]\nname = "A|*b*"\nports = "1-10"\n', encoding="utf-8")
    code, out, _ = run_cli("diff", str(old), str(new), "--format", "md")
    assert code == 1
    assert "## A\\|\\*b\\*" in out.splitlines()


def test_json_carries_every_field(run_cli, reference_plan_path: Path, tmp_path: Path) -> None:
    after = rebased_copy(reference_plan_path, tmp_path)
    code, out, _ = run_cli("diff", str(reference_plan_path), str(after), "--format", "json")
    envelope = json.loads(out)
    assert (envelope["schema_version"], envelope["command"], envelope["findings"]) == (
        1,
        "diff",
        [],
    )
    document = envelope["result"]
    assert code == 1 and document["equal"] is False
    assert document["changes"][1] == {
        "project": "NEURECTOMY",
        "kind": "moved",
        "subject": "NEURECTOMY/Databases/PostgreSQL",
        "old": "16432",
        "new": "16732",
        "text": "Databases/PostgreSQL: 16432 → 16732",
    }
    code, out, _ = run_cli("diff", str(after), str(after), "--format", "json")
    document = json.loads(out)["result"]
    assert (code, document["equal"], document["changes"]) == (0, True, [])


def test_old_plan_from_standard_input(reference_plan_path: Path, tmp_path: Path) -> None:
    # As in `git show HEAD:data/ports.toml | portplan diff - data/ports.toml`.
    after = rebased_copy(reference_plan_path, tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "portplan", "diff", "-", str(after)],
        input=reference_plan_path.read_bytes(),
        capture_output=True,
        check=False,
    )
    assert result.returncode == 1
    assert "Databases/PostgreSQL: 16432 → 16732" in result.stdout.decode()


def test_unreadable_input_exits_2_with_one_line(
    run_cli, reference_plan_path: Path, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text('title = "x"\n[[projects]\n', encoding="utf-8")
    code, out, err = run_cli("diff", str(reference_plan_path), str(broken))
    assert code == 2 and out == ""
    assert err.startswith(f"{broken}:2") and len(err.splitlines()) == 1
    code, _, err = run_cli("diff", str(tmp_path / "missing.toml"), str(reference_plan_path))
    assert code == 2 and "missing.toml: no such file" in err


def test_both_sides_from_standard_input_is_refused(run_cli) -> None:
    code, _, err = run_cli("diff", "-", "-")
    assert code == 2 and "only one of OLD and NEW" in err


def test_help_explains_standard_input(capsys) -> None:
    import pytest

    from portplan.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(["diff", "--help"])
    assert exit_info.value.code == 0
    assert "git show HEAD:data/ports.toml | portplan diff - data/ports.toml" in (
        capsys.readouterr().out
    )
