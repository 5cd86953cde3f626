"""GitHub Actions workflow commands: one `::error file=…,line=…::message` line per finding.

The runner reads these lines from a step's output and shows each as an annotation on the
file and line, in the pull request's diff. Escaping follows the runner's rules (the same as
@actions/core's command.ts): `%`, CR and LF in the message; also `:` and `,` in properties.
The runner echoes each line into the job's log, which a browser and a terminal (`gh run view
--log`) both show, so every other control or bidi character from a name, a path or a process
name is shown as its escape first (`visible`): percent-encoding alone would let it through.
"""

from __future__ import annotations

from portplan.report.items import Item, Report
from portplan.terminal import visible

# GitHub has three annotation levels; `info` findings become notices.
LEVELS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def shown(text: str) -> str:
    """`text` with every control character escaped but CR, which `escape_data` percent-encodes
    (the runner decodes it back, as a line break of the annotation, not of the log)."""
    return "\r".join(visible(part) for part in text.split("\r"))


def annotation(item: Item) -> str:
    properties: list[tuple[str, str]] = []
    if item.location is not None:
        properties.append(("file", item.location.file))
        if item.location.line is not None:
            properties.append(("line", str(item.location.line)))
            if item.location.column is not None:
                properties.append(("col", str(item.location.column)))
    properties.append(("title", f"portplan/{item.rule.label}"))
    joined = ",".join(f"{key}={escape_property(shown(value))}" for key, value in properties)
    if item.accepted is not None:
        # Still shown, so that the decision stays visible in review, but only as a notice.
        message = f"accepted ({item.accepted}): {item.message}"
        return f"::notice {joined}::{escape_data(shown(message))}"
    return f"::{LEVELS[item.severity]} {joined}::{escape_data(shown(item.message))}"


def render_github(report: Report) -> str:
    return "".join(annotation(item) + "\n" for item in report.items)
