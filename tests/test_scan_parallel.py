"""A scan that reads its folders in several processes reports exactly what one process does.

`read_folders` forks workers for a large scan (`portplan scan` passes the machine's cores);
the reports must come back whole and in the order of the targets, notes, spans and all, and a
scan built on them must find the same drift. The tree mixes every kind of file, a `.env`
feeding Compose, a malformed file, a link out of its folder and a folder that is missing.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from portplan.scan import Target, scan, scanner
from portplan.scan.scanner import read_folder, read_folders
from tests.scan_helpers import plan, write

COMPOSE = """\
services:
  web:
    ports:
      - "{port}:80"
      - "127.0.0.1:${{API_PORT:-{api}}}:8080"
  db:
    env_file: .env
    ports:
      - target: 5432
        published: "${{DB_PORT}}"
"""
MANIFEST = """\
apiVersion: v1
kind: Service
metadata: {{name: s{n}}}
spec:
  type: NodePort
  ports: [{{port: 80, nodePort: {node}}}]
"""


def tree(root: Path) -> list[Target]:
    targets = []
    for n in range(6):
        folder = root / f"f{n}"
        port = 16000 + n * 3
        write(folder / "compose.yaml", COMPOSE.format(port=port, api=port + 1))
        write(folder / ".env", f"DB_PORT={port + 2}\nAPI_URL=http://localhost:{port + 1}\n")
        write(folder / "k8s" / "svc.yaml", MANIFEST.format(n=n, node=30000 + n))
        if n == 2:
            write(folder / "docker-compose.yml", "services: [broken\n")
        if n == 4:
            write(root / "outside.env", "X_PORT=1\n")
            os.symlink(root / "outside.env", folder / "linked.env")
        targets.append(Target(folder, f"f{n}", "ALPHA" if n % 2 else "BETA"))
    targets.insert(3, Target(root / "missing", "missing", "ALPHA"))
    return targets


def test_reports_from_workers_are_the_reports_read_here(tmp_path: Path) -> None:
    targets = tree(tmp_path)
    alone = [read_folder(target) for target in targets]
    # repr, not ==: a use's spans (what `apply` edits) are left out of its equality.
    assert repr(read_folders(targets, workers=2, min_files=0)) == repr(alone)
    assert repr(read_folders(targets, workers=1, min_files=0)) == repr(alone)
    assert any(folder.notes for folder in alone) and any(folder.uses for folder in alone)


def test_a_scan_in_workers_finds_the_same_drift(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(scanner, "PARALLEL_FILES", 0)
    targets = tree(tmp_path)
    here, there = scan(plan(), targets), scan(plan(), targets, workers=2)
    assert repr(there.folders) == repr(here.folders)
    assert there.findings == here.findings and here.findings
