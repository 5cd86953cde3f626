"""Errors a user can act on: each problem names its file, line and place in the plan."""

from __future__ import annotations

from portplan.records import record


@record
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


# A person reads the first problems and fixes them; thousands of lines would bury the first.
SHOWN_PROBLEMS = 50


class PlanError(Exception):
    """A plan file that cannot be used; `str()` gives one line per problem, the first
    SHOWN_PROBLEMS of them and then how many more there are (`as_dict` holds them all)."""

    def __init__(self, label: str, problems: list[Problem]) -> None:
        self.label = label
        self.problems = problems
        lines = [problem.render(label) for problem in problems[:SHOWN_PROBLEMS]]
        if len(problems) > SHOWN_PROBLEMS:
            more = len(problems) - SHOWN_PROBLEMS
            lines.append(f"… and {more:,} more (use --format json for all)")
        super().__init__("\n".join(lines))

    def as_dict(self) -> dict[str, object]:
        """Every problem, for `--format json`."""
        return {
            "file": self.label,
            "problems": [
                {
                    "line": problem.line,
                    "column": problem.column,
                    "place": problem.place or None,
                    "message": problem.message,
                }
                for problem in self.problems
            ],
        }


class UsageError(Exception):
    """A command-line request that cannot be carried out (unknown project, bad port …)."""
