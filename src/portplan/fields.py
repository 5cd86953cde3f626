"""The value types of a plan file — ports, ranges, addresses, names — and how each is checked.

Each type carries its validator and its JSON Schema, so the loader, the edits and
`portplan schema` agree on what a port or a range is.
"""

from __future__ import annotations

from collections.abc import Iterator
from ipaddress import ip_address
from typing import Annotated, Any, Literal

from portplan.model_base import Check, Invalid
from portplan.records import record

MAX_PORT = 65535
# Longer numbers are not given to int(), which refuses numbers of over 4,300 digits; shorter
# ones are read, so that the message can say which number is not a port.
MAX_DIGITS_READ = 100
Protocol = Literal["tcp", "udp"]


@record(order=True)
class PortRange:
    """An inclusive range of ports; written `"A-B"`, or `"N"` for a single port."""

    start: int
    end: int

    @classmethod
    def parse(cls, text: str) -> PortRange:
        """Parse `"A-B"` or `"N"`; raise ValueError with a sentence a user can act on."""
        parts = [part.strip() for part in text.strip().split("-")]
        if len(parts) > 2 or not all(part.isdigit() for part in parts):
            raise ValueError(f'{text!r} is not a port range (write "A-B" or "N")')
        if not all(part.isascii() for part in parts):
            # str.isdigit() and int() take any script's digits; a plan writes 0-9 only.
            raise ValueError(f"{text!r} is not a port range: write its digits as 0-9")
        for part in parts:
            if len(part) > MAX_DIGITS_READ:
                raise ValueError(f"a number of {len(part):,} digits is not a port (0-{MAX_PORT})")
        numbers = [int(part) for part in parts]
        start, end = numbers[0], numbers[-1]
        for number in numbers:
            if number > MAX_PORT:
                raise ValueError(f"{number} in {text!r} is not a port (0-{MAX_PORT})")
        if start > end:
            raise ValueError(f"range {text!r} is reversed (start {start} > end {end})")
        return cls(start, end)

    def __str__(self) -> str:
        return str(self.start) if self.start == self.end else f"{self.start}-{self.end}"

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        # For the pydantic twin (model_pydantic), which imports pydantic before asking.
        # `Range` parses every input into a new PortRange first: what reaches this schema
        # is one already, so an instance check is all that is left to do. The reference
        # keeps pydantic from titling `ports` in the JSON Schema (it titles no named type).
        # It is written as text ("A-B" or "N").
        from pydantic_core import core_schema

        return core_schema.is_instance_schema(
            cls,
            ref=f"{cls.__module__}.{cls.__qualname__}",
            serialization=core_schema.plain_serializer_function_ser_schema(
                str, return_schema=core_schema.str_schema()
            ),
        )

    def __contains__(self, port: object) -> bool:
        return isinstance(port, int) and self.start <= port <= self.end

    def __len__(self) -> int:
        return self.end - self.start + 1

    def __iter__(self) -> Iterator[int]:
        return iter(range(self.start, self.end + 1))

    def contains_range(self, other: PortRange) -> bool:
        return self.start <= other.start and other.end <= self.end

    def overlaps(self, other: PortRange) -> bool:
        return self.start <= other.end and other.start <= self.end

    def shifted(self, offset: int) -> PortRange:
        return PortRange(self.start + offset, self.end + offset)


def toml_value(value: Any) -> str:
    """A value as a plan's author would name it: TOML's words, not Python's reprs."""
    import datetime as dt

    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return "a date and time"
    if isinstance(value, dt.date):
        return "a date"
    if isinstance(value, dt.time):
        return "a time"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "an array"
    return repr(value)


def _parse_range(value: Any) -> PortRange:
    if isinstance(value, PortRange):
        value = str(value)  # re-parsed: a PortRange may have been built with any two numbers
    if isinstance(value, int) and not isinstance(value, bool):
        # The file format writes ranges as text; a bare number would be rewritten on save.
        raise Invalid("range_type", f'a range is text: write "{value}" in quotes')
    if not isinstance(value, str):
        problem = f'{toml_value(value)} is not a port range (write "A-B" or "N")'
        raise Invalid("range_type", problem)
    try:
        return PortRange.parse(value)
    except ValueError as error:
        raise Invalid("range_value", str(error)) from None


def _check_port(value: Any) -> int:
    # Strict: a quoted "16000" or a float is a typo in a hand-edited file, not a port.
    if isinstance(value, bool) or not isinstance(value, int):
        raise Invalid("port_type", f"{toml_value(value)} is not a port (a whole number 1-65535)")
    if not 1 <= value <= MAX_PORT:
        raise Invalid("port_value", "{value} is not a port (1-65535)", {"value": value})
    return value


# The JSON Schema (`portplan schema`) describes the file, not the Python types: a range is
# text there. Reversed or out-of-range ranges pass the schema and are reported on load.
Port = Annotated[
    int,
    Check(
        before=_check_port,
        json_schema={"type": "integer", "minimum": 1, "maximum": MAX_PORT},
    ),
]
Range = Annotated[
    PortRange,
    Check(
        before=_parse_range,
        json_schema={
            "type": "string",
            "pattern": r"^\s*[0-9]+\s*(-\s*[0-9]+\s*)?$",
            "description": 'A port range "A-B" (inclusive) or a single port "N".',
            "examples": ["16000-16999", "16432"],
        },
    ),
]


def _check_bind(value: Any) -> str | None:
    # An address, not a host name: a plan says which interface, and `localhost` may be two.
    if value is None:
        return None  # every interface (only Python callers can say so; TOML has no null)
    if not isinstance(value, str):
        problem = "{value} is not an IP address in quotes"
        raise Invalid("bind_type", problem, {"value": toml_value(value)})
    try:
        ip_address(value)
    except ValueError:
        raise Invalid(
            "bind_value",
            '{value} is not an IP address (write e.g. "127.0.0.1" or "::1")',
            {"value": repr(value)},
        ) from None
    return value


# The address a service binds; absent means every interface (`0.0.0.0` and `::` say so too).
# TOML has no null: the schema says "a string" and an absent key is the default.
Bind = Annotated[
    str | None,
    Check(
        before=_check_bind,
        json_schema={
            "type": "string",
            "description": "The IP address the service binds; absent: every interface.",
            "examples": ["127.0.0.1", "::1"],
        },
    ),
]


def _check_name(value: str) -> str:
    if not value.strip():
        raise Invalid("empty_name", "a name cannot be empty")
    return value


Name = Annotated[str, Check(after=_check_name, json_schema={"type": "string", "pattern": r"\S"})]
