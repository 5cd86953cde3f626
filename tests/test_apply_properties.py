"""Properties of `portplan apply` on generated Compose, `.env` and Kubernetes files: after a
random remap of a project's ports, applying it leaves no drift and changes nothing but port
digits, and applying the inverse remap gives back the original bytes."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from portplan.apply import prepare, write_all
from portplan.model import Plan
from portplan.scan import Target, scan
from portplan.store import loads

DRIFT = {"unplanned-port", "cross-project"}


def plan_text(ports: list[int]) -> str:
    services = ",\n".join(
        f'    {{ port = {port}, name = "S{index}" }}' for index, port in enumerate(ports)
    )
    return (
        'title = "generated"\n\n[[projects]]\nname = "P"\nports = "15000-16999"\n\n'
        f'[[projects.tiers]]\nname = "T"\nports = "15000-16999"\nservices = [\n{services},\n]\n'
    )


def compose_entry(kind: int, port: int, index: int, env: list[str]) -> str:
    """One `ports:` entry publishing `port`, in one of the ways Compose reads."""
    if kind == 0:
        return f'      - "{port}:{8000 + index}"'
    if kind == 1:
        return f"      - 127.0.0.1:{port}:{8000 + index}"
    if kind == 2:
        return f"      - target: {8000 + index}\n        published: {port}"
    if kind == 3:
        return f"      - target: {8000 + index}\n        published: '{port}'"
    if kind == 4:
        env.append(f"S{index}_PORT={port}")
        return f'      - "${{S{index}_PORT:-1}}:{8000 + index}"'
    return f'      - "${{S{index}_PORT:-{port}}}:{8000 + index}"  # default'


@st.composite
def projects(draw: st.DrawFn) -> tuple[list[int], list[int], dict[str, str]]:
    count = draw(st.integers(2, 6))
    old = draw(st.lists(st.integers(15000, 15999), min_size=count, max_size=count, unique=True))
    new = draw(st.lists(st.integers(16000, 16999), min_size=count, max_size=count, unique=True))
    env: list[str] = []
    entries = [
        compose_entry(draw(st.integers(0, 5)), port, index, env)
        for index, port in enumerate(old)
        if draw(st.booleans())
    ]
    urls = [f"http://localhost:{port}" for port in old if draw(st.booleans())]
    if urls:
        env.append("# origins\nCORS_ORIGINS=" + ",".join(urls))
    documents = [
        f"apiVersion: v1\nkind: Pod\nmetadata: {{name: p{index}}}\nspec:\n  containers:\n"
        f"    - name: c\n      ports:\n        - containerPort: 80\n          hostPort: {port}"
        for index, port in enumerate(old)
        if draw(st.booleans())
    ]
    files = {
        "compose.yml": "services:\n  app:  # the app\n    ports:\n" + "\n".join(entries),
        ".env": "\n".join(env),
        "k8s/pods.yaml": "\n---\n".join(documents),
    }
    ending = draw(st.sampled_from(["\n", "\r\n"]))
    final = draw(st.booleans())
    files = {
        name: (text + "\n" if final else text).replace("\n", ending)
        for name, text in files.items()
        if text
    }
    return old, new, files


def run_apply(folder: Path, plan: Plan, old: Plan) -> None:
    write_all(prepare(plan, [Target(folder, "app", "P")], old).files)


def lines(data: bytes) -> list[str]:
    return data.decode().split("\n")


@given(projects())
def test_apply_leaves_no_drift_and_changes_only_port_digits(
    project: tuple[list[int], list[int], dict[str, str]],
) -> None:
    old_ports, new_ports, files = project
    old, new = loads(plan_text(old_ports)), loads(plan_text(new_ports))
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary) / "app"
        for name, text in files.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_bytes(text.encode())
        run_apply(folder, new, old)
        report = scan(new, [Target(folder, "app", "P")])
        assert not [finding for finding in report.findings if finding.kind in DRIFT]
        for name, text in files.items():
            after = (folder / name).read_bytes()
            before_lines, after_lines = lines(text.encode()), lines(after)
            assert len(before_lines) == len(after_lines)
            for one, other in zip(before_lines, after_lines, strict=True):
                assert re.sub("[0-9]+", "#", one) == re.sub("[0-9]+", "#", other)
        run_apply(folder, old, new)  # the inverse remap
        for name, text in files.items():
            assert (folder / name).read_bytes() == text.encode(), name
