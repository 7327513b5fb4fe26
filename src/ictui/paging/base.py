"""The seam every paging provider fits: send an event, say who acknowledged it.

A provider is a module beside this one (pagerduty.py); Opsgenie or Grafana OnCall would
be another, chosen in :func:`ictui.paging.delivery.provider_for`. Both calls block
(HTTP): they run in worker threads and the CLI, never on the cockpit's event loop.
"""

from __future__ import annotations

from typing import Protocol

from ictui.domain.paging import PageState, PageWork


class PagingFailure(Exception):
    """A page the provider did not take. ``permanent``: retrying the same event will not
    help (it was refused as invalid); otherwise it waits at least ``retry_after`` seconds."""

    def __init__(
        self, message: str, *, permanent: bool = False, retry_after: float = 0.0, unreachable: bool = False
    ) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.retry_after = retry_after
        # The provider could not be reached or is overloaded: no use trying other pages now.
        self.unreachable = unreachable


class Pager(Protocol):
    def send(self, work: PageWork) -> str:
        """Trigger (or resolve) the alert; returns the provider's word for it. Sending the
        same event twice is harmless (its dedup key names one alert). Raises PagingFailure."""
        ...


class PageStatus(Protocol):
    def state(self, dedup_key: str) -> tuple[PageState, str] | None:
        """The alert's state and who acknowledged it ("" if nobody); None if unknown.
        Raises PagingFailure when the provider cannot be asked."""
        ...
