"""The top line: how many incidents are under way, whether Slack is keeping up, and,
once anyone is paged, paging's state beside it (waiting and why, paging, acknowledged).

The Slack light (domain/slack_light.py) reads the outbox from the database itself, in a
thread, each time the cockpit shows a change (``update_counts``: the cockpit reloads
whenever anyone writes, this cockpit, the CLI's `ictui outbox`, another terminal) and
after each delivery run; between them it is drawn again every second, for the times
it counts down.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from ictui.domain.clock import now
from ictui.domain.paging import PagingHealth
from ictui.domain.slack_light import OutboxHealth, SlackLight, slack_light
from ictui.domain.views import IncidentRow
from ictui.tui.calls import call_in_thread
from ictui.tui.shown import plain

if TYPE_CHECKING:
    from ictui.domain.outbox import DeliveryReport

HEALTH_SECONDS = 1.0
_TONES = {"ok": "green", "busy": "cyan", "warn": "yellow", "error": "bold red"}


class StatusBar(Widget):
    active: reactive[int] = reactive(0)
    overdue: reactive[int] = reactive(0)
    pending: reactive[int] = reactive(0)
    # Slack is not configured (no token).
    offline: reactive[bool] = reactive(True)
    # Why the Slack loop's last delivery run stopped (the token refused), "" if it did not.
    stopped: reactive[str] = reactive("")
    # What the loop's last run met otherwise (the sync of pinned messages, an exception).
    sync_error: reactive[str] = reactive("")
    health: reactive[OutboxHealth | None] = reactive(None)
    paging: reactive[PagingHealth | None] = reactive(None)
    loaded: reactive[bool] = reactive(False)
    # Slack has answered (a delivery run ended) since the cockpit started.
    answered: reactive[bool] = reactive(False)
    # Keys typed ahead, waiting for what is on its way (a write, a form, the database).
    keys_held: reactive[int] = reactive(0)
    # New reports in the escalation channel since the IC last opened them (E).
    new_reports: reactive[int] = reactive(0)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._reading = False
        self._again = False
        # The last read failed: the next tick reads again.
        self._stale = False

    def on_mount(self) -> None:
        self.set_interval(HEALTH_SECONDS, self._tick)

    def _tick(self) -> None:
        """A clock: "next try in" counts down; the database is read again only after a
        failed read (a change in it comes through ``update_counts``)."""
        if self._stale:
            self.refresh_health()
        else:
            self.refresh()

    def update_counts(self, rows: Sequence[IncidentRow], pending: int) -> None:
        current = now()
        active = [row for row in rows if row.status.is_active]
        self.active = len(active)
        self.overdue = sum(1 for row in active if (due := row.next_update_due()) and due < current)
        self.pending = pending
        self.loaded = True
        self.refresh_health()

    def show_run(self, report: DeliveryReport) -> None:
        """A delivery run ended: a refusal stands until a run goes through."""
        if not report.busy:
            self.stopped = report.stopped
        self.answered = True
        self.refresh_health()

    def refresh_health(self) -> None:
        store = getattr(self.app, "store", None)
        if store is None or not hasattr(store, "outbox_health"):
            return
        if self._reading:
            self._again = True  # read again once this read is in: it may predate a write
            return
        self._reading = True
        call_in_thread(
            self,
            lambda: (store.outbox_health(), _paging_of(store)),
            self._show_health,
            on_error=self._read_failed,
            group="slack-light",
            description="reading the outbox",
        )

    def _show_health(self, healths: tuple[OutboxHealth, PagingHealth | None]) -> None:
        self._reading = False
        self._stale = False
        self.health, self.paging = healths
        self.refresh()  # the "next try in" counts down even when nothing else changes
        if self._again:
            self._again = False
            self.refresh_health()

    def _read_failed(self, message: str) -> None:
        # The next tick tries again; the database's own errors are said where they happen.
        self._reading = False
        self._again = False
        self._stale = True

    @property
    def light(self) -> SlackLight:
        health = self.health if self.health is not None else OutboxHealth(pending=self.pending)
        return slack_light(
            not self.offline, health, self.stopped or self.sync_error, now(), answered=self.answered
        )

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(" ictui ", style="bold reverse")
        if self.keys_held:
            # Keys typed ahead wait: they go, in order, once what they wait for is shown.
            text.append(
                f" {self.keys_held} key{'s' if self.keys_held != 1 else ''} held ",
                style="bold black on yellow",
            )
        if not self.loaded:
            text.append("  opening the database…", style="dim")
            return text
        text.append(f"  {self.active} active", style="bold")
        if self.overdue:
            text.append(
                f" · {self.overdue} update{'s' if self.overdue != 1 else ''} overdue", style="bold red"
            )
        if self.new_reports:
            reports = "1 new report" if self.new_reports == 1 else f"{self.new_reports} new reports"
            text.append(f" · {reports} (E)", style="bold magenta")
        text.append("  │  Slack: ")
        light = self.light
        text.append(light.word, style=_TONES[light.tone])
        # The counts before the why: a narrow terminal cuts the why, never the counts.
        if light.counts:
            text.append(f" · {light.counts}", style="bold yellow")
        if light.detail:
            text.append(
                f" ({plain(light.detail)})", style=_TONES[light.tone] if light.tone == "error" else ""
            )
        paging, tone = self.paging.light() if self.paging is not None else ("", "ok")
        if paging:
            text.append("  │  Paging: ")
            text.append(plain(paging), style=_TONES[tone])
        return text


def _paging_of(store: object) -> PagingHealth | None:
    read = getattr(store, "paging_health", None)
    return read() if read is not None else None
