"""Reading and writing plan files.

Reads with `portplan.tomlread` (`tomllib`'s reading, faster), writes with `tomli_w`. Every
way a file can be wrong becomes a `PlanError` whose lines read `file:line: place: what is
wrong`; writes are atomic and keep the previous version as `<name>.bak`. Saving over an
existing plan keeps the user's text (see `preserve`) and checks, by reading the result back,
that it holds exactly the plan in memory; only when it does not is the plan written in the
canonical layout.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from portplan.errors import PlanError, Problem
from portplan.gcpause import collector_paused
from portplan.model import Acceptance, Plan, Project, Reserved, Service, Tier
from portplan.model_base import is_validation_error
from portplan.records import record
from portplan.tomlread import is_decode_error
from portplan.tomlread import loads as parse_toml

if TYPE_CHECKING:
    from portplan.locate import TomlLines

ENV_VAR = "PORTPLAN_FILE"
DEFAULT_CANDIDATES = ("ports.toml", "data/ports.toml")

__all__ = [
    "PlanError",
    "Problem",
    "Saved",
    "dumps",
    "load",
    "loads",
    "read_text",
    "resolve_plan_path",
    "save",
]

# Far beyond any real plan (61,440 services take 5.4 MB): a bound on what is read into memory,
# so that a device, a runaway file or an endless stdin ends with a sentence, not MemoryError.
MAX_BYTES = 64 * 1024 * 1024


def resolve_plan_path(given: str | None, cwd: Path | None = None) -> Path:
    """PLAN argument, else $PORTPLAN_FILE, else ./ports.toml, else ./data/ports.toml."""
    if given:
        return Path(given)
    if env := os.environ.get(ENV_VAR):
        return Path(env)
    base = cwd or Path.cwd()
    for candidate in DEFAULT_CANDIDATES:
        if (base / candidate).is_file():
            return Path(candidate) if cwd is None else base / candidate
    return Path(DEFAULT_CANDIDATES[-1])


def load(path: Path) -> Plan:
    """Read and validate a plan file; raise PlanError naming the file and line on bad input."""
    return loads(read_utf8(path, "plan file"), str(path))


def read_text(path: Path) -> tuple[str, Plan]:
    """A plan file's text and the plan it holds (the text is what a later save keeps)."""
    text = read_utf8(path, "plan file")
    return text, loads(text, str(path))


def read_utf8(path: Path, what: str, *, encoding: str = "utf-8") -> str:
    """A user's file as text, or a PlanError saying in one line why it cannot be read."""
    return decode_utf8(read_regular_file(path, what), str(path), encoding)


def read_regular_file(path: Path, what: str) -> bytes:
    """The bytes of a regular file of at most MAX_BYTES; a FIFO or device is never opened
    for a blocking read (it could hang the command or fill memory)."""
    label = str(path)
    try:
        # O_NONBLOCK: opening a FIFO with no writer would otherwise wait forever.
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise PlanError(label, [Problem("no such file")]) from None
    except IsADirectoryError:
        raise PlanError(label, [Problem(f"is a directory, not a {what}")]) from None
    except PermissionError:
        raise PlanError(label, [Problem("cannot be read (permission denied)")]) from None
    except OSError as error:
        raise PlanError(label, [Problem(f"cannot be read ({error.strerror})")]) from None
    mode = os.fstat(descriptor).st_mode
    if not stat.S_ISREG(mode):
        os.close(descriptor)
        if stat.S_ISDIR(mode):
            raise PlanError(label, [Problem(f"is a directory, not a {what}")])
        kind = "a FIFO (named pipe)" if stat.S_ISFIFO(mode) else "a device or special file"
        problem = Problem(f"is {kind}, not a regular file; portplan reads only files")
        raise PlanError(label, [problem])
    with os.fdopen(descriptor, "rb") as stream:
        return read_bounded(stream, label)


def read_bounded(stream: BinaryIO, label: str) -> bytes:
    """At most MAX_BYTES from `stream` (a file or stdin), or a PlanError saying it is larger."""
    try:
        raw = stream.read(MAX_BYTES + 1)
    except OSError as error:
        raise PlanError(label, [Problem(f"cannot be read ({error.strerror})")]) from None
    if len(raw) > MAX_BYTES:
        limit = MAX_BYTES // (1024 * 1024)
        raise PlanError(label, [Problem(f"is larger than {limit} MiB; not a plan portplan reads")])
    return raw


def read_stdin(label: str = "<stdin>") -> bytes:
    return read_bounded(sys.stdin.buffer, label)


def decode_utf8(raw: bytes, label: str, encoding: str = "utf-8") -> str:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        byte = raw[error.start]
        problem = Problem(f"is not UTF-8 text (byte 0x{byte:02x}); save it as UTF-8", line=line)
        raise PlanError(label, [problem]) from None


_BYTE_ORDER_MARK = "\ufeff"
_TOML_POSITION = re.compile(r"^(?P<what>.*?) \(at line (?P<line>\d+), column (?P<col>\d+)\)$")


def loads(text: str, label: str = "<plan>") -> Plan:
    # Parsing and validating build a large tree with no cycles: see gcpause for why.
    with collector_paused():
        try:
            return _parse_and_validate(text, label)
        except RecursionError:
            # tomllib and pydantic recurse once per level: a few hundred levels of `[[[…`
            # exhaust Python's stack long before any real plan would.
            problem = Problem("arrays or tables nested too deep to be a plan")
            raise PlanError(label, [problem]) from None


def _parse_and_validate(text: str, label: str) -> Plan:
    try:
        return _read_and_validate(text, label)
    except ValueError as error:
        # Python reads and writes at most sys.get_int_max_str_digits() digits of a number:
        # a longer one in the text fails the parser or the wording of its error.
        if not _is_too_many_digits(error):
            raise
        raise PlanError(label, [_too_many_digits(text)]) from None


def _is_too_many_digits(error: ValueError) -> bool:
    return "for integer string conversion" in str(error)


def _too_many_digits(text: str) -> Problem:
    """The problem of the first number in `text` with more digits than Python reads."""
    limit = sys.get_int_max_str_digits()
    # Decimal, or hexadecimal, octal or binary (read at any length, but worded in decimal).
    match = re.search(rf"[0-9](?:_?[0-9]){{{limit},}}|0[xob][0-9A-Fa-f_]{{{limit // 5},}}", text)
    if match is None:
        return Problem(f"a number with more than {limit:,} digits is too long to be in a plan")
    digits = match[0].replace("_", "").removeprefix("0x").removeprefix("0o").removeprefix("0b")
    line_start = text.rfind("\n", 0, match.start()) + 1
    return Problem(
        f"a number of {len(digits):,} digits is too long to be in a plan",
        line=text.count("\n", 0, match.start()) + 1,
        column=match.start() - line_start + 1,
    )


def _read_and_validate(text: str, label: str) -> Plan:
    try:
        data = parse_toml(text)
    except ValueError as error:  # tomllib's TOMLDecodeError, imported only for a bad text
        if not is_decode_error(error):
            raise
        message = str(error)
        if text.startswith(_BYTE_ORDER_MARK) and message.endswith("(at line 1, column 1)"):
            # tomllib reads none; saved by some Windows editors, and invisible in most.
            problem = Problem(
                "the file starts with a byte-order mark (U+FEFF), which portplan's TOML "
                "reader does not accept; save it as UTF-8 without a BOM",
                line=1,
                column=1,
            )
        elif match := _TOML_POSITION.match(message):
            problem = Problem(
                f"invalid TOML: {match['what']}", line=int(match["line"]), column=int(match["col"])
            )
        else:
            problem = Problem(f"invalid TOML: {message}")
        raise PlanError(label, [problem]) from None
    if not data:
        raise PlanError(label, [Problem("is empty: a plan needs a title and [[projects]] tables")])
    try:
        return Plan.model_validate(data)
    except ValueError as error:  # pydantic's ValidationError, imported only for a bad plan
        if not is_validation_error(error):
            raise
        # One index of the text for every problem: 5,000 bad ports locate in one pass each,
        # not 5,000 re-reads of the file.
        from portplan.locate import TomlLines

        lines = TomlLines(text)
        details: list[Any] = error.errors(include_url=False)  # type: ignore[attr-defined]
        problems = [_problem_from_pydantic(detail, lines) for detail in details]
        raise PlanError(label, problems) from None


def _place(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _problem_from_pydantic(detail: Any, lines: TomlLines) -> Problem:
    # pydantic reports union and validator internals in `loc`; keep only the plan's own path.
    loc = tuple(
        part for part in detail["loc"] if isinstance(part, int) or not part.startswith("function-")
    )
    from portplan.fields import toml_value

    kind, value = detail["type"], detail.get("input")
    if kind == "extra_forbidden":
        message = f"unknown key {loc[-1]!r}{_suggest(loc)}"
    elif kind == "missing":
        message = f"missing required key {loc[-1]!r}"
    elif kind == "string_type":
        message = f"{toml_value(value)} should be text in quotes"
    elif kind in ("list_type",):
        message = f"should be a list, not {toml_value(value)}"
    elif kind in ("model_type", "dict_type", "model_attributes_type"):
        message = f"should be a table, not {toml_value(value)}"
    elif kind in ("date_type", "date_parsing", "date_from_datetime_inexact"):
        message = f"{toml_value(value)} should be a date like 2025-12-18"
    elif kind == "literal_error":
        message = f"{toml_value(value)} is not a protocol (tcp or udp)"
    elif kind == "int_type":
        message = f"{toml_value(value)} is not a whole number"
    else:
        message = detail["msg"]
    return Problem(message, place=_place(loc), line=lines.line(loc))


_MODELS_BY_KEY: dict[str, type[Any]] = {
    "projects": Project,
    "tiers": Tier,
    "services": Service,
    "reserved": Reserved,
    "accept": Acceptance,
}


def _suggest(loc: tuple[int | str, ...]) -> str:
    import difflib

    container = [part for part in loc[:-1] if isinstance(part, str)]
    model = _MODELS_BY_KEY.get(container[-1], Plan) if container else Plan
    allowed = list(model.model_fields)
    close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
    if close:
        return f" (did you mean {close[0]!r}?)"
    return f" (allowed: {', '.join(allowed)})"


# --- writing -------------------------------------------------------------------------------


def dumps(plan: Plan) -> str:
    """Deterministic TOML text: the same plan always gives the same bytes."""
    # The writer is imported here: reading, which every command does, never needs it.
    import tomli_w

    from portplan.documents import to_document

    return tomli_w.dumps(to_document(plan))


@record
class Saved:
    """What a save wrote: the text, the plan read back from it, and why the layout was
    not kept when it was not (a sentence for the user)."""

    text: str
    plan: Plan | None
    note: str | None = None


def text_to_save(plan: Plan, layout: tuple[str, Plan] | None) -> Saved:
    """The text for `plan`: `layout` (a file's text and the plan it holds) edited where the
    plan differs, verified by reading it back; else the canonical text, with a note why."""
    if layout is None:
        return Saved(dumps(plan), None)
    from portplan.preserve import Unsupported, preserve

    old_text, old_plan = layout
    try:
        text = preserve(old_text, old_plan, plan)
    except Unsupported as error:
        reason = f"the file has {error}" if str(error).startswith("a") else str(error)
    else:
        try:
            back = loads(text)
        except PlanError:
            reason = "the edited text did not read back as a plan"
        else:
            if back == plan:
                return Saved(text, back)
            reason = "the edited text read back as a different plan"
    note = f"written in portplan's own layout ({reason}); the old text is kept in the .bak file"
    return Saved(dumps(plan), None, note)


def save(plan: Plan, path: Path, layout: tuple[str, Plan] | None = None) -> Saved:
    """Write the plan atomically; the file it replaces is kept as `<name>.bak`.

    With `layout` (the file's text as read, and its plan) only what changed is rewritten.
    """
    saved = text_to_save(plan, layout)
    from portplan.safe_write import write_text_atomic

    write_text_atomic(path, saved.text, keep_backup=True)
    return saved
