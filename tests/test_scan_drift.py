"""Findings of a scan: files against the plan, for tied and untied folders."""

from __future__ import annotations

from pathlib import Path

import pytest

from portplan.errors import UsageError
from portplan.hazards import EphemeralRange
from portplan.model import PortRange
from portplan.scan import Drift, resolve_targets, scan, scan_projects
from tests.scan_helpers import plan, write

EPHEMERAL = (EphemeralRange("Linux", PortRange(32768, 60999), "test"),)


@pytest.fixture(autouse=True)
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Work beside a plan file in tmp_path, so labels read `alpha/…` as a user would see them."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "alpha").mkdir()
    (tmp_path / "beta").mkdir()


PLAN_PATH = Path("plan.toml")


def kinds(findings: list[Drift]) -> list[tuple[str, str, tuple[int, ...]]]:
    return [(finding.kind, str(finding.place), finding.ports) for finding in findings]


def test_planned_ports_of_the_tied_project_are_clean(tmp_path: Path) -> None:
    write(
        tmp_path / "alpha" / "docker-compose.yml",
        """\
services:
  web: {ports: ["16000:3000", "16080:8000"]}
  db: {ports: ["127.0.0.1:16432:5432"]}
  metrics: {ports: ["16450:9125/udp"]}
""",
    )
    write(tmp_path / "beta" / "compose.yaml", "services:\n  web: {ports: ['26000:80']}\n")
    report = scan_projects(plan(), PLAN_PATH, EPHEMERAL)
    assert report.findings == []
    assert not report.drift_found


def test_each_kind_of_drift(tmp_path: Path) -> None:
    write(
        tmp_path / "alpha" / "compose.yaml",
        """\
services:
  a:
    ports:
      - "26000:80"
      - "16077:80"
      - "18000:80"
      - "5432:5432"
      - "80:80"
      - "40000:80"
      - "6000:6000"
""",
    )
    report = scan_projects(plan(), PLAN_PATH, EPHEMERAL)
    file = "alpha/compose.yaml"
    assert kinds([f for f in report.findings if f.kind != "missing-service"]) == [
        ("cross-project", f"{file}:4", (26000,)),
        ("unplanned-port", f"{file}:5", (16077,)),
        ("unplanned-port", f"{file}:6", (18000,)),
        ("reserved-port", f"{file}:7", (5432,)),
        ("unplanned-port", f"{file}:7", (5432,)),
        ("privileged-port", f"{file}:8", (80,)),
        ("reserved-port", f"{file}:8", (80,)),
        ("unplanned-port", f"{file}:8", (80,)),
        ("ephemeral-port", f"{file}:9", (40000,)),
        ("unplanned-port", f"{file}:9", (40000,)),
        ("browser-blocked-port", f"{file}:10", (6000,)),
        ("unplanned-port", f"{file}:10", (6000,)),
        ("known-occupant", f"{file}:7", (5432,)),  # info: last
    ]
    cross = report.findings[0]
    assert cross.severity == "error"
    assert "BETA (26000-26999)" in cross.message and "BETA/Web/Frontend" in cross.message
    assert "16000-16999" in next(f.message for f in report.findings if 16077 in f.ports)
    assert report.drift_found


def test_missing_services_are_info(tmp_path: Path) -> None:
    write(tmp_path / "alpha" / ".env", "WEB_PORT=16000\nDB=postgres://db:16432/x\n")
    write(
        tmp_path / "alpha" / "k8s.yaml",
        "apiVersion: v1\nkind: Service\nspec: {ports: [{port: 80, targetPort: 16450}]}\n",
    )
    report = scan_projects(plan(), PLAN_PATH, EPHEMERAL)
    # A remote URL port and a container port still count as mentioned.
    assert [(f.severity, f.subjects, f.place) for f in report.findings] == [
        ("info", ("ALPHA/Web/API",), None),
        ("info", ("BETA/Web/Frontend",), None),
    ]
    assert not report.drift_found  # info only


def test_untied_folder_gets_plan_wide_checks_only(tmp_path: Path) -> None:
    write(
        tmp_path / "other" / "compose.yaml",
        "services:\n  a: {ports: ['26000:80', '16000:80', '17000:80']}\n",
    )
    targets = resolve_targets(plan(), PLAN_PATH, [str(tmp_path / "other")], None)
    assert [target.project for target in targets] == [None]
    report = scan(plan(), targets, EPHEMERAL)
    assert [(f.kind, f.ports) for f in report.findings] == [("unplanned-port", (17000,))]


def test_folder_inside_a_project_path_is_tied_to_it(tmp_path: Path) -> None:
    write(tmp_path / "beta" / "deploy" / "compose.yaml", "services:\n  a: {ports: ['16000:80']}\n")
    folder = tmp_path / "beta" / "deploy"
    targets = resolve_targets(plan(), PLAN_PATH, [str(folder)], None)
    assert [target.project for target in targets] == ["BETA"]
    report = scan(plan(), targets, EPHEMERAL)
    assert [(f.kind, f.ports) for f in report.findings if f.place] == [("cross-project", (16000,))]


def test_project_option_ties_any_folder(tmp_path: Path) -> None:
    write(tmp_path / "elsewhere" / "compose.yaml", "services:\n  a: {ports: ['26000:80']}\n")
    targets = resolve_targets(plan(), PLAN_PATH, [str(tmp_path / "elsewhere")], "beta")
    assert [target.project for target in targets] == ["BETA"]
    assert scan(plan(), targets, EPHEMERAL).findings == []


def test_range_gives_one_finding_per_kind(tmp_path: Path) -> None:
    write(
        tmp_path / "alpha" / "compose.yaml", "services:\n  a: {ports: ['16090-16093:8000-8003']}\n"
    )
    report = scan_projects(plan(), PLAN_PATH, EPHEMERAL)
    [finding] = [f for f in report.findings if f.place]
    assert finding.ports == (16090, 16091, 16092, 16093)
    assert finding.message.startswith("ports 16090-16093 are inside ALPHA's range")


def test_missing_project_folder_is_a_warning_note(tmp_path: Path) -> None:
    (tmp_path / "beta").rmdir()
    write(tmp_path / "alpha" / "compose.yaml", "services:\n  a: {ports: ['16000:80']}\n")
    report = scan_projects(plan(), PLAN_PATH, EPHEMERAL)
    notes = [(note.level, note.message) for note in report.notes]
    assert notes == [("warning", "no such folder (in the paths of BETA)")]
    assert not any("BETA" in str(f.subjects) for f in report.findings)
    assert report.drift_found


def test_finding_converts_to_an_analysis_finding(tmp_path: Path) -> None:
    write(tmp_path / "alpha" / "compose.yaml", "services:\n  a: {ports: ['17000:80']}\n")
    report = scan_projects(plan(), PLAN_PATH, EPHEMERAL)
    finding = next(f for f in report.findings if f.place).as_finding()
    assert finding.message.startswith("alpha/compose.yaml:2: port 17000")
    assert finding.touches("ALPHA")


@pytest.mark.parametrize(
    ("folders", "project", "message"),
    [
        (["nope"], None, "nope: no such folder"),
        ([], "GAMMA", "no project or tier matches 'GAMMA'"),
        ([], "ALPHA/Web", "names a tier"),
    ],
)
def test_bad_targets(tmp_path: Path, folders: list[str], project: str | None, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        resolve_targets(plan(), PLAN_PATH, folders, project)


def test_no_paths_and_no_folders_is_a_usage_error(tmp_path: Path) -> None:
    bare = plan()
    for project in bare.projects:
        project.paths = []
    with pytest.raises(UsageError, match="^no project in .* has `paths`; name the folders"):
        resolve_targets(bare, PLAN_PATH, [], None)
