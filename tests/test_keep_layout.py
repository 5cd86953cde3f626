"""A save keeps the user's text: only the lines of what changed change.

The property decorates the canonical text of a generated plan with comments, blank lines,
trailing comments, 'literal' quotes, aligned `=` and CRLF line endings, applies a random
sequence of edits in memory, saves, and checks that the file reads back as the edited plan
and that every line of an element the edits did not change is still there, byte for byte.
"""

from __future__ import annotations

import difflib
from collections import Counter
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from portplan.edits import (
    AddProject,
    AddTier,
    Edit,
    EditProject,
    EditService,
    EditTier,
    MoveService,
    Rebase,
    ReleaseService,
    RemoveProject,
    RemoveTier,
    ReserveService,
)
from portplan.model import Plan, PortRange, Project, Service, ServiceRef, Tier
from portplan.session import Session
from portplan.store import dumps, loads, read_text, save, text_to_save
from tests import plan_strategies as ps

COMMENTED = """\
# Ports of every project on this machine: ask #infra before changing.
title = "Ports"   # the document's title
version = '2.0'

[[projects]]
name = "NEURECTOMY"  # ask #infra before changing
ports = "16000-16999"

# The front end.
[[projects.tiers]]
name    = "Application Tier"
ports   = "16000-16099"
services = [
    { port = 16000, name = "Spectrum Workspace", description = "Frontend" },  # public
    { port = 16001, name = 'Desktop App', description = 'Tauri dev server' },
    # keep 16005 free for the demo
    { port = 16010, name = "GraphQL Playground" },
]

[[projects.tiers]]
name = "Databases"
ports = "16400-16499"
services = [{ port = 16432, name = "PostgreSQL" }, { port = 16433, name = "TimescaleDB" }]
"""


def _lines(text: str) -> list[str]:
    """Lines with their endings, split at newlines only (a name may hold U+2028)."""
    parts = text.split("\n")
    return [part + "\n" for part in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def _changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    removed, added = [], []
    matcher = difflib.SequenceMatcher(None, _lines(before), _lines(after), autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            removed += matcher.a[i1:i2]
            added += matcher.b[j1:j2]
    return removed, added


def _edited(text: str, *edits: Edit) -> tuple[str, str | None]:
    plan = loads(text)
    original = loads(text)
    for edit in edits:
        edit.apply(plan)
    saved = text_to_save(plan, (text, original))
    assert loads(saved.text) == plan
    return saved.text, saved.note


APP = "Application Tier"


def test_moving_a_service_within_its_neighbours_is_a_one_line_diff() -> None:
    text, note = _edited(
        COMMENTED, MoveService(ServiceRef("NEURECTOMY", APP, "Desktop App"), 16002)
    )
    assert note is None
    assert _changed_lines(COMMENTED, text) == (
        ["    { port = 16001, name = 'Desktop App', description = 'Tauri dev server' },\n"],
        ["    { port = 16002, name = 'Desktop App', description = 'Tauri dev server' },\n"],
    )


def test_a_service_moved_past_others_keeps_its_line_and_comment() -> None:
    ref = ServiceRef("NEURECTOMY", APP, "Spectrum Workspace")
    text, note = _edited(COMMENTED, MoveService(ref, 16020))
    assert note is None
    line = '{ port = 16020, name = "Spectrum Workspace", description = "Frontend" },  # public\n'
    assert _changed_lines(COMMENTED, text) == (
        ["    " + line.replace("16020", "16000")],
        ["    " + line],
    )
    assert text.index(line) > text.index("GraphQL Playground")


def test_adding_a_service_is_one_added_line_in_port_order() -> None:
    service = Service(port=16005, name="Demo", description="the demo")
    text, note = _edited(COMMENTED, ReserveService("NEURECTOMY", APP, service))
    assert note is None
    removed, added = _changed_lines(COMMENTED, text)
    assert removed == []
    assert added == ['    { port = 16005, name = "Demo", description = "the demo" },\n']
    assert text.index("16005") < text.index("# keep 16005 free")


def test_removing_a_service_is_one_removed_line() -> None:
    text, note = _edited(COMMENTED, ReleaseService(ServiceRef("NEURECTOMY", APP, "Desktop App")))
    assert note is None
    assert _changed_lines(COMMENTED, text) == (
        ["    { port = 16001, name = 'Desktop App', description = 'Tauri dev server' },\n"],
        [],
    )


def test_a_one_line_array_takes_a_new_service_on_the_same_line() -> None:
    service = Service(port=16440, name="Redis")
    text, note = _edited(COMMENTED, ReserveService("NEURECTOMY", "Databases", service))
    assert note is None
    assert text.endswith(
        'services = [{ port = 16432, name = "PostgreSQL" }, { port = 16433, name = "TimescaleDB" }'
        ', { port = 16440, name = "Redis" }]\n'
    )


def test_renaming_keeps_literal_quotes_and_emptying_a_description_removes_the_key() -> None:
    edit = EditService(ServiceRef("NEURECTOMY", APP, "Desktop App"), "Desktop", "", "udp")
    text, note = _edited(COMMENTED, edit)
    assert note is None
    assert _changed_lines(COMMENTED, text)[1] == [
        "    { port = 16001, name = 'Desktop', protocol = \"udp\" },\n"
    ]


def test_multi_line_strings_are_kept_and_edited_around() -> None:
    text = COMMENTED.replace(
        'ports = "16000-16999"\n',
        'ports = "16000-16999"\ndescription = """\n[[not a header]]\nIDE"""\n',
    )
    service = Service(port=16005, name="Demo")
    edited, note = _edited(text, ReserveService("NEURECTOMY", APP, service))
    assert note is None
    assert _changed_lines(text, edited) == ([], ['    { port = 16005, name = "Demo" },\n'])


def test_crlf_line_endings_are_kept_in_new_lines() -> None:
    crlf = COMMENTED.replace("\n", "\r\n")
    service = Service(port=16005, name="Demo")
    text, note = _edited(crlf, ReserveService("NEURECTOMY", APP, service))
    assert note is None
    assert text.count("\r\n") == text.count("\n") == crlf.count("\n") + 1


def test_a_new_tier_and_project_are_written_canonically_after_their_siblings() -> None:
    tier = Tier(name="Cache", ports=PortRange(16500, 16599))
    project = Project(name="Ryot", ports=PortRange(18000, 18999))
    text, note = _edited(COMMENTED, AddTier("NEURECTOMY", tier), AddProject(project))
    assert note is None
    removed, added = _changed_lines(COMMENTED, text)
    assert removed == []
    assert text.startswith(COMMENTED)
    assert "".join(added) == (
        '\n[[projects.tiers]]\nname = "Cache"\nports = "16500-16599"\nservices = []\n'
        '\n[[projects]]\nname = "Ryot"\nports = "18000-18999"\n'
    )


def test_removing_a_tier_removes_its_block_and_comment_only() -> None:
    text, note = _edited(COMMENTED, RemoveTier("NEURECTOMY", APP))
    assert note is None
    assert "# The front end." not in text
    assert "# ask #infra before changing" in text
    assert text.startswith(COMMENTED[: COMMENTED.index("\n# The front end.")])


def test_a_shape_it_does_not_edit_falls_back_to_the_canonical_layout_and_says_so() -> None:
    # A key spelt with an escape is valid TOML the locator does not read back to its name.
    escaped = COMMENTED.replace('title = "Ports"', '"titl\\u0065" = "Ports"')
    plan = loads(escaped)
    assert plan.title == "Ports"
    plan.title = "Ports of this machine"
    saved = text_to_save(plan, (escaped, loads(escaped)))
    assert saved.text == dumps(plan)
    assert saved.note is not None and "own layout" in saved.note and "escaped" in saved.note


def test_a_result_that_reads_back_differently_is_not_written(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import portplan.preserve as preserve

    monkeypatch.setattr(preserve, "preserve", lambda text, old, new: text)  # drops the edit
    plan = loads(COMMENTED)
    plan.title = "changed"
    saved = text_to_save(plan, (COMMENTED, loads(COMMENTED)))
    assert saved.text == dumps(plan)
    assert saved.note is not None and "read back as a different plan" in saved.note


def test_save_without_a_layout_is_canonical(tmp_path: Path) -> None:
    plan = loads(COMMENTED)
    target = tmp_path / "new.toml"
    assert save(plan, target).note is None
    assert target.read_text() == dumps(plan)


def test_rebase_write_keeps_comments(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "ports.toml"
    path.write_text(COMMENTED)
    code, _, err = run_cli("rebase", "NEURECTOMY/Databases", "16600", str(path), "--write")
    assert code == 0, err
    removed, added = _changed_lines(COMMENTED, path.read_text())
    services = 'services = [{ port = 16432, name = "PostgreSQL" }, { port = 16433, name = "%s" }]\n'
    assert removed == ['ports = "16400-16499"\n', services % "TimescaleDB"]
    assert added == [
        'ports = "16600-16699"\n',
        (services % "TimescaleDB").replace("164", "166"),
    ]
    assert "note" not in err


def test_planner_session_saves_keep_comments_across_two_saves(tmp_path: Path) -> None:
    path = tmp_path / "ports.toml"
    path.write_text(COMMENTED)
    session = Session.open(path)
    session.apply(MoveService(ServiceRef("NEURECTOMY", APP, "Desktop App"), 16002))
    assert session.save().note is None
    session.apply(ReleaseService(ServiceRef("NEURECTOMY", "Databases", "PostgreSQL")))
    assert session.save().note is None
    text = path.read_text()
    assert "# keep 16005 free for the demo" in text and "  # public" in text
    assert read_text(path)[1] == session.plan
    assert (tmp_path / "ports.toml.bak").read_text() != COMMENTED  # the first save's result


# --- the property -----------------------------------------------------------------------------

PLAIN = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=6)


@st.composite
def decorated(draw: st.DrawFn, plan: Plan) -> str:
    """The plan's canonical text with comments, blanks, literal quotes and alignment added."""
    out: list[str] = []
    for number, line in enumerate(dumps(plan).split("\n")[:-1]):
        if draw(st.booleans()) and draw(st.booleans()):
            out.append(f"# note {number}")
        if not line.strip():
            out.extend([""] * draw(st.integers(0, 2)))
            continue
        if "\\" not in line and "'" not in line and draw(st.booleans()):
            line = _literal_quotes(line)
        if line[:1].isalpha() and draw(st.booleans()):
            line = line.replace(" = ", "    = ", 1)
        if draw(st.booleans()):
            line += f"  # trailing {number}"
        out.append(line)
    if draw(st.booleans()):
        # Text with triple quotes is located by a full scan rather than by its header lines.
        out.insert(0, '# see """the wiki"""')
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    return newline.join(out) + newline


def _literal_quotes(line: str) -> str:
    parts = line.split('"')
    if len(parts) % 2 == 0:
        return line
    return "".join(part if i % 2 == 0 else f"'{part}'" for i, part in enumerate(parts))


@st.composite
def an_edit(draw: st.DrawFn, plan: Plan) -> Edit:
    services = [(p.name, t.name, s) for p, t, s in plan.services()]
    tiers = [(p.name, t) for p in plan.projects for t in p.tiers]
    choices = ["project"]
    if plan.projects:
        choices += ["tier", "remove project", "edit project"]
    if tiers:
        choices += ["reserve", "remove tier", "edit tier", "rebase"]
    if services:
        choices += ["move", "release", "edit service", "move tier"] * 3
    kind = draw(st.sampled_from(choices))
    if kind in ("move", "release", "edit service", "move tier"):
        project, tier, service = draw(st.sampled_from(services))
        ref = ServiceRef(project, tier, service.name)
        if kind == "move":
            return MoveService(ref, draw(ps.ports))
        if kind == "move tier":
            to_project, to_tier = draw(st.sampled_from(tiers))
            return MoveService(ref, draw(ps.ports), to_project, to_tier.name)
        if kind == "release":
            return ReleaseService(ref)
        protocol = draw(st.sampled_from(["tcp", "udp"]))
        return EditService(ref, draw(ps.names), draw(ps.text | PLAIN), protocol)
    if kind in ("reserve", "remove tier", "edit tier", "rebase"):
        project, tier = draw(st.sampled_from(tiers))
        if kind == "reserve":
            return ReserveService(project, tier.name, draw(ps.services))
        if kind == "remove tier":
            return RemoveTier(project, tier.name)
        if kind == "rebase":
            return Rebase(project, draw(st.integers(1, 1000)), tier.name)
        return EditTier(project, tier.name, draw(ps.names), draw(ps.text), draw(ps.port_ranges()))
    if kind == "project":
        return AddProject(draw(ps.projects))
    project = draw(st.sampled_from(plan.projects))
    if kind == "tier":
        return AddTier(project.name, draw(ps.tiers))
    if kind == "remove project":
        return RemoveProject(project.name)
    return EditProject(project.name, draw(ps.names), draw(ps.text), draw(ps.port_ranges()))


def _owned_lines(text: str, plan: Plan) -> list[tuple[str, tuple[object, ...]]]:
    """Each line of `text` that belongs to one element, with that element as the plan holds
    it: the line must survive a save when its element is still there, unchanged. Comment
    lines belong to the block they stand in, or to the block whose header they stand above."""
    owned: list[tuple[str, tuple[object, ...]]] = []
    owner: tuple[object, ...] = ("root",)
    pending: list[str] = []
    projects, tiers, services = iter(plan.projects), iter(()), iter(())
    project_name = ""
    for line in _lines(text):
        stripped = line.strip()
        if stripped.startswith("# note"):
            pending.append(line)
            continue
        if stripped.startswith("[["):
            header = stripped.split("#", 1)[0].strip()
            if header == "[[projects]]":
                project = next(projects)
                project_name, tiers = project.name, iter(project.tiers)
                owner = ("project", project_name)
            elif header == "[[projects.tiers]]":
                tier = next(tiers)
                services = iter(tier.services)
                owner = ("tier", project_name, tier.name)
            else:  # a service written as a [[projects.tiers.services]] block
                owner = ("service", project_name, tier.name, next(services))
        owned += [(comment, owner) for comment in pending]
        pending = []
        if stripped.startswith("{ port ="):
            assert owner[0] == "tier"
            owned.append((line, ("service", *owner[1:], next(services))))
        elif owner[0] == "service" and stripped:
            owned.append((line, owner))
    owned += [(comment, owner) for comment in pending]
    return owned


def _still_there(owner: tuple[object, ...], plan: Plan) -> bool:
    if owner[0] == "root":
        return True
    for project in plan.projects:
        if project.name != owner[1]:
            continue
        if owner[0] == "project":
            return True
        for tier in project.tiers:
            if tier.name == owner[2]:
                return owner[0] == "tier" or any(owner[3] == s for s in tier.services)
    return False


@given(st.data())
def test_edits_saved_and_read_back_equal_the_edits_in_memory(data: st.DataObject) -> None:
    start = data.draw(ps.plans)
    text = data.draw(decorated(start))
    assert loads(text) == start
    plan = loads(text)
    for _ in range(data.draw(st.integers(1, 6))):
        edit = data.draw(an_edit(plan))
        try:
            edit.apply(plan)
        except ValueError:
            continue  # an edit the planner refuses (a taken name, a bad port) changes nothing
    saved = text_to_save(plan, (text, loads(text)))
    assert saved.note is None
    assert loads(saved.text) == plan
    required = Counter(
        line for line, owner in _owned_lines(text, start) if _still_there(owner, plan)
    )
    left = Counter(_lines(saved.text))
    lost = required - left
    assert not lost, f"untouched lines lost: {list(lost)}"


def test_a_project_moved_by_removing_and_adding_another_keeps_its_comment_and_layout() -> None:
    # [A, B] → [B, A]: B is the one carried to its new place, with the comment above it and
    # its own `tiers = []`, rather than written anew.
    text = (
        'title = "t"\n[[projects]]\nname = "A"\nports = "1"\ntiers = []\n'
        '# why B is here\n[[projects]]\nname = "B"  # kept\nports = "1"\ntiers = []\n'
    )
    plan = loads(text)
    a_project = plan.projects[0].model_copy(deep=True)
    RemoveProject(name="A").apply(plan)
    AddProject(project=a_project).apply(plan)
    saved = text_to_save(plan, (text, loads(text)))
    assert saved.note is None
    assert loads(saved.text) == plan
    assert '# why B is here\n[[projects]]\nname = "B"  # kept\nports = "1"\ntiers = []\n' in (
        saved.text
    )
