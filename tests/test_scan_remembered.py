"""What a scan remembers answers as it would answer anew.

A large scan asks the same questions many times: the plan's verdict on a port written in a
Compose file, its `.env` and a manifest; which projects hold a port; a path's absolute form
and label; a `.env` parsed as a file of its own and as the variables of the Compose files
beside it. Each remembered answer is held here to the answer computed afresh.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portplan.hazards import EphemeralRange
from portplan.model import Plan
from portplan.portfacts import PortFacts
from portplan.scan.context import FolderContext
from portplan.scan.drift import PlanPorts
from portplan.scan.envtext import read_env_text
from tests.test_properties import EPHEMERAL, SMALL_PLANS, SMALL_PORT

QUESTIONS = st.lists(
    st.tuples(
        SMALL_PORT | st.integers(0, 65535),
        st.sampled_from(["tcp", "udp"]),
        st.integers(-1, 3),  # the tied project's index; -1 for none
        st.sampled_from(["", "127.0.0.1", "::1", "0.0.0.0", "192.168.1.9"]),
    ),
    max_size=30,
)


@given(SMALL_PLANS, EPHEMERAL, QUESTIONS)
def test_remembered_verdicts_and_holders_are_the_fresh_ones(
    plan: Plan,
    ephemeral: tuple[EphemeralRange, ...],
    questions: list[tuple[int, str, int, str]],
) -> None:
    index = PlanPorts(plan, ephemeral)
    facts = PortFacts(plan, ephemeral)
    for port, protocol, which, bind in [*questions, *questions]:  # each asked twice
        tied = plan.projects[which] if 0 <= which < len(plan.projects) else None
        fresh = tuple(PlanPorts(plan, ephemeral).verdicts(port, protocol, tied, bind))
        assert index.answers(port, protocol, tied, bind) == fresh
        assert facts.projects_holding(port) == [p for p in plan.projects if port in p.ports]


def test_paths_are_absolute_and_labelled_as_computed_afresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "project"
    (root / "a").mkdir(parents=True)
    monkeypatch.chdir(tmp_path)
    context = FolderContext(Path("project"), "shown")
    paths = [
        Path("project/a/compose.yaml"),
        Path("project/./a/../a/.env"),
        Path("project"),
        Path("elsewhere/compose.yaml"),
        root / "a" / "k8s.yaml",
        tmp_path / "outside.yaml",
    ]
    for path in [*paths, *paths]:
        assert context.absolute(path) == os.path.abspath(path)
        relative = os.path.relpath(os.path.normpath(path), os.path.normpath(context.root))
        label = (
            os.path.normpath(path)
            if relative.startswith(os.pardir)
            else os.path.normpath(os.path.join("shown", relative))
        )
        assert context.label_of(path) == label


def test_a_dotenv_is_parsed_once_and_as_read_env_text_parses_it(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("A=1\nB=${A}0\nexport C='x'\n", encoding="utf-8")
    context = FolderContext(tmp_path, "p")
    text, _ = context.text(tmp_path / ".env")
    assert text is not None
    fresh = read_env_text(text)
    assert context.env_for(tmp_path) == fresh
    assert context.parsed_env(text) is context.env_for(tmp_path)
    origins = context.env_origins(tmp_path)
    assert origins == {key: (tmp_path / ".env", start) for key, start in fresh.starts.items()}
