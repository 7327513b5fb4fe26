"""Slack in the background: deliver the outbox, pull pinned messages, never block the UI.

One thread runs for the life of the app when a token is configured. It delivers what is
due, syncs the active incidents' channels every ``SYNC_SECONDS``, then sleeps until
woken (something was queued) or ``DELIVERY_SECONDS`` pass (retries come due).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.worker import get_current_worker

from ictui.domain.errors import IctuiError

if TYPE_CHECKING:
    from ictui.config import Settings
    from ictui.domain.outbox import DeliveryReport
    from ictui.store.interface import StoreAPI

DELIVERY_SECONDS = 5.0
SYNC_SECONDS = 30.0
log = logging.getLogger("ictui.delivery")


class SlackLoop:
    def __init__(
        self,
        store: StoreAPI,
        settings: Settings,
        on_report: Callable[[DeliveryReport | None, str], None],
    ) -> None:
        self.store = store
        self.settings = settings
        # Called once per run: what the delivery did (None if it failed) and what the
        # delivery or the sync met ("" when both went through), for the Slack light.
        self.on_report = on_report
        self._wake = threading.Event()

    def wake(self) -> None:
        """Deliver now rather than at the next tick (an update was just queued)."""
        self._wake.set()

    def run(self) -> None:
        """The thread worker's body; ``on_report`` must be thread-safe and must
        not wait for the event loop (it may be closing): post a message, don't call back."""
        from ictui.slack.outbox import deliver_pending
        from ictui.slack.sync import sync_active

        from ictui.slack.client import Gateway

        worker = get_current_worker()
        next_sync = 0.0
        checked = False
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
                if time.monotonic() >= next_sync:
                    sync_active(self.store, self.settings)
                    next_sync = time.monotonic() + SYNC_SECONDS
            except IctuiError as exc:
                error = error or str(exc)
            except Exception as exc:  # a network or database fault: report it, keep going
                log.exception("Slack delivery failed")
                error = f"{type(exc).__name__}: {exc}"
            self.on_report(report, error)
            # Short waits so that the thread notices the app closing.
            deadline = time.monotonic() + DELIVERY_SECONDS
            while not worker.is_cancelled and time.monotonic() < deadline:
                if self._wake.wait(0.25):
                    self._wake.clear()
                    break
