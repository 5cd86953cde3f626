"""One identity for a finding (rule kind + subjects), so a problem that moves with its service
is kept, and the planner and the command line count the same added / cleared / kept."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.style import Style

from portplan import findings as findings_module
from portplan.edits import MoveService, Rebase
from portplan.findings import Finding, FindingDelta, finding_key
from portplan.hazards import DEFAULT_EPHEMERAL
from portplan.model import ServiceRef
from portplan.session import Session
from portplan.tui.preview import render_preview


def finding(kind: str, message: str, ports: tuple[int, ...], *subjects: str) -> Finding:
    return Finding("warning", kind, message, ports, subjects)


def test_the_key_is_the_rule_and_its_subjects_in_any_order() -> None:
    a = finding("tier-overlap", "A: x and y overlap on 10-20", (10, 20), "A/x", "A/y")
    b = finding("tier-overlap", "A: y and x overlap on 30-40", (30, 40), "A/y", "A/x")
    assert finding_key(a) == finding_key(b)
    assert finding_key(a) != finding_key(finding("project-overlap", "", (10,), "A/x", "A/y"))


@given(
    st.lists(
        st.tuples(st.sampled_from(["a", "b"]), st.lists(st.sampled_from("xyz"), max_size=4)),
        max_size=40,
    )
)
def test_a_kept_key_is_the_key_of_that_very_finding(specs: list[tuple[str, list[str]]]) -> None:
    """Keys are kept by the finding's identity: whether freshly made, kept, or dropped when
    the store is full, and whatever object later takes a dropped one's id, a key is always
    the rule and the sorted subjects of the finding asked about."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(findings_module._KEYS, "held", 5)
        for kind, subjects in specs:
            made = finding(kind, "", (), *subjects)
            for _ in range(2):  # asked twice: made, then kept
                assert finding_key(made) == (kind, tuple(sorted(subjects)))
            del made  # its id is free for the next finding


def test_a_finding_that_moves_with_its_service_is_kept_not_added_and_cleared() -> None:
    old = finding("privileged-port", "A/T/s: port 80 is privileged", (80,), "A/T/s")
    new = finding("privileged-port", "A/T/s: port 81 is privileged", (81,), "A/T/s")
    gone = finding("browser-blocked-port", "A/T/t: port 6000 …", (6000,), "A/T/t")
    fresh = finding("duplicate-port", "port 81 is taken by 2 services", (81,), "A/T/s", "B/U/v")
    delta = FindingDelta.between([old, gone], [new, fresh])
    assert delta.added == (fresh,)
    assert delta.cleared == (gone,)
    assert delta.kept == (new,)
    assert delta.carried == (new,)
    assert delta.counts() == "1 added, 1 cleared, 1 kept"
    assert FindingDelta.between([old], [old]).carried == ()


def test_two_findings_of_one_key_are_counted_one_by_one() -> None:
    # A project inside both the Linux and the Windows range has two ephemeral findings of one key.
    linux = finding("ephemeral-port", "P: … Linux …", (50000,), "P/T/s")
    windows = finding("ephemeral-port", "P: … Windows/macOS …", (50000,), "P/T/s")
    delta = FindingDelta.between([linux, windows], [windows])
    assert (len(delta.added), len(delta.cleared), len(delta.kept)) == (0, 1, 1)


@pytest.fixture(autouse=True)
def _pinned(pinned_ephemeral: None) -> None:
    """The CLI reads the live ephemeral range; pin it to the default the session gets."""


def cli_delta(run_cli, plan: Path, *args: str) -> dict[str, list[tuple[str, str]]]:  # type: ignore[no-untyped-def]
    code, out, _ = run_cli("rebase", *args, str(plan), "--format", "json")
    document = json.loads(out)
    pairs = lambda items: [(item["kind"], item["message"]) for item in items]  # noqa: E731
    return {
        "added": pairs(document["findings"]),
        "cleared": pairs(document["result"]["cleared"]),
        "kept": pairs(document["result"]["kept"]),
    }


def session_delta(plan: Path, edit: Rebase) -> dict[str, list[tuple[str, str]]]:
    preview = Session.open(plan, DEFAULT_EPHEMERAL).preview(edit)
    pairs = lambda items: [(item.kind, item.message) for item in items]  # noqa: E731
    return {
        "added": pairs(preview.added),
        "cleared": pairs(preview.cleared),
        "kept": pairs(preview.kept),
    }


@pytest.mark.parametrize(
    ("target", "edit"),
    [
        ("NEURECTOMY", Rebase("NEURECTOMY", 17000)),
        ("NEURECTOMY/Databases", Rebase("NEURECTOMY", 16300, "Databases")),
        ("NEURECTOMY/API", Rebase("NEURECTOMY", 16600, "API Tier")),
    ],
)
def test_the_same_rebase_gives_the_same_lists_in_the_cli_and_the_planner(
    run_cli, reference_plan_path: Path, target: str, edit: Rebase
) -> None:
    start = str(edit.new_start)
    cli = cli_delta(run_cli, reference_plan_path, target, start)
    assert cli == session_delta(reference_plan_path, edit)
    assert cli["kept"]  # the reference plan's mistakes are kept by a rebase, not re-added


def test_rebasing_neurectomy_keeps_its_tier_overlap_as_one_finding(
    reference_plan_path: Path,
) -> None:
    # The reported bug: the planner listed the moved overlap as 1 added and 1 cleared.
    preview = Session.open(reference_plan_path, DEFAULT_EPHEMERAL).preview(
        Rebase("NEURECTOMY", 17000)
    )
    assert preview.added == () and preview.cleared == ()
    (moved,) = preview.delta.carried
    assert moved.kind == "tier-overlap" and "17080-17099" in moved.message
    palette = defaultdict(Style)
    rendered = render_preview(preview, palette)
    text = f"{rendered.lines.plain}\n{rendered.counts.plain}"
    assert rendered.adds is None
    assert "✓ no new findings" in text and "kept, moves along" in text and "17080" in text


def test_a_region_preview_keeps_the_rest_of_the_plan_too(reference_plan_path: Path) -> None:
    # A move re-runs the rules on the touched projects only; kept still counts the whole plan.
    session = Session.open(reference_plan_path, DEFAULT_EPHEMERAL)
    ref = ServiceRef("NEURECTOMY", "Databases", "PostgreSQL")
    edit = MoveService(ref, 16440)
    preview = session.preview(edit, 16440, moving=str(ref))
    assert len(preview.kept) + len(preview.cleared) == len(session.findings)
    session.apply(edit)
    # What the preview said the plan would have is what the edit gave it.
    assert sorted(session.findings, key=Finding.sort_key) == sorted(
        [*preview.kept, *preview.added], key=Finding.sort_key
    )


def test_diff_and_the_change_panel_count_the_same_rebase_alike(
    run_cli, reference_plan_path: Path, tmp_path: Path
) -> None:
    edit = Rebase("NEURECTOMY", 17000)
    expected = session_delta(reference_plan_path, edit)
    after = tmp_path / "after.toml"
    after.write_bytes(reference_plan_path.read_bytes())
    assert run_cli("rebase", "NEURECTOMY", "17000", str(after), "--write")[0] == 0
    code, out, _ = run_cli("diff", str(reference_plan_path), str(after), "--format", "json")
    findings = json.loads(out)["result"]["findings"]
    pairs = lambda items: [(item["kind"], item["message"]) for item in items]  # noqa: E731
    assert {key: pairs(items) for key, items in findings.items()} == expected
    # The change panel (key c) after the same edit in the planner.
    session = Session.open(reference_plan_path, DEFAULT_EPHEMERAL)
    session.apply(edit)
    since = session.findings_since_loading()
    assert [(f.kind, f.message) for f in since.kept] == expected["kept"]
    assert (since.added, since.cleared) == ((), ())
    code, text, _ = run_cli("diff", str(reference_plan_path), str(after))
    assert f"findings: {since.counts()}" in text


def test_a_key_copies_and_pickles_as_itself() -> None:
    import copy
    import pickle

    key = finding_key(finding("project-overlap", "", (10,), "A/y", "A/x"))
    for again in (copy.copy(key), copy.deepcopy(key), pickle.loads(pickle.dumps(key))):
        assert again == key == ("project-overlap", ("A/x", "A/y"))
        assert hash(again) == hash(key) == hash(("project-overlap", ("A/x", "A/y")))
