"""The command palette (ctrl+p): every planner action by name, from the keymap."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from portplan.tui.keymap import PLANNER_KEYS, display_keys


class PlannerCommands(Provider):
    def _commands(self) -> list[tuple[str, str, str]]:
        return [
            (f"{key.description} ({display_keys(key)})", key.help, key.action)
            for key in PLANNER_KEYS
        ]

    async def discover(self) -> Hits:
        for name, help_text, action in self._commands():
            yield DiscoveryHit(name, partial(self.screen.run_action, action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, action in self._commands():
            score = matcher.match(f"{name} {help_text}")
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(name),
                    partial(self.screen.run_action, action),
                    help=help_text,
                )
