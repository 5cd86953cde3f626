"""The findings list keeps what did not change between two `show` calls."""

from __future__ import annotations

from textual.app import App, ComposeResult

from portplan.findings import Finding
from portplan.tui.widgets.findings_list import FindingsList
from tests.tui_helpers import run


def _finding(number: int, severity: str = "warning") -> Finding:
    return Finding(severity, "test", f"finding {number}", (number,), (f"P/T/s{number}",))  # type: ignore[arg-type]


class _Host(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.chosen: list[Finding] = []

    def compose(self) -> ComposeResult:
        yield FindingsList(id="findings")

    def on_findings_list_finding_chosen(self, event: FindingsList.FindingChosen) -> None:
        self.chosen.append(event.finding)


def test_show_reuses_options_keeps_the_highlight_and_chooses_the_right_finding() -> None:
    a, b, c, d = (_finding(n) for n in range(4))

    async def body() -> None:
        app = _Host()
        async with app.run_test() as pilot:
            findings = app.query_one(FindingsList)
            findings.show([a, b, c])
            findings.highlighted = 2
            options = list(findings.options)

            findings.show([a, b, c])  # nothing changed: the same options, the same highlight
            assert list(findings.options) == options
            assert all(x is y for x, y in zip(findings.options, options, strict=True))
            assert findings.highlighted == 2

            changed = _finding(5)
            findings.show([a, changed, c])  # as many as before: only the second one changes
            assert all(x is y for x, y in zip(findings.options, options, strict=True))
            assert [str(o.prompt) for o in findings.options] == [
                "⚠ finding 0",
                "⚠ finding 5",
                "⚠ finding 2",
            ]
            assert findings.findings == [a, changed, c] and findings.highlighted == 2
            findings.show([a, b, c])
            assert str(findings.options[1].prompt) == "⚠ finding 1"

            findings.show([a, c, d, _finding(4, "error")])
            assert findings.options[0] is options[0] and findings.options[1] is options[2]
            assert all(o not in options for o in findings.options[2:])
            assert [str(o.prompt) for o in findings.options] == [
                "⚠ finding 0",
                "⚠ finding 2",
                "⚠ finding 3",
                "✗ finding 4",
            ]
            assert findings.highlighted == 2
            assert findings.border_title == "Findings (4)"

            findings.focus()
            await pilot.press("enter")
            await pilot.pause()
            assert app.chosen == [d]

            findings.show([])
            assert findings.option_count == 0 and findings.border_title == "Findings (0)"

    run(body)


def test_a_finding_listed_twice_gets_two_options() -> None:
    a = _finding(1)

    async def body() -> None:
        app = _Host()
        async with app.run_test():
            findings = app.query_one(FindingsList)
            findings.show([a])
            findings.show([a, a])
            assert findings.option_count == 2
            assert findings.options[0] is not findings.options[1]

    run(body)
