"""Short pickers that stop at their ends: one ↓ too many stays on the last option
rather than wrapping round to the first (a step back, in a status menu)."""

from __future__ import annotations

from typing import Literal

from textual import _widget_navigation  # the helper OptionList itself moves with
from textual.widgets import OptionList


class StopOptionList(OptionList):
    def _step(self, direction: Literal[-1, 1]) -> None:
        found = _widget_navigation.find_next_enabled_no_wrap(
            self.options,
            anchor=self.highlighted,
            direction=direction,
        )
        if found is not None:
            self.highlighted = found

    def action_cursor_up(self) -> None:
        self._step(-1)

    def action_cursor_down(self) -> None:
        self._step(1)
