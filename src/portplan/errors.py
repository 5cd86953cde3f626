"""Errors a user can act on: each problem names its file, line and place in the plan."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    message: str
    place: str = ""
    line: int | None = None
    column: int | None = None

    def render(self, label: str) -> str:
        where = label
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return (
            f"{where}: {self.place}: {self.message}" if self.place else f"{where}: {self.message}"
        )


class PlanError(Exception):
    """A plan file that cannot be used; `str()` gives one line per problem."""

    def __init__(self, label: str, problems: list[Problem]) -> None:
        self.label = label
        self.problems = problems
        super().__init__("\n".join(problem.render(label) for problem in problems))


class UsageError(Exception):
    """A command-line request that cannot be carried out (unknown project, bad port …)."""
