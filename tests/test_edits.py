"""Every edit applies and reverts to the identical plan; a refused edit changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portplan.edits import (
    AddProject,
    AddTier,
    Edit,
    EditError,
    EditFolders,
    EditProject,
    EditService,
    EditTier,
    History,
    MoveService,
    Rebase,
    ReleaseService,
    RemoveProject,
    RemoveTier,
    ReserveService,
)
from portplan.model import Plan, PortRange, Project, Service, ServiceRef, Tier
from portplan.store import dumps, load, loads

REFERENCE_PLAN = Path(__file__).resolve().parents[1] / "data" / "ports.toml"
NEURO = "NEURECTOMY"
AIML = "AI/ML Services"
OLLAMA = ServiceRef(NEURO, AIML, "Ollama")
REDIS = ServiceRef(NEURO, "Cache & Messaging", "Redis")


@pytest.fixture(scope="module")
def reference() -> Plan:
    return load(REFERENCE_PLAN)


@pytest.fixture
def plan(reference: Plan) -> Plan:
    return reference.model_copy(deep=True)


def service_of(plan: Plan, ref: ServiceRef) -> Service:
    return ref.resolve(plan)[2]


def assert_round_trip(plan: Plan, edit: Edit, changed: Callable[[Plan], bool]) -> None:
    """Apply: the plan changes as `changed` says and stays valid; revert: identical text;
    apply again (redo): the same result as the first time."""
    before = dumps(plan)
    edit.apply(plan)
    after = dumps(plan)
    assert after != before
    assert changed(plan)
    assert dumps(loads(after)) == after  # the edited plan is still a valid file
    edit.revert(plan)
    assert dumps(plan) == before
    edit.apply(plan)
    assert dumps(plan) == after
    edit.revert(plan)
    assert dumps(plan) == before


def assert_refused(plan: Plan, edit: Edit, match: str) -> None:
    before = dumps(plan)
    with pytest.raises(EditError, match=match):
        edit.apply(plan)
    assert dumps(plan) == before


# --- services ---------------------------------------------------------------------------


def test_reserve_service(plan: Plan) -> None:
    edit = ReserveService(NEURO, AIML, Service(port=16605, name="Qdrant", protocol="udp"))
    ref = ServiceRef(NEURO, AIML, "Qdrant")

    def changed(p: Plan) -> bool:
        tier = ref.resolve(p)[1]
        ports = [s.port for s in tier.services]
        return service_of(p, ref).protocol == "udp" and ports == sorted(ports)

    assert_round_trip(plan, edit, changed)
    assert "16605" in edit.label and "Qdrant" in edit.label


def test_reserved_service_is_a_copy(plan: Plan) -> None:
    given_service = Service(port=16605, name="Qdrant")
    ReserveService(NEURO, AIML, given_service).apply(plan)
    service_of(plan, ServiceRef(NEURO, AIML, "Qdrant")).port = 16606
    assert given_service.port == 16605


@pytest.mark.parametrize(
    ("edit", "match"),
    [
        (ReserveService(NEURO, AIML, Service(port=16605, name="Ollama")), "already"),
        (ReserveService(NEURO, AIML, Service.model_construct(port=16605, name=" ")), "empty"),
        (ReserveService(NEURO, "Nope", Service(port=16605, name="x")), "no tier"),
        (ReserveService("Nope", AIML, Service(port=16605, name="x")), "no project"),
        (ReserveService(NEURO, AIML, Service.model_construct(port=0, name="x")), "not a port"),
        (ReserveService(NEURO, AIML, Service.model_construct(port=70000, name="x")), "not a port"),
    ],
)
def test_reserve_service_refused(plan: Plan, edit: Edit, match: str) -> None:
    assert_refused(plan, edit, match)


def test_release_service(plan: Plan) -> None:
    edit = ReleaseService(OLLAMA)

    def changed(p: Plan) -> bool:
        with pytest.raises(KeyError):
            OLLAMA.resolve(p)
        return True

    assert_round_trip(plan, edit, changed)
    assert "16600" in edit.label


def test_release_unknown_service_refused(plan: Plan) -> None:
    assert_refused(plan, ReleaseService(ServiceRef(NEURO, AIML, "Nope")), "no service")


def test_move_service_to_a_new_port(plan: Plan) -> None:
    edit = MoveService(OLLAMA, 16699)

    def changed(p: Plan) -> bool:
        tier = OLLAMA.resolve(p)[1]
        return service_of(p, OLLAMA).port == 16699 and tier.services[-1].name == "Ollama"

    assert_round_trip(plan, edit, changed)


def test_move_service_to_another_tier_and_project(plan: Plan) -> None:
    edit = MoveService(OLLAMA, 26450, to_project="Ryot LLM", to_tier="Observability")
    moved = ServiceRef("Ryot LLM", "Observability", "Ollama")
    assert_round_trip(plan, edit, lambda p: service_of(p, moved).port == 26450)
    assert "Ryot LLM/Observability" in edit.label


@pytest.mark.parametrize(
    ("edit", "match"),
    [
        (MoveService(OLLAMA, 0), "not a port"),
        (MoveService(OLLAMA, 65536), "not a port"),
        (MoveService(OLLAMA, 16000, to_tier="Nope"), "no tier"),
        (MoveService(OLLAMA, 16000, to_project="Nope"), "no project"),
        # Ryot LLM's Infrastructure already has an "Ollama".
        (MoveService(OLLAMA, 46601, "Ryot LLM", "Infrastructure"), "already"),
        (MoveService(ServiceRef(NEURO, AIML, "Nope"), 16601), "no service"),
    ],
)
def test_move_service_refused(plan: Plan, edit: Edit, match: str) -> None:
    assert_refused(plan, edit, match)


def test_edit_service(plan: Plan) -> None:
    edit = EditService(OLLAMA, "Ollama 2", "Bigger models", "udp")
    renamed = ServiceRef(NEURO, AIML, "Ollama 2")

    def changed(p: Plan) -> bool:
        service = service_of(p, renamed)
        return (service.description, service.protocol) == ("Bigger models", "udp")

    assert_round_trip(plan, edit, changed)
    assert "rename" in edit.label


def test_edit_service_description_only(plan: Plan) -> None:
    edit = EditService(OLLAMA, "Ollama", "New words")
    assert_round_trip(plan, edit, lambda p: service_of(p, OLLAMA).description == "New words")


@pytest.mark.parametrize(
    ("edit", "match"),
    [
        (EditService(OLLAMA, "MLflow", ""), "already"),
        (EditService(OLLAMA, "", ""), "empty"),
        (EditService(OLLAMA, "Ollama", "", "sctp"), "protocol"),
        (EditService(OLLAMA, "Other", "", "sctp"), "protocol"),
    ],
)
def test_edit_service_refused(plan: Plan, edit: Edit, match: str) -> None:
    assert_refused(plan, edit, match)


# --- a project's folders ------------------------------------------------------------------


def test_edit_folders(plan: Plan) -> None:
    edit = EditFolders(NEURO, ["services/api", "apps/web"])
    assert_round_trip(plan, edit, lambda p: p.project(NEURO).paths == ["services/api", "apps/web"])
    assert "services/api" in edit.label


@pytest.mark.parametrize(
    ("edit", "match"),
    [
        (EditFolders(NEURO, ["api", "api"]), "twice"),
        (EditFolders(NEURO, ["api", "  "]), "blank"),
        (EditFolders("Nope", ["api"]), "no project"),
    ],
)
def test_edit_folders_refused(plan: Plan, edit: Edit, match: str) -> None:
    assert_refused(plan, edit, match)


# --- tiers ------------------------------------------------------------------------------


def test_add_tier(plan: Plan) -> None:
    edit = AddTier(NEURO, Tier(name="Edge", ports=PortRange(16700, 16799)))
    assert_round_trip(
        plan, edit, lambda p: p.project(NEURO).tiers[-1].ports == PortRange(16700, 16799)
    )


@pytest.mark.parametrize(
    ("edit", "match"),
    [
        (AddTier(NEURO, Tier(name=AIML, ports=PortRange(16700, 16799))), "already"),
        (AddTier(NEURO, Tier.model_construct(name="", ports=PortRange(16700, 16799))), "empty"),
        (AddTier("Nope", Tier(name="Edge", ports=PortRange(16700, 16799))), "no project"),
    ],
)
def test_add_tier_refused(plan: Plan, edit: Edit, match: str) -> None:
    assert_refused(plan, edit, match)


def test_remove_tier(plan: Plan) -> None:
    edit = RemoveTier(NEURO, AIML)
    assert_round_trip(plan, edit, lambda p: AIML not in [t.name for t in p.project(NEURO).tiers])


def test_remove_unknown_tier_refused(plan: Plan) -> None:
    assert_refused(plan, RemoveTier(NEURO, "Nope"), "no tier")


def test_edit_tier(plan: Plan) -> None:
    edit = EditTier(NEURO, AIML, "ML", "Models", PortRange(16600, 16649))
    assert_round_trip(
        plan, edit, lambda p: [t.ports for t in p.project(NEURO).tiers if t.name == "ML"]
        == [PortRange(16600, 16649)]
    )  # fmt: skip


@pytest.mark.parametrize(
    ("edit", "match"),
    [
        (EditTier(NEURO, AIML, "Databases", "", PortRange(16600, 16699)), "already"),
        (EditTier(NEURO, AIML, " ", "", PortRange(16600, 16699)), "empty"),
        (EditTier(NEURO, "Nope", "X", "", PortRange(16600, 16699)), "no tier"),
        (EditTier(NEURO, AIML, AIML, "", PortRange(16699, 16600)), "reversed"),
        (EditTier(NEURO, AIML, AIML, "", PortRange(16600, 70000)), "not a port"),
    ],
)
def test_edit_tier_refused(plan: Plan, edit: Edit, match: str) -> None:
    assert_refused(plan, edit, match)


# --- projects ---------------------------------------------------------------------------


def test_add_project(plan: Plan) -> None:
    edit = AddProject(Project(name="New", ports=PortRange(56000, 56999)))
    assert_round_trip(plan, edit, lambda p: p.project("New").ports == PortRange(56000, 56999))


def test_add_project_refused(plan: Plan) -> None:
    assert_refused(plan, AddProject(Project(name=NEURO, ports=PortRange(1, 2))), "already")
    assert_refused(
        plan, AddProject(Project.model_construct(name="", ports=PortRange(1, 2))), "empty"
    )


def test_remove_project(plan: Plan) -> None:
    edit = RemoveProject("Ryot LLM")
    assert_round_trip(plan, edit, lambda p: "Ryot LLM" not in [x.name for x in p.projects])


def test_remove_unknown_project_refused(plan: Plan) -> None:
    assert_refused(plan, RemoveProject("Nope"), "no project")


def test_edit_project(plan: Plan) -> None:
    edit = EditProject(NEURO, "NEURO", "Renamed", PortRange(16000, 17999))
    assert_round_trip(plan, edit, lambda p: p.project("NEURO").ports == PortRange(16000, 17999))


@pytest.mark.parametrize(
    ("edit", "match"),
    [
        (EditProject(NEURO, "Ryot LLM", "", PortRange(16000, 16999)), "already"),
        (EditProject(NEURO, "", "", PortRange(16000, 16999)), "empty"),
        (EditProject("Nope", "X", "", PortRange(16000, 16999)), "no project"),
        (EditProject(NEURO, NEURO, "", PortRange(16999, 16000)), "reversed"),
        (EditProject(NEURO, NEURO, "", PortRange(16000, 65536)), "not a port"),
    ],
)
def test_edit_project_refused(plan: Plan, edit: Edit, match: str) -> None:
    assert_refused(plan, edit, match)


# --- rebase -----------------------------------------------------------------------------


def test_rebase_project_keeps_every_offset(plan: Plan) -> None:
    before = [(t.ports.start, [s.port for s in t.services]) for t in plan.project(NEURO).tiers]
    edit = Rebase(NEURO, 56000)

    def changed(p: Plan) -> bool:
        project = p.project(NEURO)
        after = [(t.ports.start - 40000, [s.port - 40000 for s in t.services])
                 for t in project.tiers]  # fmt: skip
        return project.ports == PortRange(56000, 56999) and after == before

    assert_round_trip(plan, edit, changed)


def test_rebase_one_tier(plan: Plan) -> None:
    edit = Rebase(NEURO, 16700, tier=AIML)

    def changed(p: Plan) -> bool:
        tier = OLLAMA.resolve(p)[1]
        others = [t.ports for t in p.project(NEURO).tiers if t.name != AIML]
        return (
            tier.ports == PortRange(16700, 16799)
            and service_of(p, OLLAMA).port == 16700
            and p.project(NEURO).ports == PortRange(16000, 16999)
            and PortRange(16600, 16699) not in others
        )

    assert_round_trip(plan, edit, changed)


@pytest.mark.parametrize(
    ("edit", "match"),
    [
        (Rebase(NEURO, 65000), "outside"),
        (Rebase(NEURO, 65535, tier=AIML), "outside"),
        (Rebase(NEURO, 0), "outside"),
        (Rebase("Nope", 1000), "no project"),
        (Rebase(NEURO, 1000, tier="Nope"), "no tier"),
    ],
)
def test_rebase_refused(plan: Plan, edit: Edit, match: str) -> None:
    assert_refused(plan, edit, match)


# --- history ----------------------------------------------------------------------------


def test_history_undo_redo(plan: Plan) -> None:
    history = History(plan)
    texts = [dumps(plan)]
    edits: list[Edit] = [
        ReserveService(NEURO, AIML, Service(port=16605, name="Qdrant")),
        MoveService(ServiceRef(NEURO, AIML, "Qdrant"), 16606),
        RemoveTier(NEURO, "Databases"),
        Rebase(NEURO, 56000),
    ]
    for edit in edits:
        history.do(edit)
        texts.append(dumps(plan))
    assert len(set(texts)) == len(texts)
    for expected in reversed(texts[:-1]):
        assert history.undo() is not None
        assert dumps(plan) == expected
    assert history.undo() is None
    for edit, expected in zip(edits, texts[1:], strict=True):
        assert history.redo() is edit
        assert dumps(plan) == expected
    assert history.redo() is None


def test_a_new_edit_clears_redo(plan: Plan) -> None:
    history = History(plan)
    history.do(ReleaseService(OLLAMA))
    history.undo()
    history.do(ReleaseService(REDIS))
    assert history.redo() is None
    assert history.undone == []


def test_a_refused_edit_is_not_recorded(plan: Plan) -> None:
    history = History(plan)
    before = dumps(plan)
    with pytest.raises(EditError):
        history.do(MoveService(OLLAMA, 0))
    assert history.done == [] and dumps(plan) == before


# --- a random sequence of edits, then undo of all ---------------------------------------


def draw_edit(data: st.DataObject, plan: Plan) -> Edit:
    """Any edit, aimed at the plan as it now is; some will be refused, on purpose."""
    projects = [p.name for p in plan.projects] + ["Nope"]
    project_name = data.draw(st.sampled_from(projects))
    project = next((p for p in plan.projects if p.name == project_name), None)
    tiers = [t.name for t in project.tiers] if project else []
    tier_name = data.draw(st.sampled_from([*tiers, "Nope"]))
    tier = next((t for t in project.tiers if t.name == tier_name), None) if project else None
    names = [s.name for s in tier.services] if tier else []
    ref = ServiceRef(project_name, tier_name, data.draw(st.sampled_from([*names, "Nope"])))
    port = data.draw(st.integers(16000, 16999) | st.sampled_from([0, 65535, 70000]))
    name = data.draw(st.sampled_from(["Ollama", "Redis", "New", "", "Grafana"]))
    start = data.draw(st.integers(1, 66000))
    ports = PortRange(start, start + data.draw(st.integers(-5, 500)))
    other_project = data.draw(st.sampled_from(projects))
    choices: list[Callable[[], Edit]] = [
        lambda: ReserveService(project_name, tier_name, Service.model_construct(
            port=port, name=name, description="", protocol="tcp")),
        lambda: ReleaseService(ref),
        lambda: MoveService(ref, port),
        lambda: MoveService(ref, port, other_project, tier_name),
        lambda: EditService(ref, name, "changed", data.draw(st.sampled_from([None, "udp"]))),
        lambda: AddTier(project_name, Tier.model_construct(
            name=name, ports=ports, description="", services=[])),
        lambda: RemoveTier(project_name, tier_name),
        lambda: EditTier(project_name, tier_name, name, "changed", ports),
        lambda: AddProject(Project.model_construct(
            name=name, ports=ports, description="", paths=[], tiers=[])),
        lambda: RemoveProject(project_name),
        lambda: EditProject(project_name, name, "changed", ports),
        lambda: EditFolders(project_name, data.draw(st.lists(st.sampled_from(["api", "web", ""])))),
        lambda: Rebase(project_name, start),
        lambda: Rebase(project_name, start, tier=tier_name),
    ]  # fmt: skip
    return data.draw(st.sampled_from(choices))()


@given(st.data())
def test_random_edits_then_undo_all_give_back_the_original(
    reference: Plan, data: st.DataObject
) -> None:
    plan = reference.model_copy(deep=True)
    original = dumps(plan)
    history = History(plan)
    states = [original]
    for _ in range(data.draw(st.integers(1, 12))):
        edit = draw_edit(data, plan)
        before = dumps(plan)
        try:
            history.do(edit)
        except EditError:
            assert dumps(plan) == before  # refused: nothing changed
            continue
        text = dumps(plan)
        assert dumps(loads(text)) == text  # every accepted edit leaves a valid plan
        states.append(text)
    while history.undo() is not None:
        pass
    assert dumps(plan) == original
    while history.redo() is not None:
        pass
    assert dumps(plan) == states[-1]


def test_models_re_check_a_port_range_object() -> None:
    # The dialogs build PortRange objects; a bad one must not slip into the model unchecked.
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="reversed"):
        Tier(name="x", ports=PortRange(200, 100))
    with pytest.raises(ValidationError, match="not a port"):
        Project(name="x", ports=PortRange(1, 70000))
    assert Tier(name="x", ports=PortRange(5, 5)).ports == PortRange(5, 5)
