"""Paging a team's on-call: the rules, whatever the provider (PagerDuty now). Pure.

A page is one alert per incident and team: its dedup key is fixed by the two, so paging
the same team again (or a retry after a lost reply) reaches the alert already open. It
is queued in the outbox in the same transaction as its timeline entry, and delivered by
the paging worker (ictui.paging), never behind a Slack item nor holding one back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from urllib.parse import urlsplit

from ictui.domain.enums import OutboxState, Severity, Status
from ictui.domain.errors import InvalidInput

# PagerDuty's integration (routing) keys: 32 letters and digits.
_KEY = re.compile(r"^[A-Za-z0-9]{32}$")
# The statuses that end an incident: its open alerts are resolved with it.
ENDING_STATUSES = frozenset({Status.RESOLVED, Status.CLOSED, Status.DECLINED})
SEVERITY_OF = {
    Severity.SEV1: "critical",
    Severity.SEV2: "error",
    Severity.SEV3: "warning",
    Severity.SEV4: "info",
}
# Longest summary PagerDuty keeps (its reference: 1024 characters).
MAX_SUMMARY = 1024
MAX_MESSAGE = 500


class PageState(StrEnum):
    # Queued in the outbox, not yet accepted by the provider.
    QUEUED = "queued"
    # Accepted: the on-call is being paged.
    TRIGGERED = "triggered"
    ACKNOWLEDGED = "acknowledged"
    # The provider refused it (a 400: the event is invalid); dropped or retried by hand.
    REFUSED = "refused"
    RESOLVED = "resolved"


# The name the provider's answers are recorded under on the timeline.
PAGING_AUTHOR = "pagerduty"
# Pages still open at the provider (or on their way to it), and outbox items not done with.
OPEN_PAGES = (PageState.QUEUED, PageState.TRIGGERED, PageState.ACKNOWLEDGED)
OPEN_ITEMS = (OutboxState.PENDING, OutboxState.IN_FLIGHT, OutboxState.FAILED)


def check_key(key: str) -> str:
    """A routing key as typed; "" clears it. Raises one line, never echoing the key."""
    key = key.strip()
    if key and not _KEY.match(key):
        raise InvalidInput(
            "a PagerDuty integration key is 32 letters and digits (the service's Events API v2 "
            'integration, "Integration Key"); this one is not'
        )
    return key


def mask_key(key: str) -> str:
    """Enough of a key to tell two apart, never enough to use: ``R01…89AB``."""
    if not key:
        return ""
    return f"{key[:3]}…{key[-4:]}"


def dedup_key(instance: str, number: int, team_id: int) -> str:
    """Fixed per database, incident and team: paging again reuses the open alert."""
    return f"ictui-{instance}-{number}-{team_id}"


def summary(number: int, severity: Severity, title: str, message: str = "") -> str:
    text = f"#{number} [{severity}] {title}" + (f": {message}" if message else "")
    return text if len(text) <= MAX_SUMMARY else text[: MAX_SUMMARY - 1] + "…"


def entry_text(team: str, message: str) -> str:
    """The page as the timeline says it."""
    return f"Paged {team} on-call" + (f": {message}" if message else "")


def check_url(url: str, variable: str) -> str:
    """An API base: https, or http on a loopback address (a local fake, in tests)."""
    url = url.strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return url
    if parts.scheme == "http" and parts.hostname and _loopback(parts.hostname):
        return url
    raise InvalidInput(f"{variable} must be an https:// URL (http:// only on this machine's loopback)")


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    import ipaddress

    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True, slots=True)
class PageView:
    id: int
    incident_number: int
    team: str
    message: str
    dedup_key: str
    state: PageState
    paged_by: str
    created_at: datetime
    triggered_at: datetime | None = None
    resolved_at: datetime | None = None
    acknowledged_by: str = ""
    # Why it is not delivered yet (the outbox's last error), or PagerDuty's refusal.
    last_error: str = ""

    @property
    def open(self) -> bool:
        return self.state in (PageState.QUEUED, PageState.TRIGGERED, PageState.ACKNOWLEDGED)

    def describe(self) -> str:
        if self.state is PageState.ACKNOWLEDGED:
            return f"acknowledged by {self.acknowledged_by}" if self.acknowledged_by else "acknowledged"
        if self.state is PageState.QUEUED and self.last_error:
            return f"pending: {self.last_error}"
        if self.state is PageState.REFUSED:
            return f"refused: {self.last_error}"
        return str(self.state)


@dataclass(frozen=True, slots=True)
class PageWork:
    """An outbox item of paging, claimed for delivery, with what the event needs."""

    item_id: int
    page_id: int
    # PAGE or RESOLVE_PAGE (ictui.domain.outbox).
    action: str
    attempts: int
    routing_key: str = field(repr=False)
    dedup_key: str
    incident_number: int
    title: str
    severity: Severity
    message: str
    team: str
    ic: str
    paged_by: str
    slack_channel_id: str
    slack_channel_name: str
    created_at: datetime

    @property
    def summary(self) -> str:
        return summary(self.incident_number, self.severity, self.title, self.message)

    @property
    def source(self) -> str:
        return f"ictui (IC: {self.ic or self.paged_by or 'unassigned'})"


@dataclass(frozen=True, slots=True)
class PagingSummary:
    """For the status bar: pages not yet accepted, pages refused, the latest reason."""

    pending: int
    failed: int
    last_error: str


@dataclass(frozen=True, slots=True)
class PagingHealth:
    """Paging as the database has it now, for the light beside Slack's (store.paging_health)."""

    # Outbox items of paging not accepted yet (waiting, in flight, waiting for a retry).
    pending: int = 0
    # Refused by the provider (a 400): they wait for a retry or to be dropped.
    failed: int = 0
    last_error: str = ""
    # Pages the provider has, not resolved: paging the on-call, or acknowledged.
    triggered: int = 0
    acknowledged: int = 0
    acknowledged_by: str = ""

    def light(self) -> tuple[str, str]:
        """(text, tone: ok, busy, warn, error); ("", "ok") when nothing is paged."""
        if self.failed:
            return f"{self.failed} refused ({self.last_error})", "error"
        parts = []
        if self.pending:
            parts.append(f"{self.pending} pending" + (f" ({self.last_error})" if self.last_error else ""))
        if self.triggered:
            parts.append(f"{self.triggered} paging")
        if self.acknowledged:
            by = f" by {self.acknowledged_by}" if self.acknowledged_by else ""
            parts.append(f"{self.acknowledged} acknowledged{by}")
        tone = (
            "warn"
            if self.pending and self.last_error
            else ("busy" if self.pending or self.triggered else "ok")
        )
        return " · ".join(parts), tone


@dataclass(frozen=True, slots=True)
class Engagement:
    """Time to engage: declaration → first page → first responder joined."""

    declared_at: datetime | None
    paged_at: datetime | None
    joined_at: datetime | None

    def lines(self) -> list[str]:
        def gap(a: datetime | None, b: datetime | None, missing: str) -> str:
            if a is None or b is None:
                return missing
            seconds = (b - a).total_seconds()
            return "out of order" if seconds < 0 else _duration(seconds)

        return [
            "Declaration → first page: " + gap(self.declared_at, self.paged_at, "no page sent"),
            "First page → first responder joined: "
            + gap(
                self.paged_at,
                self.joined_at,
                "no responder joined after the page" if self.paged_at else "no page sent",
            ),
        ]


def engagement(declared_at: datetime | None, paged: list[datetime], joined: list[datetime]) -> Engagement:
    """``paged``: when pages were accepted; ``joined``: when responders were given a role."""
    first_page = min(paged, default=None)
    after = [t for t in joined if first_page is not None and t >= first_page]
    return Engagement(declared_at, first_page, min(after, default=None))


def _duration(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    if minutes:
        return f"{minutes} min {secs:02d} s"
    return f"{secs} s"
