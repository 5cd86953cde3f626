"""Walking a folder: symbolic links, the size limit, and files that cannot be read."""

from __future__ import annotations

import os
from pathlib import Path

from portplan.scan.files import MAX_BYTES
from portplan.scan.scanner import Target, read_folder
from tests.scan_helpers import write

COMPOSE = "services:\n  a:\n    ports: ['{port}:80']\n"


def host_ports(folder: Path) -> list[int]:
    report = read_folder(Target(folder, "p", None))
    return sorted(port for use in report.uses if use.role == "host" for port in use.ports)


def test_symlink_to_a_file_outside_is_not_followed(tmp_path: Path) -> None:
    outside = write(tmp_path / "outside" / "docker-compose.yml", COMPOSE.format(port=16999))
    project = tmp_path / "project"
    write(project / "docker-compose.yml", COMPOSE.format(port=16001))
    os.symlink(outside, project / "docker-compose.override.yml")
    report = read_folder(Target(project, "p", None))
    assert [port for use in report.uses if use.role == "host" for port in use.ports] == [16001]
    assert [(note.level, note.place.label) for note in report.notes] == [
        ("info", "p/docker-compose.override.yml")
    ]
    assert "outside the scanned folder" in report.notes[0].message


def test_symlink_to_a_folder_outside_is_not_followed(tmp_path: Path) -> None:
    write(tmp_path / "outside" / "compose.yaml", COMPOSE.format(port=16999))
    project = tmp_path / "project"
    project.mkdir()
    os.symlink(tmp_path / "outside", project / "linked")
    report = read_folder(Target(project, "p", None))
    assert report.uses == []
    assert [note.place.label for note in report.notes] == ["p/linked"]


def test_symlink_inside_the_folder_is_read_under_its_name(tmp_path: Path) -> None:
    write(tmp_path / "deploy" / "base.yml", COMPOSE.format(port=16002))
    os.symlink(tmp_path / "deploy" / "base.yml", tmp_path / "docker-compose.yml")
    report = read_folder(Target(tmp_path, "p", None))
    assert report.files == ["p/docker-compose.yml"]  # base.yml alone is no compose file name
    assert [use.place.label for use in report.uses if use.role == "host"] == [
        "p/docker-compose.yml"
    ]


def test_file_over_one_mebibyte_is_skipped_with_a_note(tmp_path: Path) -> None:
    big = COMPOSE.format(port=16003) + "#" * MAX_BYTES + "\n"
    write(tmp_path / "docker-compose.yml", big)
    write(tmp_path / ".env", "WEB_PORT=16004\n")
    report = read_folder(Target(tmp_path, "p", None))
    assert [use.ports for use in report.uses] == [(16004,)]
    assert [(note.level, note.place.label) for note in report.notes] == [
        ("info", "p/docker-compose.yml")
    ]
    assert "1 MiB" in report.notes[0].message


def test_malformed_yaml_is_reported_and_the_scan_goes_on(tmp_path: Path) -> None:
    write(tmp_path / "a" / "docker-compose.yml", "services:\n  a:\n    ports: ['16005:80'\n")
    write(tmp_path / "b" / "k8s.yaml", "apiVersion: v1\nkind: Service\n\tspec: x\n")
    write(tmp_path / "c" / "compose.yaml", COMPOSE.format(port=16006))
    report = read_folder(Target(tmp_path, "p", None))
    assert [use.ports for use in report.uses if use.role == "host"] == [(16006,)]
    assert [(note.level, str(note.place)) for note in report.notes] == [
        ("warning", "p/a/docker-compose.yml:4"),
        ("warning", "p/b/k8s.yaml:3"),
    ]
    assert all(note.message.startswith("malformed YAML") for note in report.notes)


def test_duplicate_keys_are_malformed(tmp_path: Path) -> None:
    write(tmp_path / "compose.yml", "services:\n  a: {}\nservices:\n  b: {}\n")
    [note] = read_folder(Target(tmp_path, "p", None)).notes
    assert note.place.line == 3 and "duplicate key" in note.message


def test_template_is_skipped_quietly(tmp_path: Path) -> None:
    write(
        tmp_path / "chart" / "templates" / "svc.yaml",
        "apiVersion: v1\nkind: Service\nspec:\n  ports:\n  {{- range .Values.ports }}\n"
        "  - port: {{ . }}\n  {{- end }}\n",
    )
    report = read_folder(Target(tmp_path, "p", None))
    assert [(note.level, note.message) for note in report.notes] == [
        ("info", "a template (Helm or Go `{{ }}` actions), not plain YAML; skipped")
    ]


def test_file_that_is_not_utf8_is_reported(tmp_path: Path) -> None:
    (tmp_path / ".env").write_bytes(b"A_PORT=16001\nB=\xff\n")
    write(tmp_path / "compose.yaml", COMPOSE.format(port=16007))
    report = read_folder(Target(tmp_path, "p", None))
    assert [use.ports for use in report.uses if use.role == "host"] == [(16007,)]
    assert [(note.level, str(note.place), note.message) for note in report.notes] == [
        ("warning", "p/.env:2", "is not UTF-8 text")
    ]


def test_dependency_folders_are_left_out(tmp_path: Path) -> None:
    write(tmp_path / "node_modules" / "pkg" / "docker-compose.yml", COMPOSE.format(port=1))
    write(tmp_path / ".git" / "compose.yaml", COMPOSE.format(port=2))
    write(tmp_path / "app" / "compose.yaml", COMPOSE.format(port=16008))
    assert host_ports(tmp_path) == [16008]
