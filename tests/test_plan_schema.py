"""The JSON Schema of ports.toml: generated from the model, shipped as generated, and as
strict as the loader wherever the loader's rule is a schema-level one."""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from jsonschema import Draft7Validator

from portplan.cli import main
from portplan.errors import PlanError
from portplan.model import Plan
from portplan.plan_schema import FIELD_HELP, plan_schema, schema_text
from portplan.store import dumps, loads
from tests.conftest import REFERENCE_PLAN
from tests.plan_strategies import plans
from tests.test_bad_input import GOOD, broken

SHIPPED = Path(__file__).resolve().parents[1] / "src" / "portplan" / "ports.schema.json"
VALIDATOR = Draft7Validator(plan_schema())


def as_json(value: Any) -> Any:
    """TOML data as a language server hands it to the schema: dates become ISO text."""
    if isinstance(value, dict):
        return {key: as_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_json(item) for item in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def errors_of(text: str) -> list[str]:
    return [error.message for error in VALIDATOR.iter_errors(as_json(tomllib.loads(text)))]


def test_the_shipped_file_is_the_generated_schema() -> None:
    # Regenerate with: portplan schema > src/portplan/ports.schema.json
    assert SHIPPED.read_text(encoding="utf-8") == schema_text()


def test_the_schema_is_a_valid_draft_7_schema() -> None:
    Draft7Validator.check_schema(plan_schema())


def test_the_command_prints_it(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out) == plan_schema()


def test_every_hover_text_names_a_real_key() -> None:
    models = {model.__name__: model for model in (Plan, *_nested_models())}
    for model, field in FIELD_HELP:
        assert field in models[model].model_fields, (model, field)


def _nested_models() -> list[type]:
    from portplan.model import Acceptance, Project, Reserved, Service, Tier

    return [Acceptance, Project, Reserved, Service, Tier]


def test_the_reference_plan_validates() -> None:
    assert errors_of(REFERENCE_PLAN.read_text(encoding="utf-8")) == []


def test_the_good_bad_input_plan_validates() -> None:
    assert errors_of(GOOD) == []


@given(plans)
def test_every_generated_plan_validates(plan: Plan) -> None:
    text = dumps(plan)
    loads(text)  # the loader accepts it …
    assert errors_of(text) == []  # … and so does the schema


# The bad-input cases of tests/test_bad_input.py whose fault a schema can see: wrong types,
# unknown and missing keys, ports out of range, range text that is not "A-B" or "N".
# (Reversed ranges, duplicate names and bad UTF-8 are the loader's alone, and so is
# `port = 21432.0`: JSON has one number type, so for JSON Schema 21432.0 is an integer.)
SCHEMA_LEVEL = [
    ('title = "Bad input"', "title = 5"),
    ('ports = "20000-20999"', "ports = true"),
    ('ports = "21400-21499"', "ports = 2.5"),
    ('description = "UI"', "description = 3"),
    ("port = 20001", 'port = "20001"'),
    ('name = "Beta"', "name = [1]"),
    ('ports = "20000-20099"', 'ports = "20000-20099"\ndescription = ["x"]'),
    ('name = "Backend"', 'name = "Backend", protocol = "sctp"'),
    ("port = 20001", "port = 0"),
    ("port = 20001", "port = 70000"),
    ("port = 20001", "port = -1"),
    ("port = 21432", 'port = "abc"'),
    ('ports = "20000-20999"', 'ports = "abc"'),
    ('ports = "20000-20999"', 'ports = "-1"'),
    ('ports = "20000-20999"', 'ports = "1-2-3"'),
    ('ports = "20000-20999"', 'ports = ""'),
    ('name = "Backend"', 'name = "Backend", colour = "red"'),
    ('title = "Bad input"', 'title = "Bad input"\ntitel = "typo"'),
    ('name = "Beta"\n', ""),
    ('name = "Frontend", ', ""),
    ('name = "Frontend", ', 'name = "  ", '),
    ('name = "Beta"', 'name = "Beta"\naccept = [{ rule = "ephemeral-port" }]'),
    ('name = "Beta"', 'name = "Beta"\naccept = [{ rule = "nope", reason = "x" }]'),
]


@pytest.mark.parametrize(("old", "new"), SCHEMA_LEVEL)
def test_the_schema_rejects_what_the_loader_rejects(old: str, new: str) -> None:
    text = broken(old, new)
    with pytest.raises(PlanError):
        loads(text)
    assert errors_of(text), text
