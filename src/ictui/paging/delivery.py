"""Delivering the outbox's pages, and reading who acknowledged them.

``deliver_pages(store, settings, *, max_seconds=None, stop=None, pager=None) -> PagingReport``
    Blocking (HTTP): from a worker thread or the CLI. Sends each due page (and each
    resolution), one alert's items in order. A 429, a 5xx, a network error or a reply
    that could not be read: the item waits (backoff, at least 30 s after a 429) and is
    sent again, which is safe, as its dedup key names one alert. A 400 is final: the
    item fails with PagerDuty's message, on the timeline, until retried or dropped.
    With ``max_seconds`` it also waits for retries that come due within that time.

``refresh_acknowledgements(store, settings, status=None) -> int``
    With a REST token: asks PagerDuty for each open page's state; returns how many
    changed. Blocking; the cockpit calls it from a worker, at most every 30 s.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from ictui.config import Settings
from ictui.domain.clock import now
from ictui.domain.outbox import backoff
from ictui.domain.paging import PageState, PageWork
from ictui.paging.base import Pager, PageStatus, PagingFailure
from ictui.store.interface import StoreAPI

# The cockpit asks PagerDuty who acknowledged at most this often.
ACK_SECONDS = 30.0


@dataclass(frozen=True, slots=True)
class PagingReport:
    delivered: int = 0
    retrying: int = 0
    failed: int = 0
    pending: int = 0
    failed_total: int = 0
    errors: tuple[str, ...] = field(default=())

    def summary(self) -> str:
        parts = []
        if self.delivered:
            parts.append(f"sent {self.delivered}")
        if self.pending:
            parts.append(f"{self.pending} pending")
        if self.failed_total:
            parts.append(f"{self.failed_total} refused")
        text = ", ".join(parts) or "no page to send"
        return f"{text}: {self.errors[-1]}" if self.errors and (self.pending or self.failed_total) else text


def provider_for(settings: Settings) -> Pager:
    """The provider pages go to (PagerDuty; the seam for others is ictui.paging.base)."""
    from ictui.paging.pagerduty import PagerDutyPager

    return PagerDutyPager(settings.pagerduty_events_url)


def status_for(settings: Settings) -> PageStatus | None:
    if not settings.pagerduty_api_token:
        return None
    from ictui.paging.pagerduty import PagerDutyStatus

    return PagerDutyStatus(settings.pagerduty_api_url, settings.pagerduty_api_token)


def deliver_pages(
    store: StoreAPI,
    settings: Settings,
    *,
    max_seconds: float | None = None,
    stop: Callable[[], bool] | None = None,
    pager: Pager | None = None,
) -> PagingReport:
    pager = pager or provider_for(settings)
    stop = stop or (lambda: False)
    deadline = None if max_seconds is None else time.monotonic() + max_seconds
    delivered = retrying = failed = 0
    errors: list[str] = []
    paused_until: datetime | None = None
    while not stop():
        if deadline is not None and time.monotonic() >= deadline:
            break
        paused = paused_until is not None and now() < paused_until
        work = None if paused else store.paging_claim()
        if work is None:
            if not _wait(store, deadline, paused_until, stop):
                break
            continue
        try:
            answer = pager.send(work)
        except PagingFailure as exc:
            retry_at = (
                None
                if exc.permanent
                else now() + max(backoff(work.attempts), timedelta(seconds=exc.retry_after))
            )
            store.page_failed(work.item_id, str(exc), permanent=exc.permanent, retry_at=retry_at)
            errors.append(f"#{work.incident_number} {work.team}: {exc}")
            if exc.permanent:
                failed += 1
            else:
                retrying += 1
                if exc.unreachable:
                    paused_until = retry_at
            continue
        store.page_delivered(work.item_id, answer)
        delivered += 1
    summary = store.paging_summary()
    return PagingReport(delivered, retrying, failed, summary.pending, summary.failed, tuple(errors))


def _wait(
    store: StoreAPI, deadline: float | None, paused_until: datetime | None, stop: Callable[[], bool]
) -> bool:
    """Sleep until the next retry if it comes before the deadline; False: the run is over."""
    if deadline is None:
        return False
    wake = [t for t in (store.paging_next_retry(), paused_until) if t is not None and t > now()]
    if not wake:
        return False
    seconds = (min(wake) - now()).total_seconds()
    if time.monotonic() + seconds > deadline:
        return False
    until = time.monotonic() + max(seconds, 0.05)
    while time.monotonic() < until:
        if stop():
            return False
        time.sleep(min(0.1, max(until - time.monotonic(), 0)))
    return True


def refresh_acknowledgements(store: StoreAPI, settings: Settings, status: PageStatus | None = None) -> int:
    """Each open, accepted page's state as PagerDuty has it; returns how many changed."""
    status = status or status_for(settings)
    if status is None:
        return 0
    changed = 0
    seen: dict[str, tuple[PageState, str] | None] = {}
    for page in store.pages():
        if page.state not in (PageState.TRIGGERED, PageState.ACKNOWLEDGED):
            continue
        if page.dedup_key not in seen:
            seen[page.dedup_key] = status.state(page.dedup_key)
        found = seen[page.dedup_key]
        if found is None or found == (page.state, page.acknowledged_by):
            continue
        store.page_status(page.id, *found)
        changed += 1
    return changed


__all__ = ["ACK_SECONDS", "PageWork", "PagingReport", "deliver_pages", "refresh_acknowledgements"]
