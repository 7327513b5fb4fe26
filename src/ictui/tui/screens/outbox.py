"""What waits for Slack, and why: the outbox, item by item; ``r`` retries failed ones."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ictui.domain.clock import to_local
from ictui.domain.enums import OutboxState
from ictui.tui.ask_then_write import write_answer
from ictui.tui.calls import call_in_thread
from ictui.tui.messages import AppServices, services
from ictui.tui.shown import plain

if TYPE_CHECKING:
    from ictui.domain.outbox import OutboxItemView

REFRESH_SECONDS = 1.0
_STATE_STYLES = {
    OutboxState.PENDING: "yellow",
    OutboxState.IN_FLIGHT: "cyan",
    OutboxState.FAILED: "bold red",
    OutboxState.DONE: "green",
}


class OutboxScreen(ModalScreen[None]):
    CSS_PATH = "forms.tcss"
    BINDINGS = [
        Binding("r", "retry", "Retry failed", id="outbox.retry"),
        Binding("escape,o", "dismiss", "Back", id="outbox.back"),
    ]

    @property
    def ictui(self) -> AppServices:
        return services(self)

    def compose(self) -> ComposeResult:
        with Vertical(classes="form form-wide"):
            yield Static("Slack outbox: what waits, and why", classes="form-title")
            with VerticalScroll():
                yield Static("Loading…", id="outbox-items")
            yield Static("r retries failed items · escape goes back", classes="form-help")

    def on_mount(self) -> None:
        # After the first frame: the first read loads the database layer, whose import in
        # a thread would hold the screen's first frame back by a third of a second.
        self.call_after_refresh(self._load)
        # The outbox changes under the screen (the Slack thread, `ictui outbox`): it follows.
        self.set_interval(REFRESH_SECONDS, self._load)

    def _load(self) -> None:
        store = self.ictui.store
        if store is None:
            return
        # A lambda: reading the attribute itself opens the whole store, on the event loop.
        call_in_thread(self, lambda: store.outbox_items(), self._show, group="outbox", exclusive=True,
                       description="reading the outbox")

    def _show(self, items: list[OutboxItemView]) -> None:
        if self not in self.app.screen_stack:
            return  # closed while its data was read
        widget = self.query_one("#outbox-items", Static)
        if not items:
            widget.update("Nothing waits: everything was delivered.")
            return
        table = Table(expand=True, box=None, padding=(0, 1), header_style="bold")
        for column in ("#", "incident", "action", "state", "tries", "why it waits"):
            table.add_column(column, no_wrap=column != "why it waits", overflow="fold")
        for item in items:
            why = item.last_error or item.waiting_for
            if item.next_attempt_at and item.state is OutboxState.PENDING and item.attempts:
                why = f"{why} (next try {to_local(item.next_attempt_at).format('HH:mm:ss')})".strip()
            if not self.ictui.settings.slack_configured and item.state is OutboxState.PENDING:
                why = why or "Slack is not configured"
            table.add_row(
                Text(str(item.id)),
                Text(f"#{item.incident_number}" if item.incident_number else "—"),
                Text(plain(item.label)),  # a Rich table reads a plain str as markup
                Text(str(item.state), style=_STATE_STYLES.get(item.state, "")),
                Text(str(item.attempts)),
                Text(plain(why)),
            )
        widget.update(table)

    def action_retry(self) -> None:
        from ictui.slack.outbox import retry_failed

        store = self.ictui.store
        if store is None:
            return

        def retried(count: int) -> None:
            self.notify(f"{count} failed item{'s' if count != 1 else ''} back in the queue", timeout=3)
            self.ictui.deliver_outbox()
            self._load()

        write_answer(self, lambda: retry_failed(store), None, then=retried, description="retrying")

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(result)
