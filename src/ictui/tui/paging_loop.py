"""Paging in the background: send the pages waiting in the outbox, read acknowledgements.

One thread runs for the life of the app. Each turn it reads paging's health on the
database's own connection (no SQLAlchemy: a cockpit that never pages never loads it);
only when a page waits does it deliver (ictui.paging.delivery), and only with a REST
token and pages out does it ask PagerDuty who acknowledged, at most every ACK_SECONDS.
Then it sleeps until woken (a page was just queued) or DELIVERY_SECONDS pass.
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
    from ictui.paging.delivery import PagingReport
    from ictui.store.interface import StoreAPI

DELIVERY_SECONDS = 5.0
log = logging.getLogger("ictui.paging")


class PagingLoop:
    def __init__(
        self,
        store: StoreAPI,
        settings: Settings,
        on_report: Callable[[PagingReport | None, str], object],
    ) -> None:
        self.store = store
        self.settings = settings
        # Called after each run that did something: its report, and what it met ("" if nothing).
        self.on_report = on_report
        self._wake = threading.Event()

    def wake(self) -> None:
        """Send now rather than at the next tick (a page was just queued)."""
        self._wake.set()

    def run(self) -> None:
        from ictui.paging.delivery import ACK_SECONDS

        worker = get_current_worker()
        next_ack = 0.0
        while not worker.is_cancelled:
            report: PagingReport | None = None
            error = ""
            acted = False
            try:
                health = self.store.paging_health()
                if health.pending:
                    from ictui.paging.delivery import deliver_pages

                    acted = True
                    report = deliver_pages(self.store, self.settings, stop=lambda: worker.is_cancelled)
                out = health.triggered + health.acknowledged
                if self.settings.pagerduty_api_token and out and time.monotonic() >= next_ack:
                    from ictui.paging.delivery import refresh_acknowledgements

                    next_ack = time.monotonic() + ACK_SECONDS
                    refresh_acknowledgements(self.store, self.settings)
            except IctuiError as exc:
                acted, error = True, str(exc)
            except Exception as exc:  # a network or database fault: report it, keep going
                log.exception("paging failed")
                acted, error = True, f"{type(exc).__name__}: {exc}"
            if acted:
                self.on_report(report, error)
            deadline = time.monotonic() + DELIVERY_SECONDS
            while not worker.is_cancelled and time.monotonic() < deadline:
                if self._wake.wait(0.25):
                    self._wake.clear()
                    break
