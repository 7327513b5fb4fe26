"""The top line: how many incidents are under way, and whether Slack is keeping up."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from ictui.domain.clock import now
from ictui.domain.views import IncidentRow
from ictui.tui.shown import plain


class StatusBar(Widget):
    active: reactive[int] = reactive(0)
    overdue: reactive[int] = reactive(0)
    pending: reactive[int] = reactive(0)
    offline: reactive[bool] = reactive(True)
    slack_error: reactive[str] = reactive("")
    loaded: reactive[bool] = reactive(False)

    def update_counts(self, rows: Sequence[IncidentRow], pending: int) -> None:
        current = now()
        active = [row for row in rows if row.status.is_active]
        self.active = len(active)
        self.overdue = sum(1 for row in active if (due := row.next_update_due()) and due < current)
        self.pending = pending
        self.loaded = True

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(" ictui ", style="bold reverse")
        if not self.loaded:
            text.append("  opening the database…", style="dim")
            return text
        text.append(f"  {self.active} active", style="bold")
        if self.overdue:
            text.append(f" · {self.overdue} update{'s' if self.overdue != 1 else ''} overdue", style="bold red")
        text.append("  │  Slack: ")
        if self.offline:
            text.append("offline", style="yellow")
        elif self.slack_error:
            text.append(plain(self.slack_error), style="red")
        else:
            text.append("connected", style="green")
        if self.pending:
            text.append(f" · {self.pending} pending", style="bold yellow")
        return text
