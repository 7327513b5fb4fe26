"""Recent reports in the escalation channel; enter starts a triage from one of them."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ictui.domain.clock import now, short_duration
from ictui.tui.calls import call_in_thread
from ictui.tui.flows import flow, write
from ictui.tui.messages import AppServices, services
from ictui.tui.screen_styles import StyledOnce
from ictui.tui.shown import plain, shown

if TYPE_CHECKING:
    from ictui.domain.views import IncidentView
    from ictui.slack.escalation import EscalationMessage


class EscalationScreen(StyledOnce, ModalScreen[int | None]):
    """Dismisses with the number of the triage it started, or None."""

    CSS_PATH = "forms.tcss"
    BINDINGS = [
        Binding("enter", "start_triage", "Start triage", id="escalations.start", priority=True),
        Binding("r", "refresh", "Refresh", id="escalations.refresh"),
        Binding("escape", "dismiss_none", "Back", id="escalations.back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.messages: list[EscalationMessage] = []

    @property
    def ictui(self) -> AppServices:
        return services(self)

    def compose(self) -> ComposeResult:
        channel = self.ictui.settings.escalation_channel
        with Vertical(classes="form form-wide"):
            yield Static(shown(f"Reports in {channel}"), classes="form-title")
            yield Static("", id="escalations-status")
            yield OptionList(id="escalations")
            yield Static(
                "enter starts a triage from the report · r refreshes · escape goes back", classes="form-help"
            )

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        self.action_refresh()

    def _status(self, message: str) -> None:
        self.query_one("#escalations-status", Static).update(shown(message))

    def action_refresh(self) -> None:
        settings = self.ictui.settings
        if not settings.slack_configured:
            self._status(
                "Slack is not configured (SLACK_BOT_TOKEN): escalations cannot be listed. "
                "`ictui import-escalation` needs it too."
            )
            return
        from ictui.slack.escalation import fetch_escalations

        store = self.ictui.store
        self._status("Loading…")
        call_in_thread(
            self,
            lambda: fetch_escalations(settings, 50, store=store),
            self._show,
            on_error=self._status,
            group="escalations",
            exclusive=True,
            description="listing escalations",
        )

    def _show(self, messages: list[EscalationMessage]) -> None:
        self.messages = messages
        options = self.query_one(OptionList)
        options.clear_options()
        current: datetime = now()  # a pendulum DateTime, less any aware datetime: a timedelta
        for index, message in enumerate(messages):
            label = Text(no_wrap=True, overflow="ellipsis")
            label.append(
                f"{short_duration((current - message.posted_at).total_seconds()):>6} ago  ", style="dim"
            )
            label.append(f"{plain(message.author)}: ", style="bold")
            label.append(plain(message.title))
            if message.imported_as is not None:
                label.append(f"  → #{message.imported_as}", style="green")
            options.add_option(Option(label, id=str(index)))
        if messages:
            # The newest report under the cursor: enter starts its triage at once.
            options.highlighted = 0
        count = len(messages)
        self._status(
            f"{count} recent report{'s' if count != 1 else ''}" if messages else "No reports in the channel."
        )

    @flow
    async def action_start_triage(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is None or not self.messages:
            return
        message = self.messages[options.highlighted]
        if message.imported_as is not None:
            self.dismiss(message.imported_as)
            return
        from ictui.slack.escalation import import_escalation

        store, settings = self.ictui.store, self.ictui.settings
        if store is None:  # still opening: the key does nothing yet, as on the outbox screen
            return
        self._started(
            await write(
                self,
                lambda: import_escalation(store, settings, message, author=settings.user),
                "starting the triage",
                refused=self._status,
            )
        )

    def _started(self, view: IncidentView) -> None:
        self.notify(f"Triage #{view.number} started from {view.title!r}", timeout=4)
        self.dismiss(view.number)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
