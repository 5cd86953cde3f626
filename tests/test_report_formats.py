"""`--format json|github|sarif`: the envelope, annotations on the right lines, valid SARIF."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft4Validator

from portplan.cli import main
from portplan.report.github import escape_data, escape_property
from tests.scan_helpers import PLAN_TEXT, write

SARIF_SCHEMA = json.loads(
    (Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8")
)
ANNOTATION = re.compile(r"^::(error|warning|notice) (?P<props>[^:]*)::(?P<message>.*)$")


@pytest.fixture(autouse=True)
def _pinned(pinned_ephemeral: None) -> None:
    """Findings must not depend on this machine's ephemeral port range."""


def unescape_property(text: str) -> str:
    # The runner's order (ActionCommand.cs): the escape character itself last.
    for escaped, raw in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(escaped, raw)
    return text


def parse_annotation(line: str) -> tuple[str, dict[str, str], str]:
    match = ANNOTATION.match(line)
    assert match, line
    props = dict(part.split("=", 1) for part in match["props"].split(","))
    return (
        match[1],
        {key: unescape_property(value) for key, value in props.items()},
        match["message"],
    )


@given(st.text())
def test_escaped_text_reads_back_and_never_breaks_the_command(text: str) -> None:
    for escaped in (escape_property(text), escape_data(text)):
        assert "\n" not in escaped and "\r" not in escaped
        assert unescape_property(escaped) == text
    assert ":" not in escape_property(text) and "," not in escape_property(text)


def test_escaping_matches_the_runner_examples() -> None:
    assert escape_data("100%\r\nnext: a, b") == "100%25%0D%0Anext: a, b"
    assert escape_property("a:b,c%") == "a%3Ab%2Cc%25"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_github_annotations_point_at_each_subjects_line(
    reference_plan_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "check", str(reference_plan_path), "--format", "github")
    assert code == 1 and err.startswith("portplan check")
    lines = reference_plan_path.read_text(encoding="utf-8").splitlines()
    annotations = [parse_annotation(line) for line in out.splitlines()]
    assert len(annotations) == 17
    for level, props, message in annotations:
        assert props["file"] == str(reference_plan_path)
        assert re.fullmatch(r"portplan/PP1\d\d [a-z-]+", props["title"])
        text = lines[int(props["line"]) - 1]
        column = int(props["col"])
        kind = props["title"].split()[-1]
        if kind in ("service-outside-tier", "browser-blocked-port", "ephemeral-port"):
            # A service's own line: `{ port = N, name = "…" }` with the column on `port`.
            service = message.split(":")[0].rsplit("/", 1)[-1]
            assert text[column - 1 :].startswith("port =")
            if kind != "ephemeral-port":
                assert f'name = "{service}"' in text, (message, text)
        else:
            assert kind == "tier-overlap" and level == "warning"
            assert text[column - 1 :].startswith("ports = ")
    redis = [a for a in annotations if a[2].startswith("DOPPELGANGER-STUDIO/Infrastructure/Redis")]
    assert redis[0][1]["line"] == "231" and redis[0][0] == "error"


def test_a_name_with_a_comma_and_colon_is_escaped_in_the_title_and_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = tmp_path / "a,b:c.toml"
    plan.write_text(
        'title = "t"\n[[projects]]\nname = "A/B: x"\nports = "20000-20010"\n'
        '[[projects.tiers]]\nname = "T"\nports = "20000-20010"\nservices = [\n'
        '    { port = 20000, name = "one" },\n    { port = 20000, name = "two" },\n]\n',
        encoding="utf-8",
    )
    code, out, _ = run(capsys, "check", str(plan), "--format", "github")
    [(level, props, message)] = [parse_annotation(line) for line in out.splitlines()]
    assert (code, level, props["file"], props["line"]) == (1, "error", str(plan), "9")
    assert "A/B: x/T/one" in message


def test_sarif_validates_and_matches_the_json_report(
    reference_plan_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "check", str(reference_plan_path), "--format", "sarif")
    log = json.loads(out)
    Draft4Validator(SARIF_SCHEMA).validate(log)
    assert log["$schema"].endswith("sarif-schema-2.1.0.json") and log["version"] == "2.1.0"
    [run_] = log["runs"]
    rules = run_["tool"]["driver"]["rules"]
    assert len({rule["id"] for rule in rules}) == len(rules)
    for rule in rules:
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert rule["help"]["text"]
    _, out, _ = run(capsys, "check", str(reference_plan_path), "--format", "json")
    findings = json.loads(out)["findings"]
    assert len(run_["results"]) == len(findings) == 17
    for result, finding in zip(run_["results"], findings, strict=True):
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"] == finding["rule"]
        assert result["message"]["text"] == finding["message"]
        [location] = result["locations"]
        physical = location["physicalLocation"]
        assert physical["region"]["startLine"] == finding["line"]
        assert physical["artifactLocation"]["uri"] == reference_plan_path.as_uri()
    assert {"error", "warning"} == {result["level"] for result in run_["results"]}


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("PORTPLAN_FILE", raising=False)
    write(tmp_path / "plan.toml", PLAN_TEXT)
    write(
        tmp_path / "alpha" / "docker-compose.yml",
        "services:\n  web:\n    ports:\n      - '16000:3000'\n      - '26000:80'\n",
    )
    write(tmp_path / "alpha" / ".env", "BROKEN\n\x00\n")
    return tmp_path


def test_scan_annotations_point_at_the_compose_line_and_the_plan(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "scan", "--plan", "plan.toml", "--format", "github")
    assert code == 1 and err.startswith("portplan scan (plan.toml)")
    annotations = [parse_annotation(line) for line in out.splitlines()]
    by_kind = {props["title"].split()[-1]: (level, props) for level, props, _ in annotations}
    level, props = by_kind["cross-project"]
    assert (level, props["file"], props["line"], props["title"]) == (
        "error",
        "alpha/docker-compose.yml",
        "5",
        "portplan/PP202 cross-project",
    )
    # A planned service that no file mentions points at its line in the plan.
    level, props = by_kind["missing-service"]
    plan_lines = (workspace / "plan.toml").read_text(encoding="utf-8").splitlines()
    assert level == "notice" and props["file"] == "plan.toml"
    assert "port = 16" in plan_lines[int(props["line"]) - 1]


def test_scan_sarif_validates(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "scan", "--plan", "plan.toml", "--format", "sarif")
    log = json.loads(out)
    Draft4Validator(SARIF_SCHEMA).validate(log)
    uris = {
        result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for result in log["runs"][0]["results"]
    }
    assert {"alpha/docker-compose.yml", "plan.toml"} <= uris


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "plan.toml"],
        ["where", "16000", "plan.toml"],
        ["next", "ALPHA/Web", "plan.toml"],
        ["rebase", "BETA", "27000", "plan.toml"],
        ["scan", "--plan", "plan.toml"],
        ["diff", "plan.toml", "plan.toml"],
    ],
)
def test_every_command_prints_the_same_envelope(
    workspace: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    _, out, _ = run(capsys, *argv, "--format", "json")
    document = json.loads(out)
    assert list(document) == [
        "schema_version",
        "tool",
        "command",
        "plan",
        "summary",
        "findings",
        "result",
    ]
    assert (document["schema_version"], document["tool"], document["command"]) == (
        1,
        "portplan",
        argv[0],
    )
    assert set(document["summary"]) == {"error", "warning", "info", "accepted"}
    assert isinstance(document["result"], dict)


def test_where_and_next_results(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "where", "16000", "plan.toml", "--format", "json")
    owners = json.loads(out)["result"]["owners"]
    assert code == 0
    assert owners[0] == {
        "role": "service",
        "subject": "ALPHA/Web/Frontend",
        "protocol": "tcp",
        "description": "",
    }
    assert {"role": "project", "subject": "ALPHA", "ports": "16000-16999"} in owners
    code, out, _ = run(capsys, "where", "40000", "plan.toml", "--format", "json")
    assert code == 1 and json.loads(out)["result"]["owners"] == []
    code, out, _ = run(capsys, "next", "ALPHA/Web", "-n", "2", "plan.toml", "--format", "json")
    assert code == 0
    assert json.loads(out)["result"] == {
        "scope": "ALPHA/Web",
        "wanted": 2,
        "ports": [16001, 16002],
        "blocked": [],
        "passed_over": {"taken": 0, "reserved": 0, "other-project": 0},
        "in_no_tier": 0,
        "tier_outside_project": False,
    }


def test_a_finding_about_many_services_keeps_a_few_related_places(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    services = ",\n".join(f'    {{ port = {50000 + n}, name = "s{n}" }}' for n in range(30))
    plan = tmp_path / "plan.toml"
    plan.write_text(
        'title = "Many"\n[[projects]]\nname = "P"\nports = "50000-50099"\n'
        f'[[projects.tiers]]\nname = "T"\nports = "50000-50099"\nservices = [\n{services},\n]\n',
        encoding="utf-8",
    )
    _, out, _ = run(capsys, "check", str(plan), "--format", "sarif")
    # One result per OS range holding the ports (Linux's, and Windows/macOS 49152-65535).
    result = [r for r in json.loads(out)["runs"][0]["results"] if r["ruleId"] == "PP110"][0]
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] == 9
    related = [r["physicalLocation"]["region"]["startLine"] for r in result["relatedLocations"]]
    assert related == list(range(10, 30))  # the next 20 services' own lines, in order
    assert len(result["properties"]["subjects"]) == 30  # every subject is still named
