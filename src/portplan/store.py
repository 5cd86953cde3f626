"""Reading and writing plan files.

Reads with `tomllib`, writes with `tomli_w`. Every way a file can be wrong becomes a
`PlanError` whose lines read `file:line: place: what is wrong`; writes are atomic and
keep the previous version as `<name>.bak`.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import tomllib
from pathlib import Path
from typing import Any

import tomli_w
from pydantic import ValidationError

from portplan.errors import PlanError, Problem
from portplan.gcpause import collector_paused
from portplan.locate import locate_line
from portplan.model import Acceptance, Plan, Project, Reserved, Service, Tier

ENV_VAR = "PORTPLAN_FILE"
DEFAULT_CANDIDATES = ("ports.toml", "data/ports.toml")

__all__ = ["PlanError", "Problem", "dumps", "load", "loads", "resolve_plan_path", "save"]


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


def read_utf8(path: Path, what: str, *, encoding: str = "utf-8") -> str:
    """A user's file as text, or a PlanError saying in one line why it cannot be read."""
    label = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise PlanError(label, [Problem("no such file")]) from None
    except IsADirectoryError:
        raise PlanError(label, [Problem(f"is a directory, not a {what}")]) from None
    except PermissionError:
        raise PlanError(label, [Problem("cannot be read (permission denied)")]) from None
    except OSError as error:
        raise PlanError(label, [Problem(f"cannot be read ({error.strerror})")]) from None
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        byte = raw[error.start]
        problem = Problem(f"is not UTF-8 text (byte 0x{byte:02x}); save it as UTF-8", line=line)
        raise PlanError(label, [problem]) from None


_TOML_POSITION = re.compile(r"^(?P<what>.*?) \(at line (?P<line>\d+), column (?P<col>\d+)\)$")


def loads(text: str, label: str = "<plan>") -> Plan:
    # Parsing and validating build a large tree with no cycles: see gcpause for why.
    with collector_paused():
        return _parse_and_validate(text, label)


def _parse_and_validate(text: str, label: str) -> Plan:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        if match := _TOML_POSITION.match(message):
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
    except ValidationError as error:
        problems = [
            _problem_from_pydantic(detail, text) for detail in error.errors(include_url=False)
        ]
        raise PlanError(label, problems) from None


def _place(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _problem_from_pydantic(detail: Any, text: str) -> Problem:
    # pydantic reports union and validator internals in `loc`; keep only the plan's own path.
    loc = tuple(
        part for part in detail["loc"] if isinstance(part, int) or not part.startswith("function-")
    )
    kind, value = detail["type"], detail.get("input")
    if kind == "extra_forbidden":
        message = f"unknown key {loc[-1]!r}{_suggest(loc)}"
    elif kind == "missing":
        message = f"missing required key {loc[-1]!r}"
    elif kind == "string_type":
        message = f"{value!r} should be text in quotes"
    elif kind in ("list_type",):
        message = f"should be a list, not {value!r}"
    elif kind in ("model_type", "dict_type", "model_attributes_type"):
        message = f"should be a table, not {value!r}"
    elif kind in ("date_type", "date_parsing", "date_from_datetime_inexact"):
        message = f"{value!r} should be a date like 2025-12-18"
    elif kind == "literal_error":
        message = f"{value!r} is not a protocol (tcp or udp)"
    elif kind == "int_type":
        message = f"{value!r} is not a whole number"
    else:
        message = detail["msg"]
    return Problem(message, place=_place(loc), line=locate_line(text, loc))


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


def to_document(plan: Plan) -> dict[str, Any]:
    """The plan as plain TOML data, in the file format's key order, defaults left out."""
    document: dict[str, Any] = {}
    for key in ("title", "version"):
        if value := getattr(plan, key):
            document[key] = value
    if plan.updated is not None:
        document["updated"] = plan.updated
    if plan.strategy:
        document["strategy"] = plan.strategy
    if plan.accept:
        document["accept"] = _accept_document(plan.accept)
    if plan.reserved:
        document["reserved"] = [_reserved_document(entry) for entry in plan.reserved]
    if plan.projects:
        document["projects"] = [_project_document(project) for project in plan.projects]
    if not document:
        # An empty file is refused on load, so a plan emptied in the editor keeps its title key.
        document["title"] = plan.title
    return document


def _reserved_document(entry: Reserved) -> dict[str, Any]:
    return {"ports": str(entry.ports), "reason": entry.reason}


def _project_document(project: Project) -> dict[str, Any]:
    document: dict[str, Any] = {"name": project.name, "ports": str(project.ports)}
    if project.description:
        document["description"] = project.description
    if project.paths:
        document["paths"] = list(project.paths)
    if project.accept:
        document["accept"] = _accept_document(project.accept)
    document["tiers"] = [_tier_document(tier) for tier in project.tiers]
    return document


def _tier_document(tier: Tier) -> dict[str, Any]:
    document: dict[str, Any] = {"name": tier.name, "ports": str(tier.ports)}
    if tier.description:
        document["description"] = tier.description
    if tier.accept:
        document["accept"] = _accept_document(tier.accept)
    document["services"] = [_service_document(service) for service in tier.services]
    return document


def _accept_document(entries: list[Acceptance]) -> list[dict[str, str]]:
    return [{"rule": entry.rule, "reason": entry.reason} for entry in entries]


def _service_document(service: Service) -> dict[str, Any]:
    document: dict[str, Any] = {"port": service.port, "name": service.name}
    if service.description:
        document["description"] = service.description
    if service.protocol != "tcp":
        document["protocol"] = service.protocol
    if service.bind is not None:
        document["bind"] = service.bind
    return document


def dumps(plan: Plan) -> str:
    """Deterministic TOML text: the same plan always gives the same bytes."""
    return tomli_w.dumps(to_document(plan))


def save(plan: Plan, path: Path) -> None:
    """Write the plan atomically; the file it replaces is kept as `<name>.bak`."""
    write_text_atomic(path, dumps(plan), keep_backup=True)


def write_text_atomic(path: Path, text: str, *, keep_backup: bool = False) -> None:
    """Write via a temporary file in the same folder, fsync, then rename over `path`.

    A crash at any moment leaves either the old file or the new one, never half of one.
    """
    folder = path.parent if str(path.parent) else Path(".")
    folder.mkdir(parents=True, exist_ok=True)
    mode = path.stat().st_mode & 0o777 if path.exists() else None
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        if keep_backup and path.exists():
            shutil.copy2(path, path.with_name(path.name + ".bak"))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _fsync_folder(folder)


def _fsync_folder(folder: Path) -> None:
    # Makes the rename itself durable; not every platform lets a folder be opened.
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
