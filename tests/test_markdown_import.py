from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from portplan.errors import PlanError
from portplan.markdown import import_markdown
from portplan.markdown.shape import parse_range, title_from_heading
from portplan.model import PortRange
from portplan.store import dumps

ROOT = Path(__file__).resolve().parents[1]
# The document data/ports.toml was made from, kept byte for byte (mojibake and all).
REFERENCE_DOCUMENT = ROOT / "data" / "master-port-assignments.md"
REFERENCE_PLAN = ROOT / "data" / "ports.toml"

SMALL = """\
# MASTER PORT ASSIGNMENTS - All Projects

**Strategy:** One range per project.

## 🎯 PORT RANGE ALLOCATIONS

| Port Range      | Project | Description |
| --------------- | ------- | ----------- |
| **16000-16999** | ALPHA   | First       |

## 🔵 ALPHA (16000-16999)

### Web (16000-16099)

| Port      | Service | Description |
| --------- | ------- | ----------- |
| **16000** | UI      | Frontend    |
| **16001** | API     | Backend     |

## ⚠️ RESERVED SYSTEM PORTS (NEVER USE)

| Port Range | Reserved For |
| ---------- | ------------ |
| 0-1023     | System       |

**Last Updated:** December 18, 2025
**Version:** 2.0
"""


def problems(text: str) -> list[str]:
    with pytest.raises(PlanError) as error:
        import_markdown(text, "doc.md")
    return str(error.value).splitlines()


def test_the_reference_document_gives_data_ports_toml_byte_for_byte(run_cli) -> None:
    result = import_markdown(REFERENCE_DOCUMENT.read_text(encoding="utf-8"))
    assert dumps(result.plan) == REFERENCE_PLAN.read_text(encoding="utf-8")
    # The one line a plan has no field for is reported, not dropped in silence.
    assert [(note.line, note.message) for note in result.notes] == [
        (3, "**Purpose:** is not kept: a plan has no purpose field")
    ]
    code, out, _ = run_cli("import", str(REFERENCE_DOCUMENT))
    assert code == 0 and out == REFERENCE_PLAN.read_text(encoding="utf-8")


def test_a_small_document() -> None:
    plan = import_markdown(SMALL).plan
    assert (plan.title, plan.version, plan.updated, plan.strategy) == (
        "Master port assignments",
        "2.0",
        dt.date(2025, 12, 18),
        "One range per project.",
    )
    (project,) = plan.projects
    assert (project.name, str(project.ports), project.description) == (
        "ALPHA",
        "16000-16999",
        "First",
    )
    assert [(s.port, s.name, s.description) for s in project.tiers[0].services] == [
        (16000, "UI", "Frontend"),
        (16001, "API", "Backend"),
    ]
    assert [(str(r.ports), r.reason) for r in plan.reserved] == [("0-1023", "System")]


def test_mojibake_is_repaired_only_where_exact() -> None:
    text = SMALL.replace("| ALPHA   |", "| ALPHA (Œ£LANG) |").replace(
        "| **16001** | API     | Backend     |", "| **16001** | API     | Caf\u00e9 Œ£ and Œx |"
    )
    plan = import_markdown(text).plan
    assert plan.projects[0].name == "ALPHA (ΣLANG)"
    # `Œ£` is ΣLANG's Σ read as Mac Roman; `Œx` and `é` are not UTF-8 in any codec: kept.
    assert plan.projects[0].tiers[0].services[1].description == "Café Σ and Œx"


def test_windows_1252_mojibake_is_repaired() -> None:
    text = SMALL.replace("| Frontend    |", "| CafÃ© |")
    assert import_markdown(text).plan.projects[0].tiers[0].services[0].description == "Café"


def test_escaped_text_is_taken_as_written() -> None:
    text = SMALL.replace("| Frontend    |", "| Œ&#163;LANG \\| \\*x\\* |")
    assert import_markdown(text).plan.projects[0].tiers[0].services[0].description == (
        "Œ£LANG | *x*"
    )


def test_en_dash_ranges_are_read_as_hyphens() -> None:
    text = (
        SMALL.replace("**16000-16999**", "**16000–16999**")
        .replace("### Web (16000-16099)", "### Web (16000 – 16099)")
        .replace("| 0-1023     |", "| 0—1023 |")
    )
    assert import_markdown(text).plan == import_markdown(SMALL).plan


def test_udp_services_and_tier_descriptions() -> None:
    text = SMALL.replace("| **16001** |", "| **16001/udp** |").replace(
        "### Web (16000-16099)\n", "### Web (16000-16099)\n\nBrowser-facing\nservices.\n"
    )
    tier = import_markdown(text).plan.projects[0].tiers[0]
    assert tier.description == "Browser-facing services."
    assert [s.protocol for s in tier.services] == ["tcp", "udp"]


def test_section_heading_may_leave_out_the_alias() -> None:
    text = SMALL.replace("| ALPHA   |", "| ALPHA (Α) |")
    assert import_markdown(text).plan.projects[0].name == "ALPHA (Α)"


def test_row_with_a_missing_column() -> None:
    text = SMALL.replace("| **16001** | API     | Backend     |", "| **16001** | API |")
    assert problems(text) == [
        "doc.md:18: row has 2 cells; expected 3: Port | Service | Description"
    ]


def test_row_with_an_extra_column() -> None:
    text = SMALL.replace("| **16001** | API     | Backend     |", "| **16001** | API | B | x |")
    assert problems(text) == [
        "doc.md:18: row has 4 cells; expected 3: Port | Service | Description"
    ]


def test_table_with_missing_columns() -> None:
    text = SMALL.replace(
        "| Port      | Service | Description |\n| --------- | ------- | "
        "----------- |\n| **16000** | UI      | Frontend    |\n| **16001** | API"
        "     | Backend     |",
        "| Port | Service |\n| --- | --- |\n| **16000** | UI |",
    )
    assert problems(text) == [
        "doc.md:15: table has 2 columns; expected 3: Port | Service | Description"
    ]


def test_row_without_a_port() -> None:
    text = SMALL.replace("| **16001** |", "| **TBD** |")
    assert problems(text) == [
        "doc.md:18: row has no port: 'TBD' (write e.g. **16000** or 16000/udp)"
    ]


def test_a_port_too_long_for_python_to_read_is_named_by_its_line() -> None:
    text = SMALL.replace("| **16001** |", "| **" + "9" * 5000 + "** |")
    assert problems(text) == ["doc.md:18: a number of 5,000 digits is not a port (1-65535)"]


def test_a_range_too_long_for_python_to_read_is_named_by_its_line() -> None:
    text = SMALL.replace("| 0-1023     |", "| 0-" + "9" * 5000 + " |")
    [problem] = problems(text)
    assert problem.startswith("doc.md:24: row has no port or range: a number of 5,000 digits")


def test_a_port_in_other_digits_is_not_a_port() -> None:
    text = SMALL.replace("| **16001** |", "| **١٦٠٠١** |")
    [problem] = problems(text)
    assert problem.startswith("doc.md:18: row has no port:")


def test_heading_without_a_range() -> None:
    text = SMALL.replace("### Web (16000-16099)", "### Web")
    assert problems(text) == ["doc.md:13: heading 'Web' has no port range (write `### TIER (A-B)`)"]


def test_duplicate_headings() -> None:
    tier = "### Web (16000-16099)\n\n| Port | Service | Description |\n| - | - | - |\n"
    text = SMALL.replace("## ⚠️", tier + "\n## ⚠️")
    assert problems(text) == [
        "doc.md:20: duplicate heading: tier 'Web' of 'ALPHA' already has a heading at line 13"
    ]
    project = "## ALPHA (16000-16999)\n\n"
    text = SMALL.replace("## ⚠️", project + "## ⚠️")
    assert problems(text) == [
        "doc.md:20: duplicate heading: project 'ALPHA' already has a section at line 11"
    ]


def test_a_section_whose_project_is_not_in_the_range_table() -> None:
    text = SMALL.replace("## 🔵 ALPHA (16000-16999)", "## 🔵 BETA (16000-16999)")
    assert problems(text) == [
        "doc.md:9: project 'ALPHA' has no `## ALPHA (16000-16999)` section",
        "doc.md:11: project 'BETA' is not in the range table "
        "(add a row | **16000-16999** | BETA | … |)",
    ]


def test_section_range_must_agree_with_the_range_table() -> None:
    text = SMALL.replace("## 🔵 ALPHA (16000-16999)", "## 🔵 ALPHA (17000-17999)")
    assert problems(text) == [
        "doc.md:11: project 'ALPHA': heading says 17000-17999 but the range table (line 9) says "
        "16000-16999"
    ]


def test_content_with_no_place_is_reported() -> None:
    text = SMALL.replace("**Strategy:** One range per project.", "Some prose.\n\n> a quote")
    assert problems(text) == [
        "doc.md:3: paragraph 'Some prose.' has no place in a port plan",
        "doc.md:5: a blockquote has no place in a port plan",
    ]


def test_table_before_any_tier_heading() -> None:
    text = SMALL.replace("### Web (16000-16099)\n", "")
    assert problems(text)[0] == (
        "doc.md:14: a service table needs a `### TIER (A-B)` heading above it"
    )


def test_model_errors_name_their_line() -> None:
    text = SMALL.replace("**16001** | API ", "**16001** | UI  ")
    assert problems(text) == ["doc.md:18: service 'UI' is already in tier 'Web' at line 17"]
    text = SMALL.replace("**16001**", "**70000**")
    assert problems(text) == ["doc.md:18: 70000 is not a port (1-65535)"]
    text = SMALL.replace("December 18, 2025", "Smarch 3, 2025")
    assert problems(text) == [
        "doc.md:26: **Last Updated:** 'Smarch 3, 2025' is not a date "
        "(write e.g. December 18, 2025 or 2025-12-18)"
    ]


def test_every_problem_is_listed_at_once() -> None:
    text = SMALL.replace("**16001**", "TBD").replace("### Web (16000-16099)", "### Web (x)")
    assert [line.split(":")[1] for line in problems(text)] == ["13", "18"]


def test_titles() -> None:
    assert title_from_heading("MASTER PORT ASSIGNMENTS - All Projects") == "Master port assignments"
    assert title_from_heading("Ports of ACME - All Projects") == "Ports of ACME - All Projects"
    assert title_from_heading("PORTS") == "PORTS"
    text = SMALL.replace("**Strategy:**", "**Title:** Exact TITLE\n**Strategy:**")
    assert import_markdown(text).plan.title == "Exact TITLE"


def test_ranges() -> None:
    assert parse_range("16000–16099") == PortRange(16000, 16099)
    assert parse_range(" 3306 ") == PortRange(3306, 3306)
    with pytest.raises(ValueError, match="reversed"):
        parse_range("10-1")
    with pytest.raises(ValueError, match="not a port range"):
        parse_range("10..20")
    with pytest.raises(ValueError, match="write its digits as 0-9"):
        parse_range("١٠-20")


def test_the_cli_prints_or_writes_the_plan(run_cli, tmp_path: Path) -> None:
    document = tmp_path / "doc.md"
    document.write_text(SMALL, encoding="utf-8")
    code, out, err = run_cli("import", str(document))
    assert (code, err) == (0, "")
    assert out == dumps(import_markdown(SMALL).plan)
    target = tmp_path / "ports.toml"
    target.write_text("old", encoding="utf-8")
    code, out, err = run_cli("import", str(document), "-o", str(target))
    assert code == 0 and out == ""
    assert target.read_text(encoding="utf-8") == dumps(import_markdown(SMALL).plan)
    assert target.with_name("ports.toml.bak").read_text(encoding="utf-8") == "old"


def test_a_failed_import_never_touches_the_output(run_cli, tmp_path: Path) -> None:
    document = tmp_path / "doc.md"
    document.write_text(SMALL.replace("**16001**", "TBD"), encoding="utf-8")
    target = tmp_path / "ports.toml"
    target.write_text("old", encoding="utf-8")
    code, out, err = run_cli("import", str(document), "-o", str(target))
    assert (code, out) == (2, "")
    assert err == f"{document}:18: row has no port: 'TBD' (write e.g. **16000** or 16000/udp)\n"
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(tmp_path.iterdir()) == sorted([document, target])


def test_unreadable_documents(run_cli, tmp_path: Path) -> None:
    code, _, err = run_cli("import", str(tmp_path / "missing.md"))
    assert code == 2 and err.endswith("missing.md: no such file\n")
    latin = tmp_path / "latin.md"
    latin.write_bytes(b"# Ports\n\n caf\xe9\n")
    code, _, err = run_cli("import", str(latin))
    assert code == 2 and err == f"{latin}:3: is not UTF-8 text (byte 0xe9); save it as UTF-8\n"
