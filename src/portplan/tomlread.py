"""The TOML reader for plan files: `toml-rs` (Rust), held to read exactly as `tomllib` does.

`tomllib` is pure Python: on a 61,440-service plan it was most of the time `portplan check`
took (1.6 s of CPU to parse 5 MB). `toml-rs`, asked for TOML 1.0, parses the same file in
about 0.1 s. It is used only where it reads what `tomllib` reads; `tomllib` stays the
reference, and reads every text the fast parser would read differently or not at all:

- a text whose brackets could nest more than `MAX_FAST_DEPTH` levels (found by a quick
  count of its brackets, about 6 ms for 5 MB): the Rust parser recurses on the C stack and
  crashes the interpreter a few thousand levels down, where `tomllib` raises
  `RecursionError` (which `store` words as "nested too deep to be a plan");
- a text that starts with a byte-order mark, which TOML allows and `tomllib` rejects;
- any text the fast parser refuses: `tomllib` reads it again, so the exception, message,
  line and column are the stdlib's own, and a text only the fast parser refuses (a lone
  surrogate, which no decoded file holds) is still read as before.

`tests/test_tomlread.py` holds it to `tomllib` on every TOML 1.0 case of toml-test, on
random documents, on random near-TOML text, on deep nesting and on the reference plan.
`rtoml` was measured too and not taken: it accepts texts TOML 1.0 forbids, reads an offset
of -00:30 as +00:30, and crashes on deep dotted keys, which no bracket count finds (see
benchmarks/README.md). `tomllib` itself is imported only when needed: compiling its regular
expressions is about 1% of a `portplan check` that never needs them; `is_decode_error`
tells its errors apart.
"""

from __future__ import annotations

import sys
from typing import Any

import toml_rs

__all__ = ["MAX_FAST_DEPTH", "is_decode_error", "loads"]

# Far below the depth at which tomllib runs out of Python stack, far above any plan's (2).
MAX_FAST_DEPTH = 64
_BRACKETS = b"[]{}"
_NOT_BRACKETS = bytes(byte for byte in range(256) if byte not in _BRACKETS)
_BYTE_ORDER_MARK = "\ufeff"


def loads(text: str) -> dict[str, Any]:
    """Parse TOML text as `tomllib.loads` would; raise `tomllib.TOMLDecodeError` on bad text."""
    if text.startswith(_BYTE_ORDER_MARK) or not _shallow(text):
        return _stdlib_loads(text)
    try:
        return toml_rs.loads(text, toml_version="1.0.0")
    except ValueError:
        # Its decode error, or a text it cannot encode: the reference reader decides.
        return _stdlib_loads(text)


def _stdlib_loads(text: str) -> dict[str, Any]:
    import tomllib

    return tomllib.loads(text)


def is_decode_error(error: BaseException) -> bool:
    """Whether `error` is `tomllib.TOMLDecodeError` (without importing tomllib to ask:
    no such error exists before `loads` has imported it)."""
    stdlib = sys.modules.get("tomllib")
    return stdlib is not None and isinstance(error, stdlib.TOMLDecodeError)


def _shallow(text: str) -> bool:
    """True if the text cannot nest arrays and inline tables more than MAX_FAST_DEPTH deep.

    Only the brackets are kept, then matched pairs are taken out a level at a time; a pass
    takes out at most two levels (`{[]}`), and what cannot be matched (brackets in strings)
    counts as if it all nested. So the bound is never below the real depth.
    """
    brackets = text.encode("utf-8", "surrogatepass").translate(None, _NOT_BRACKETS)
    for passes in range(MAX_FAST_DEPTH):
        if len(brackets) + 2 * passes <= MAX_FAST_DEPTH:
            return True
        inner = brackets.replace(b"[]", b"").replace(b"{}", b"")
        if len(inner) == len(brackets):
            return False
        brackets = inner
    return False
