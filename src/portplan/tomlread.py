"""The TOML reader for plan files: the compiled `tomli` wheel, which is `tomllib`, faster.

`tomllib` is pure Python: on a 61,440-service plan it is most of the time `portplan check`
takes. `tomllib` *is* tomli (the standard library took tomli 2.0.1); tomli's wheels are the
same code compiled with mypyc, about 1.7x faster, with the same grammar, values and error
messages (line and column included), and deep nesting still ends in a `RecursionError`
rather than a crash. Releases from 2.3 on read TOML 1.1, which accepts files `tomllib`
rejects, so `pyproject.toml` holds tomli below 2.3. `tests/test_tomlread.py` holds it to
`tomllib` on the TOML 1.0 cases of toml-test, on random documents and on the reference plan.

`rtoml` (Rust) is three times faster again, but was not taken: it accepts texts TOML 1.0
forbids (a byte-order mark, DEL in a comment, signed hexadecimal integers, offsets past
23:59), reads an offset of -00:30 as +00:30, and crashes the interpreter (a stack
overflow, not an exception) on a few thousand levels of nesting or dotted keys: a hostile
plan must get one sentence, never a crash. See benchmarks/README.md.

Errors are `tomllib.TOMLDecodeError` as before: a text tomli rejects is read again by
`tomllib` to raise its own exception, so callers and messages do not change.
"""

from __future__ import annotations

import tomllib
from typing import Any

import tomli

TOMLDecodeError = tomllib.TOMLDecodeError

__all__ = ["TOMLDecodeError", "loads"]


def loads(text: str) -> dict[str, Any]:
    """Parse TOML text as `tomllib.loads` would; raise `tomllib.TOMLDecodeError` on bad text."""
    try:
        return tomli.loads(text)
    except tomli.TOMLDecodeError:
        # The same message; raised as the standard library's own exception type.
        return tomllib.loads(text)
