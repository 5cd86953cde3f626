"""`portplan apply`, one kind of edit at a time: each syntax compose-go reads, `.env` values
and URLs, Kubernetes manifests; and the text around the digits kept byte for byte.

The Compose cases follow the compose-spec's `ports` examples (short syntax
`[HOST_IP:]HOST:CONTAINER[/PROTOCOL]`, ranges, IPv6 in brackets, long syntax with
`published`) and compose-go's `template` rules for `${VAR}`, `${VAR:-default}`,
`${VAR-default}` and `$VAR` (a default is used when the `.env` beside the file does not set
the variable). Plan: ALPHA moved from 15000 to 16000 (`apply_helpers`).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.apply_helpers import apply_to, old_plan

# (Compose entry before, after): only the host port's digits move.
SHORT_SYNTAX = [
    ('"15000:5173"', '"16000:5173"'),
    ("15000:5173", "16000:5173"),
    ("'15000:5173'", "'16000:5173'"),
    ('"127.0.0.1:15000:5173"', '"127.0.0.1:16000:5173"'),
    ('"[::1]:15000:5173"', '"[::1]:16000:5173"'),
    ('"15450:9125/udp"', '"16450:9125/udp"'),
    ('"15000-15001:3000-3001"', '"16000-16001:3000-3001"'),
    ('"127.0.0.1:15000-15001:3000-3001"', '"127.0.0.1:16000-16001:3000-3001"'),
    ('"15000-15001:3000"', '"16000-16001:3000"'),  # Docker takes one port of the range
    ('"15000:15000"', '"16000:15000"'),  # the container's own port is the container's
]


def compose(entry: str, *, crlf: bool = False, final_newline: bool = True) -> str:
    text = (
        "# the stack\n"
        "services:\n"
        "  web:   # front\n"
        "    image: node:22\n"
        "    ports:\n"
        f"      - {entry}  # published\n"
    )
    if not final_newline:
        text = text.rstrip("\n")
    return text.replace("\n", "\r\n") if crlf else text


@pytest.mark.parametrize(("before", "after"), SHORT_SYNTAX)
def test_short_syntax_changes_only_the_host_digits(tmp_path: Path, before: str, after: str) -> None:
    result, files = apply_to(tmp_path, {"compose.yaml": compose(before)}, old=old_plan())
    assert files["compose.yaml"].decode() == compose(after)
    assert result.pending == []


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("published: 15080", "published: 16080"),
        ('published: "15080"', 'published: "16080"'),
        ("published: '15080'", "published: '16080'"),
        ('published: "15000-15001"', 'published: "16000-16001"'),
    ],
)
def test_long_syntax_keeps_its_quoting(tmp_path: Path, before: str, after: str) -> None:
    text = "services:\n  api:\n    ports:\n      - target: 8080\n        {}\n        mode: host\n"
    _, files = apply_to(tmp_path, {"compose.yml": text.format(before)}, old=old_plan())
    assert files["compose.yml"].decode() == text.format(after)


def test_a_flow_mapping_entry(tmp_path: Path) -> None:
    text = "services:\n  api:\n    ports: [{target: 80, published: 15080}, '15001:81']\n"
    _, files = apply_to(tmp_path, {"compose.yml": text}, old=old_plan())
    assert files["compose.yml"].decode() == text.replace("15080", "16080").replace("15001", "16001")


@pytest.mark.parametrize(
    "entry",
    ['"${PG_PORT:-5432}:5432"', '"${PG_PORT-5432}:5432"', '"$PG_PORT:5432"', '"${PG_PORT}:5432"'],
)
def test_an_interpolated_port_is_changed_in_the_env_beside_the_file(
    tmp_path: Path, entry: str
) -> None:
    compose_text = f"services:\n  db:\n    ports:\n      - {entry}\n"
    env = "# database\nPG_PORT=15432\nPG_USER=app\n"
    result, files = apply_to(tmp_path, {"compose.yml": compose_text, ".env": env}, old=old_plan())
    assert files["compose.yml"].decode() == compose_text  # the interpolation stays
    assert files[".env"].decode() == env.replace("15432", "16432")
    assert result.ports_changed == 1  # the .env line once, though two uses read it


def test_without_an_env_setting_the_default_is_changed(tmp_path: Path) -> None:
    compose_text = 'services:\n  db:\n    ports:\n      - "${PG_PORT:-15432}:5432"\n'
    _, files = apply_to(
        tmp_path, {"compose.yml": compose_text, ".env": "OTHER=1\n"}, old=old_plan()
    )
    assert files["compose.yml"].decode() == compose_text.replace("15432", "16432")


@pytest.mark.parametrize("quote", ['"', "'"])
def test_a_quoted_env_value_keeps_its_quotes(tmp_path: Path, quote: str) -> None:
    env = f"PG_PORT={quote}15432{quote}  # host side\n"
    compose_text = 'services:\n  db:\n    ports: ["${PG_PORT}:5432"]\n'
    _, files = apply_to(tmp_path, {"compose.yml": compose_text, ".env": env}, old=old_plan())
    assert files[".env"].decode() == env.replace("15432", "16432")


def test_urls_in_an_env_value_keep_everything_but_the_port_digits(tmp_path: Path) -> None:
    env = (
        "CORS_ORIGINS=http://localhost:15000,http://127.0.0.1:15001/admin?x=15000\n"
        "BROKERS=localhost:15080 # the API\n"
        "DATABASE_URL=postgres://user:15432@db:5432/app\n"
    )
    result, files = apply_to(tmp_path, {".env": env}, old=old_plan())
    assert files[".env"].decode() == (
        "CORS_ORIGINS=http://localhost:16000,http://127.0.0.1:16001/admin?x=15000\n"
        "BROKERS=localhost:16080 # the API\n"
        "DATABASE_URL=postgres://user:15432@db:5432/app\n"  # not this machine's port
    )
    assert result.pending == []


def test_crlf_and_a_missing_final_newline_survive(tmp_path: Path) -> None:
    before = compose('"15000:5173"', crlf=True, final_newline=False)
    _, files = apply_to(tmp_path, {"compose.yml": before}, old=old_plan())
    assert files["compose.yml"] == before.replace("15000", "16000").encode()
    assert b"\r\n" in files["compose.yml"] and not files["compose.yml"].endswith(b"\n")


def test_a_byte_order_mark_survives(tmp_path: Path) -> None:
    before = "\ufeffPG_PORT=15432\r\n".encode()
    _, files = apply_to(
        tmp_path,
        {".env": before, "compose.yml": "services:\n  db:\n    ports: ['${PG_PORT}:5432']\n"},
        old=old_plan(),
    )
    assert files[".env"] == "\ufeffPG_PORT=16432\r\n".encode()


def test_kubernetes_node_and_host_ports_in_a_multi_document_file(tmp_path: Path) -> None:
    text = (
        "# workloads\n"
        "apiVersion: v1\nkind: Service\nmetadata: {name: api}\n"
        "spec:\n  type: NodePort\n  ports:\n    - port: 80\n      nodePort: 15080  # api\n"
        "---\n"
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n"
        "spec:\n  template:\n    spec:\n      containers:\n        - name: web\n"
        "          ports:\n            - {containerPort: 5173, hostPort: 15000}\n"
        "---\n"
        "apiVersion: v1\nkind: Pod\nmetadata: {name: admin}\n"
        "spec:\n  hostNetwork: true\n  containers:\n    - name: admin\n"
        "      ports:\n        - containerPort: 15001\n"
    )
    _, files = apply_to(tmp_path, {"k8s/all.yaml": text}, old=old_plan())
    expected = text.replace("15080", "16080").replace("15000", "16000").replace("15001", "16001")
    assert files["k8s/all.yaml"].decode() == expected


def test_comments_anchors_and_order_survive(tmp_path: Path) -> None:
    text = (
        "x-common: &common\n  restart: always  # keep\n\n"
        "services:\n"
        "  web:\n    <<: *common\n    ports:\n\n      - '15000:5173'\n"
        '  api:\n    <<: *common\n    ports: [ "15080:8080" ]   # api\n'
    )
    _, files = apply_to(tmp_path, {"compose.yml": text}, old=old_plan())
    assert files["compose.yml"].decode() == text.replace("15000", "16000").replace("15080", "16080")


def test_a_port_written_through_an_alias_is_left_for_a_person(tmp_path: Path) -> None:
    text = "x-web: &web '15000:5173'\nservices:\n  web:\n    ports: [*web]\n"
    result, files = apply_to(tmp_path, {"compose.yml": text}, old=old_plan())
    assert files["compose.yml"].decode() == text
    assert [item.use.ports for item in result.pending] == [(15000,)]
    assert "by hand" in result.pending[0].reason


def test_a_variable_set_through_another_variable_is_left_for_a_person(tmp_path: Path) -> None:
    env = "BASE=15432\nPG_PORT=${BASE}\n"
    compose_text = "services:\n  db:\n    ports: ['${PG_PORT}:5432']\n"
    result, files = apply_to(tmp_path, {"compose.yml": compose_text, ".env": env}, old=old_plan())
    assert files[".env"].decode() == env and files["compose.yml"].decode() == compose_text
    assert result.pending and all("by hand" in item.reason for item in result.pending)


def test_a_range_that_would_not_move_as_one_is_left_for_a_person(tmp_path: Path) -> None:
    text = "services:\n  web:\n    ports: ['15000-15002:3000-3002']\n"  # 15002: nobody's
    result, files = apply_to(tmp_path, {"compose.yml": text}, old=old_plan())
    assert files["compose.yml"].decode() == text
    assert "one range" in result.pending[0].reason


def test_protocol_must_match_the_old_service(tmp_path: Path) -> None:
    text = "services:\n  metrics:\n    ports: ['15450:9125']\n"  # tcp; Metrics was udp
    result, files = apply_to(tmp_path, {"compose.yml": text}, old=old_plan())
    assert files["compose.yml"].decode() == text
    assert [item.use.ports for item in result.pending] == [(15450,)]


def test_two_moves_that_disagree_on_the_same_digits_change_nothing(tmp_path: Path) -> None:
    # Without --from, each entry is matched by name: the database wants PostgreSQL's port
    # and the frontend the Frontend's, but both read DB_PORT: neither is guessed.
    compose_text = (
        "services:\n  postgres:\n    ports: ['${DB_PORT}:5432']\n"
        "  frontend:\n    ports: ['${DB_PORT}:5173']\n"
    )
    env = "DB_PORT=7001\n"  # no known tool uses it
    result, files = apply_to(tmp_path, {"compose.yml": compose_text, ".env": env})
    assert files[".env"].decode() == env and files["compose.yml"].decode() == compose_text
    reasons = " ".join(item.reason for item in result.pending)
    assert "would become 16000 and 16432" in reasons
