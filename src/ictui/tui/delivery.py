"""Slack in the background: deliver the outbox, pull pinned messages, never block the UI.

Two threads run for the life of the app when a token is configured. One delivers what is
due, then sleeps until woken (something was queued) or ``DELIVERY_SECONDS`` pass
(retries come due). The other polls the active incidents' channels every
``SYNC_SECONDS`` (slack/sync.py, ``Poller``): on a thread of its own, so that a slow or
rate-limited poll never delays an update, and only while this cockpit holds the
database's poll lease, so that ten cockpits on one database poll Slack once. With an
app-level token (``SLACK_APP_TOKEN``) a third takes Slack's events live over Socket Mode
(slack/live.py), again one per database.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.worker import get_current_worker

from ictui.domain.errors import IctuiError

if TYPE_CHECKING:
    from ictui.config import Settings
    from ictui.domain.outbox import DeliveryReport
    from ictui.slack.live import EscalationReport
    from ictui.store.interface import StoreAPI

DELIVERY_SECONDS = 5.0
SYNC_SECONDS = 30.0
log = logging.getLogger("ictui.delivery")


class SlackLoop:
    def __init__(
        self,
        store: StoreAPI,
        settings: Settings,
        on_report: Callable[[DeliveryReport | None, str], object],
        on_escalation: Callable[[str, str], object] | None = None,
    ) -> None:
        self.store = store
        self.settings = settings
        # Called once per run: what the delivery did (None if it failed) and what the
        # delivery or the sync met ("" when both went through), for the Slack light.
        self.on_report = on_report
        # A new report in the escalation channel (author, text), live over Socket Mode.
        self.on_escalation = on_escalation
        self._wake = threading.Event()
        self._done = threading.Event()
        # What the poll last met ("" when it went through), shown with the next report.
        self.sync_error = ""
        self.owner = f"cockpit-{uuid.uuid4().hex[:12]}"

    def wake(self) -> None:
        """Deliver now rather than at the next tick (an update was just queued)."""
        self._wake.set()

    def run(self) -> None:
        """The thread worker's body; ``on_report`` must be thread-safe and must
        not wait for the event loop (it may be closing): post a message, don't call back."""
        from ictui.slack.client import Gateway
        from ictui.slack.outbox import deliver_pending

        worker = get_current_worker()
        poll = threading.Thread(target=self._poll, name="slack-poll", daemon=True)
        poll.start()
        if self.settings.slack_app_token:
            threading.Thread(target=self._live, name="slack-live", daemon=True).start()
        checked = False
        try:
            while not worker.is_cancelled:
                report: DeliveryReport | None = None
                error = ""
                try:
                    if not checked:
                        # Slack's own word on the token before the light says "connected"
                        # (an empty outbox would otherwise never ask). A refusal is said;
                        # the delivery below meets it too, and fails its items as it should.
                        try:
                            Gateway(self.settings).identity()
                            checked = True
                        except IctuiError as exc:
                            # A passing failure (503, unreachable) is the outbox's to retry
                            # and the light's to say ("retrying"); a refusal is said now.
                            if getattr(exc, "permanent", True):
                                error = str(exc)
                    report = deliver_pending(self.store, self.settings, stop=lambda: worker.is_cancelled)
                except IctuiError as exc:
                    error = error or str(exc)
                except Exception as exc:  # a network or database fault: report it, keep going
                    log.exception("Slack delivery failed")
                    error = f"{type(exc).__name__}: {exc}"
                self.on_report(report, error or self.sync_error)
                # Short waits so that the thread notices the app closing.
                deadline = time.monotonic() + DELIVERY_SECONDS
                while not worker.is_cancelled and time.monotonic() < deadline:
                    if self._wake.wait(0.25):
                        self._wake.clear()
                        break
        finally:
            self._done.set()

    def _live(self) -> None:
        """Slack's events over Socket Mode while the delivery runs (slack/live.py)."""
        from ictui.slack.live import LiveEvents

        def arrived(report: EscalationReport) -> None:
            if self.on_escalation is not None:
                self.on_escalation(report.author, report.text)

        try:
            LiveEvents(self.store, self.settings, self.owner, arrived).run(self._done)
        except Exception as exc:  # no connection: the poll goes on; say why
            log.exception("Slack live events failed")
            self.sync_error = f"Slack live events: {exc}"

    def _poll(self) -> None:
        """The poll's thread: a turn every SYNC_SECONDS while the delivery runs."""
        from ictui.slack.sync import Poller

        poller = Poller(self.store, self.settings, self.owner, lease_seconds=SYNC_SECONDS * 3)
        try:
            while not self._done.is_set():
                try:
                    self.sync_error = poller.poll()
                except IctuiError as exc:
                    self.sync_error = str(exc)
                except Exception as exc:  # a network or database fault: say it, poll again later
                    log.exception("Slack poll failed")
                    self.sync_error = f"{type(exc).__name__}: {exc}"
                self._done.wait(SYNC_SECONDS)
        finally:
            try:
                poller.close()
            except Exception:  # the database closing with the app: the lease lapses by itself
                log.debug("poll lease not released", exc_info=True)
