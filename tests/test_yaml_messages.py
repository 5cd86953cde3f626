"""A YAML problem is one line with its line number, and never quotes a value of the file:
a duplicate key names the key (through `name_shown`), not the values that may be secrets.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from portplan.scan.scanner import Target, read_folder
from portplan.scan.yamltext import YamlProblem, load_documents, reference_documents
from tests.scan_helpers import write

SECRETS = (
    "services:\n  web:\n    environment:\n"
    "      DB_PASSWORD: hunter2-secret\n      DB_PASSWORD: other-secret\n"
)


def problem_of(text: str) -> YamlProblem:
    with pytest.raises(YamlProblem) as raised:
        load_documents(text)
    return raised.value


def test_duplicate_key_names_the_key_and_its_first_line_not_the_values() -> None:
    problem = problem_of(SECRETS)
    assert (problem.line, str(problem)) == (
        5,
        'malformed YAML: duplicate key "DB_PASSWORD" (first at line 4)',
    )


def test_duplicate_key_with_unusual_characters_is_not_shown() -> None:
    problem = problem_of('"\\e[2J x": 1\n"\\e[2J x": 2\n')
    assert (problem.line, str(problem)) == (
        2,
        "malformed YAML: duplicate key (a name with unusual characters) (first at line 1)",
    )


def test_duplicate_in_a_set_names_only_the_key() -> None:
    problem = problem_of("!!set\n? hunter2\n? hunter2\n")
    assert (problem.line, str(problem)) == (3, 'malformed YAML: duplicate key "hunter2"')


def test_a_control_character_is_one_line_with_its_line() -> None:
    problem = problem_of("services:\n  web:\n    image: a\x1bb\n")
    assert (problem.line, str(problem)) == (
        3,
        "malformed YAML: a character YAML does not allow (U+001B)",
    )


@pytest.mark.parametrize("text", ["1: a\ntrue: b\n", "true: b\n1: a\n", "0: a\nfalse: b\n0.0: c\n"])
def test_keys_python_finds_equal_are_two_keys_as_in_yaml(text: str) -> None:
    [document] = reference_documents(text)
    assert len(document) == text.count("\n")
    assert sorted(map(str, document.values())) == sorted("abc"[: len(document)])


def test_a_key_of_another_type_is_kept_with_its_line() -> None:
    [document] = load_documents("services:\n  1:\n    image: a\n  true:\n    ports: ['16001:80']\n")
    services = document["services"]
    assert list(services) == [1, "true"]
    assert services.lc.key("true")[0] == 3


def test_a_real_duplicate_after_a_kept_one_is_still_a_duplicate() -> None:
    problem = problem_of("1: a\ntrue: b\ntrue: c\n")
    assert (problem.line, str(problem)) == (
        3,
        'malformed YAML: duplicate key "true" (first at line 2)',
    )


def test_scan_warns_about_a_duplicate_without_the_values(tmp_path: Path) -> None:
    write(tmp_path / "compose.yaml", SECRETS)
    report = read_folder(Target(tmp_path, "p", None))
    [note] = report.notes
    assert (note.level, note.place.line) == ("warning", 5)
    assert "secret" not in note.message and "\n" not in note.message


def test_duplicate_in_an_ordered_map_is_a_problem_not_an_assertion() -> None:
    problem = problem_of("services:\n  web: !!omap [a: 1, a: 2]\n")
    assert (problem.line, str(problem)) == (
        2,
        "malformed YAML: duplicate key in an ordered map (!!omap)",
    )
