from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from hypothesis import given

from portplan.exporters import ExportError, export
from portplan.exporters.env_export import variable_names
from portplan.markdown import import_markdown
from portplan.model import Plan, PortRange, Project, Service, Tier
from portplan.store import load, loads

from .plan_strategies import plans

REFERENCE_PLAN = Path(__file__).resolve().parents[1] / "data" / "ports.toml"


@pytest.fixture
def plan() -> Plan:
    return load(REFERENCE_PLAN)


@given(plans)
def test_markdown_round_trips_any_plan(plan: Plan) -> None:
    document = export(plan, "md")
    assert import_markdown(document).plan == plan


@given(plans)
def test_json_round_trips_any_plan(plan: Plan) -> None:
    assert Plan.model_validate_json(export(plan, "json")) == plan


def test_markdown_of_the_reference_plan_has_the_reference_shape(plan: Plan) -> None:
    document = export(plan, "md")
    lines = document.splitlines()
    assert lines[0] == "# MASTER PORT ASSIGNMENTS - All Projects"
    assert "## 🎯 PORT RANGE ALLOCATIONS" in lines
    assert "| **26000-26999** | SigmaLang (ΣLANG)   | Sub-Linear Language Compiler   |" in lines
    assert "## 🔵 NEURECTOMY (16000-16999)" in lines
    assert "| **16432** | PostgreSQL  | Primary database        |" in lines
    assert "## ⚠️ RESERVED SYSTEM PORTS (NEVER USE)" in lines
    assert lines[-2:] == ["**Last Updated:** December 18, 2025", "**Version:** 2.0"]
    result = import_markdown(document)
    assert result.plan == plan and result.notes == []


def test_markdown_carries_what_the_reference_shape_lacks() -> None:
    plan = Plan(
        title="Ports of ACME",
        projects=[
            Project(
                name="A|B",
                ports=PortRange(1000, 1999),
                paths=["web", "a,b"],
                tiers=[
                    Tier(
                        name="Voice",
                        ports=PortRange(1000, 1099),
                        description="RTP and SIP",
                        services=[Service(port=1000, name="SIP", protocol="udp")],
                    )
                ],
            )
        ],
    )
    document = export(plan, "md")
    assert "# Ports of ACME" in document.splitlines()
    assert "**Paths:** web, a&#44;b" in document
    assert "RTP and SIP" in document.splitlines()
    assert "| **1000/udp** | SIP     |             |" in document.splitlines()
    assert "| **1000-1999** | A\\|B    |             |" in document.splitlines()
    assert import_markdown(document).plan == plan


def test_a_title_the_heading_cannot_carry_gets_a_title_line() -> None:
    plan = Plan(title="ACME - All Projects")
    document = export(plan, "md")
    assert "**Title:** ACME - All Projects" in document.splitlines()
    assert import_markdown(document).plan == plan


def test_control_characters_are_refused_with_the_place() -> None:
    plan = Plan(
        projects=[
            Project(
                name="P",
                ports=PortRange(1, 9),
                tiers=[
                    Tier(name="T", ports=PortRange(1, 9), services=[Service(port=1, name="a\x01b")])
                ],
            )
        ]
    )
    with pytest.raises(
        ExportError,
        match=r"service 'P/T/a\\x01b': contains the control "
        r"character U\+0001",
    ):
        export(plan, "md")
    assert Plan.model_validate_json(export(plan, "json")) == plan


def test_env_lines(plan: Plan) -> None:
    lines = export(plan, "env").splitlines()
    assert lines[:3] == [
        "# NEURECTOMY (16000-16999)",
        "NEURECTOMY_SPECTRUM_WORKSPACE_PORT=16000",
        "NEURECTOMY_DESKTOP_APP_DEV_PORT=16001",
    ]
    assert "SIGMALANG_POSTGRESQL_PORT=26432" in lines
    assert "DOPPELGANGER_STUDIO_MINIO_PORT=10500" not in lines
    assert sum(line.endswith("_PORT=16432") for line in lines) == 1
    assert len([line for line in lines if "=" in line]) == sum(1 for _ in plan.services())


def test_env_names_are_valid_and_unique_with_deterministic_suffixes() -> None:
    tier = Tier(
        name="T",
        ports=PortRange(1, 99),
        services=[
            Service(port=1, name="Café API"),
            Service(port=2, name="cafe-api"),
            Service(port=3, name="CAFE_API_2"),
            Service(port=4, name="!!!"),
        ],
    )
    other = Tier(name="U", ports=PortRange(1, 99), services=[Service(port=5, name="Café API")])
    plan = Plan(
        projects=[Project(name="9 lives (ΣX)", ports=PortRange(1, 99), tiers=[tier, other])]
    )
    assert [name for name, *_ in variable_names(plan)] == [
        "_9_LIVES_CAFE_API_PORT",
        "_9_LIVES_CAFE_API_3_PORT",  # _2 is taken by the service that is naturally CAFE_API_2
        "_9_LIVES_CAFE_API_2_PORT",
        "_9_LIVES_SERVICE_PORT",
        "_9_LIVES_CAFE_API_4_PORT",
    ]


def test_env_for_one_project_uses_the_full_plan_names(plan: Plan) -> None:
    one = export(plan, "env", project="Ryot LLM")
    assert one.splitlines()[0] == "# Ryot LLM (46000-46999)"
    full = export(plan, "env").splitlines()
    assert all(line in full for line in one.splitlines())
    assert "NEURECTOMY" not in one


def test_env_loads_with_python_dotenv(plan: Plan) -> None:
    from dotenv import dotenv_values

    values = dotenv_values(stream=io.StringIO(export(plan, "env")))
    assert values["NEURECTOMY_POSTGRESQL_PORT"] == "16432"
    assert len(values) == sum(1 for _ in plan.services())


def test_csv_rows(plan: Plan) -> None:
    rows = list(csv.reader(io.StringIO(export(plan, "csv"))))
    assert rows[0] == ["project", "tier", "service", "port", "protocol", "description"]
    assert rows[1] == [
        "NEURECTOMY",
        "Application Tier",
        "Spectrum Workspace",
        "16000",
        "tcp",
        "Frontend Vite dev server",
    ]
    assert len(rows) == 1 + sum(1 for _ in plan.services())


def test_csv_quotes_awkward_text() -> None:
    plan = Plan(
        projects=[
            Project(
                name='a,"b"',
                ports=PortRange(1, 9),
                tiers=[
                    Tier(
                        name="T",
                        ports=PortRange(1, 9),
                        services=[Service(port=1, name="x\ny", description="d", protocol="udp")],
                    )
                ],
            )
        ]
    )
    rows = list(csv.reader(io.StringIO(export(plan, "csv"))))
    assert rows[1] == ['a,"b"', "T", "x\ny", "1", "udp", "d"]


def test_cli_writes_to_a_file_atomically(
    run_cli, reference_plan_path: Path, tmp_path: Path
) -> None:
    target = tmp_path / "out" / "ports.md"
    code, out, err = run_cli(
        "export", str(reference_plan_path), "--format", "md", "-o", str(target)
    )
    assert (code, out, err) == (0, "", "")
    assert import_markdown(target.read_text(encoding="utf-8")).plan == load(reference_plan_path)
    assert sorted(p.name for p in target.parent.iterdir()) == ["ports.md"]


def test_cli_project_filter(run_cli, reference_plan_path: Path) -> None:
    code, out, _ = run_cli(
        "export", str(reference_plan_path), "--format", "json", "--project", "sigmav"
    )
    assert code == 0
    assert [p["name"] for p in json.loads(out)["projects"]] == ["SigmaVault (ΣVAULT)"]
    code, out, _ = run_cli(
        "export", str(reference_plan_path), "--format", "csv", "--project", "Ryot"
    )
    assert {row.split(",")[0] for row in out.splitlines()[1:]} == {"Ryot LLM"}


def test_cli_errors_exit_2(run_cli, reference_plan_path: Path, tmp_path: Path) -> None:
    code, _, err = run_cli(
        "export", str(reference_plan_path), "--format", "env", "--project", "nope"
    )
    assert code == 2 and "no project or tier matches 'nope'" in err
    bad = tmp_path / "bad.toml"
    bad.write_text('[[projects]]\nname = "P\\u0001"\nports = "1-9"\n', encoding="utf-8")
    target = tmp_path / "out.md"
    code, out, err = run_cli("export", str(bad), "--format", "md", "-o", str(target))
    assert (code, out) == (2, "")
    assert err.startswith("portplan: project 'P\\x01': contains the control character U+0001")
    assert not target.exists()
    assert loads(bad.read_text(encoding="utf-8")).projects[0].name == "P\x01"
