"""The TOML reader for plan files: the compiled `tomli` wheel, which is `tomllib`, faster.

`tomllib` is pure Python: on a 61,440-service plan it is most of the time `portplan check`
takes. `tomllib` *is* tomli (the standard library took tomli 2.0.1); tomli's wheels are the
same code compiled with mypyc, about 1.7x faster, with the same grammar, values and error
messages (line and column included). One difference: compiled, it recurses on the C stack
rather than Python's, so it reads nesting thousands of levels deep where `tomllib` raises
`RecursionError` (which `store` words as "nested too deep to be a plan"); a text that may
nest more than `MAX_FAST_DEPTH` levels is therefore read by `tomllib` itself, found by a
quick count of its brackets (about 6 ms for 5 MB). Releases from 2.3 on read TOML 1.1,
which accepts files `tomllib` rejects, so `pyproject.toml` holds tomli below 2.3.
`tests/test_tomlread.py` holds it to
`tomllib` on the TOML 1.0 cases of toml-test, on random documents and on the reference plan.

`rtoml` (Rust) is three times faster again, but was not taken: it accepts texts TOML 1.0
forbids (a byte-order mark, DEL in a comment, signed hexadecimal integers, offsets past
23:59), reads an offset of -00:30 as +00:30, and crashes the interpreter (a stack
overflow, not an exception) on a few thousand levels of nesting or dotted keys: a hostile
plan must get one sentence, never a crash. See benchmarks/README.md.

Errors are `tomllib.TOMLDecodeError` as before: a text tomli rejects is read again by
`tomllib` to raise its own exception, so callers and messages do not change. `tomllib` itself
is imported only then (or for a deep text): compiling its regular expressions is about 1% of
a `portplan check` that never needs them; `is_decode_error` tells its errors apart.
"""

from __future__ import annotations

import sys
from typing import Any

import tomli

__all__ = ["MAX_FAST_DEPTH", "is_decode_error", "loads"]

# Far below the depth at which tomllib runs out of Python stack, far above any plan's (2).
MAX_FAST_DEPTH = 64
_BRACKETS = b"[]{}"
_NOT_BRACKETS = bytes(byte for byte in range(256) if byte not in _BRACKETS)


def loads(text: str) -> dict[str, Any]:
    """Parse TOML text as `tomllib.loads` would; raise `tomllib.TOMLDecodeError` on bad text."""
    if not _shallow(text):
        return _stdlib_loads(text)
    try:
        return tomli.loads(text)
    except tomli.TOMLDecodeError:
        # The same message; raised as the standard library's own exception type.
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
