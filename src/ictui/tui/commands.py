"""The command palette (ctrl+p): every action of the current screen, by its name."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from ictui.tui.keymap import KeyAction, key_actions


class CockpitCommands(Provider):
    """Lists the same actions as the help screen, so that the two never disagree."""

    def _actions(self) -> list[KeyAction]:
        return list(key_actions(self.screen))

    async def discover(self) -> Hits:
        for action in self._actions():
            yield DiscoveryHit(
                action.description,
                partial(action.node.run_action, action.action),
                help=f"{action.section} · key {action.key}",
            )

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for action in self._actions():
            score = matcher.match(f"{action.description} {action.section}")
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(action.description),
                    partial(action.node.run_action, action.action),
                    help=f"{action.section} · key {action.key}",
                )
