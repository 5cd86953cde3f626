"""The scan's fast YAML path reads every text exactly as the reference (ruamel) does, or not
at all.

`yamlfast` reads with libyaml and builds what ruamel's round-trip loader builds; it must give
the same documents (values and their types, key order, lines and columns) on every text it
accepts, and hand every text it cannot promise that for to ruamel. These tests hold it to
that on generated YAML full of look-alike scalars (`22:22`, `0x1F`, `on`, `1_000`, dates),
every layout (block, flow, quoted, commented, many documents) and broken texts; on the
Compose and Kubernetes files of the scan benchmark, down to the port uses read from them; and
(`tests/conftest.py`) on every text any other test has the scan read.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portplan.scan import yamlfast, yamltext
from portplan.scan.context import FolderContext, ReadRequest
from portplan.scan.registry import kind_of
from tests.yaml_compare import check_fast_path, differences, reference_reading

# Scalars whose meaning differs between YAML 1.1 and 1.2, or between types.
TRICKY = [
    "22:22",
    "1:2:3",
    "0x1F",
    "0o17",
    "017",
    "0b101",
    "1_000",
    "+1",
    "-0",
    "0",
    "-12",
    "80",
    "65536",
    "1e3",
    "1.5",
    ".5",
    "1.",
    ".inf",
    "-.Inf",
    ".nan",
    "yes",
    "no",
    "on",
    "off",
    "y",
    "n",
    "Y",
    "true",
    "True",
    "TRUE",
    "false",
    "False",
    "FALSE",
    "tRue",
    "null",
    "Null",
    "NULL",
    "~",
    "",
    "2025-01-01",
    "2001-12-14t21:59:43.10-05:00",
    "=",
    "<<",
    "8080/tcp",
    "127.0.0.1:8080:80",
    "${PORT:-80}",
    "a b",
    "x#y",
    "é",
    "日本",
    "😀",
    "-",
    "?",
    ":",
]
words = st.text(
    alphabet=st.characters(codec="utf-8", exclude_characters="\x00", max_codepoint=0x2FFF),
    max_size=8,
)
scalars = st.one_of(st.sampled_from(TRICKY), words, st.integers(-(2**70), 2**70).map(str))


def quoted(value: str, style: str) -> str:
    if style == "single":
        return "'" + value.replace("'", "''") + "'"
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return '"' + escaped + '"'


@st.composite
def scalar_text(draw: st.DrawFn) -> str:
    value = draw(scalars)
    style = draw(st.sampled_from(["plain", "plain", "single", "double"]))
    if style == "plain":
        return value  # may not be a valid plain scalar: then both readers must refuse alike
    return quoted(value, style)


@st.composite
def node(draw: st.DrawFn, indent: int, depth: int) -> str:
    """A value written after `key:` or `- ` (starting on that line or the next)."""
    kind = draw(st.sampled_from(["scalar", "scalar", "map", "seq", "flow", "block"]))
    if depth > 2 or kind == "scalar":
        return " " + draw(scalar_text())
    if kind == "block":
        body = draw(st.lists(words.filter(lambda w: "\n" not in w), min_size=1, max_size=2))
        return f" {draw(st.sampled_from(['|', '>', '|-']))}\n" + "".join(
            " " * (indent + 2) + line + "\n" for line in body
        ).rstrip("\n")
    if kind == "flow":
        items = draw(st.lists(scalar_text(), max_size=3))
        if draw(st.booleans()):
            return " [" + ", ".join(items) + "]"
        return " {" + ", ".join(f"{item}: {item}" for item in items) + "}"
    pad = " " * (indent + 2)
    lines = []
    for _ in range(draw(st.integers(0, 3))):
        child = draw(node(indent + 2, depth + 1))
        comment = draw(st.sampled_from(["", "", "  # note"]))
        if kind == "map":
            lines.append(f"{pad}{draw(scalar_text())}:{child}{comment}")
        else:
            lines.append(f"{pad}-{child}{comment}")
    return ("\n" + "\n".join(lines)) if lines else " {}"


@st.composite
def documents(draw: st.DrawFn) -> str:
    texts = []
    for _ in range(draw(st.integers(1, 3))):
        keys = draw(st.lists(scalar_text(), min_size=1, max_size=4))
        texts.append("\n".join(f"{key}:{draw(node(0, 0))}" for key in keys))
    joiner = draw(st.sampled_from(["\n---\n", "\n...\n---\n", "\r\n---\r\n"]))
    return joiner.join(texts) + draw(st.sampled_from(["", "\n", "\n\n# end\n"]))


@given(documents())
def test_generated_yaml_reads_the_same_on_both_paths(text: str) -> None:
    check_fast_path(text)


@given(documents(), st.data())
def test_broken_yaml_is_refused_or_read_the_same(text: str, data: st.DataObject) -> None:
    at = data.draw(st.integers(0, len(text)))
    cut = data.draw(st.integers(0, 3))
    noise = data.draw(st.sampled_from(["", ":", "- ", "\n  ", "[", "}", "'", '"', "#", " ", "*a"]))
    check_fast_path(text[:at] + noise + text[at + cut :])


COMMON = """\
services:
  web:
    image: nginx
    ports:
      - "8080:80"
      - 127.0.0.1:9000:9000/udp
      - target: 5432
        published: "15432"
    environment: {PORT: 8080, DEBUG: false, EMPTY: null, RATIO: off}
"""


def test_the_fast_path_reads_common_files() -> None:
    # Guards the tests above: a fast path that refused everything would pass them all.
    assert check_fast_path(COMMON) is not None
    assert check_fast_path("a: 1\n---\n- b\n- 2\n") is not None


@pytest.mark.parametrize(
    "text",
    [
        "%YAML 1.1\n---\nport: 22:22\n",  # a directive changes the rules
        "a: &x 1\nb: *x\n",  # anchors and aliases
        "a: !override [1]\n",  # Compose tags
        "a:\n  <<: {b: 1}\n",  # merge keys
        "a: 1.5\n",  # floats are ruamel's own type
        "a: 2025-01-01\n",  # dates too
        "a: 0x1F\n",  # and integers not in plain decimal
        "a: 0\n",  # (ruamel keeps the width of a zero)
        "a: |\n  text\n",  # block scalars
        "a: 1\na: 2\n",  # duplicate keys: ruamel's error
        "[1]: x\n",  # a key that is not a scalar
        'a: "tab\\there"\n',  # escapes
        "a:\tb\n",  # tabs
        "\ufeffa: 1\n",  # a byte-order mark
        "a: x\u2028y\n",  # a line separator (a line break only in YAML 1.1)
        "a: [1\n",  # an error: ruamel words it
    ],
)
def test_what_the_fast_path_leaves_to_ruamel(text: str) -> None:
    assert yamlfast.load_documents(text) is None


BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def test_benchmark_files_give_the_same_port_uses(tmp_path: Path, monkeypatch: Any) -> None:
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import bench_scan
    finally:
        sys.path.remove(str(BENCHMARKS))
    bench_scan.generate(60, tmp_path / "tree")
    files = sorted(p for p in (tmp_path / "tree").rglob("*") if p.is_file())
    read = 0
    for path in files:
        kind = kind_of(path.name)
        if kind is None:
            continue
        text = path.read_text(encoding="utf-8")
        if path.suffix in (".yaml", ".yml"):
            assert check_fast_path(text) is not None, path  # the fast path is taken
        readings = []
        for fast in (yamlfast.load_documents, lambda _: None):
            monkeypatch.setattr(yamltext, "fast_documents", fast)
            context = FolderContext(path.parent, "tree")
            readings.append(kind.read(text, ReadRequest(path, path.name, context)))
        assert readings[0] == readings[1], path
        read += 1
    assert read >= 60


def test_differences_sees_a_changed_line() -> None:
    # Guards the comparison itself: it must notice what the readers rely on.
    first, second = (reference_reading("a:\n  - 1\n")[0] for _ in range(2))  # type: ignore[index]
    assert differences(first, second) == []
    second["a"]._yaml_set_idx_line_col(0, [7, 4])
    assert differences(first, second)
    assert differences({"a": 1}, {"a": True})
