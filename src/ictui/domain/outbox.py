"""The outbox's rules and read models: which item goes next, how long a failed one waits,
and what a delivery run reports. Pure: no I/O, no Slack, no SQL.

Order: the items of one incident (so of one channel) go out in the order they were
queued, each waiting while an earlier one is not delivered. One exception: the
channel's creation jumps ahead of items queued before the incident was declared (a
shared note, an update written in triage), since none of them can go without it.
A failed message (or channel creation) holds back the items behind it until it is
retried: an update never overtakes the one before it. A failed announcement, topic or
invitation does not: the incident's own updates matter more than those.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from ictui.domain.enums import OutboxState

CREATE_CHANNEL = "create_channel"
ANNOUNCE = "announce"
SET_TOPIC = "set_topic"
INVITE = "invite"
POST_UPDATE = "post_update"
POST_NOTE = "post_note"
POST_POSTMORTEM = "post_postmortem"
# Paging (ictui.paging): delivered by the paging worker, in a queue of their own per
# alert, so that a page never waits behind a Slack item nor holds one back.
PAGE = "page"
RESOLVE_PAGE = "resolve_page"
PAGING_ACTIONS = frozenset({PAGE, RESOLVE_PAGE})

ACTION_LABELS = {
    CREATE_CHANNEL: "create the channel",
    ANNOUNCE: "announce the incident",
    SET_TOPIC: "set the channel topic",
    INVITE: "invite people",
    POST_UPDATE: "post a status update",
    POST_NOTE: "share a timeline note",
    POST_POSTMORTEM: "post the post-mortem summary",
    PAGE: "page the on-call",
    RESOLVE_PAGE: "resolve the page",
}

# Failed, these keep the items queued after them waiting (see the module's docstring).
HOLDS_BACK_WHEN_FAILED = frozenset({CREATE_CHANNEL, POST_UPDATE, POST_NOTE, POST_POSTMORTEM})

# Longest wait between two tries of a failing item: Slack outages are minutes, not hours.
MAX_BACKOFF = timedelta(minutes=5)


def backoff(attempts: int) -> timedelta:
    """1 s after the first failure, then 2, 4, 8 ... up to five minutes."""
    return min(timedelta(seconds=2 ** max(attempts - 1, 0)), MAX_BACKOFF)


@dataclass(frozen=True, slots=True)
class Queued:
    """What ordering needs to know of an item that is not done yet."""

    id: int
    group: str
    action: str
    state: OutboxState
    next_attempt_at: datetime | None
    # The incident already has its Slack channel.
    has_channel: bool


def plan(items: Sequence[Queued], at: datetime) -> tuple[list[int], dict[int, str]]:
    """(ids that may be delivered now, oldest first; why each other item waits)."""
    groups: dict[str, list[Queued]] = {}
    for item in sorted(items, key=lambda q: q.id):
        groups.setdefault(item.group, []).append(item)
    ready: list[int] = []
    waiting: dict[int, str] = {}
    for members in groups.values():
        if not members[0].has_channel:
            members.sort(key=lambda q: q.action != CREATE_CHANNEL)
        ahead: Queued | None = None
        for item in members:
            if ahead is not None:
                waiting[item.id] = f"waits for item {ahead.id} ({ACTION_LABELS.get(ahead.action, ahead.action)})"
            elif item.state is OutboxState.FAILED:
                waiting[item.id] = "failed: retry it with `ictui outbox --retry`"
                if item.action in HOLDS_BACK_WHEN_FAILED:
                    ahead = item
            elif item.action != CREATE_CHANNEL and not item.has_channel:
                waiting[item.id] = "waits for the incident's Slack channel (made when it is declared)"
                ahead = item
            elif item.state is OutboxState.PENDING and item.next_attempt_at and item.next_attempt_at > at:
                waiting[item.id] = "retry scheduled"
                ahead = item
            else:
                ready.append(item.id)
                ahead = item
    return sorted(ready), waiting


def next_retry(items: Sequence[Queued], at: datetime) -> datetime | None:
    """When the earliest item held back only by its backoff becomes due."""
    _, waiting = plan(items, at)
    times = [
        q.next_attempt_at
        for q in items
        if waiting.get(q.id) == "retry scheduled" and q.next_attempt_at is not None
    ]
    return min(times, default=None)


@dataclass(frozen=True, slots=True)
class OutboxItemView:
    id: int
    incident_number: int | None
    action: str
    channel_key: str
    state: OutboxState
    attempts: int
    next_attempt_at: datetime | None
    last_error: str
    created_at: datetime
    done_at: datetime | None
    update_id: int | None
    # Why a pending item is not going out right now; empty when it is next.
    waiting_for: str = ""

    @property
    def label(self) -> str:
        return ACTION_LABELS.get(self.action, self.action)


@dataclass(frozen=True, slots=True)
class NoteToShare:
    entry_id: int
    text: str
    author: str
    occurred_at: datetime


@dataclass(frozen=True, slots=True)
class OutboxWork:
    """An item claimed for delivery (marked in flight), with what it needs to be sent."""

    id: int
    incident_number: int
    action: str
    payload: dict[str, Any]
    result: dict[str, Any]
    # Counting this try.
    attempts: int
    created_at: datetime
    update_id: int | None = None
    update_text: str = ""
    update_author: str = ""
    note: NoteToShare | None = None

    @property
    def tried_before(self) -> bool:
        """An earlier try may have reached Slack, whatever we recorded: look before re-sending."""
        return self.attempts > 1


@dataclass(frozen=True, slots=True)
class SlackStep:
    """One thing done in Slack, for the incident's timeline."""

    text: str
    permalink: str
    at: datetime


@dataclass(frozen=True, slots=True)
class Delivered:
    """Everything a delivered item changes in the record, committed in one transaction."""

    result: dict[str, Any] = field(default_factory=dict)
    steps: tuple[SlackStep, ...] = ()
    # The status update's message in the incident channel: (ts, permalink).
    update_message: tuple[str, str] | None = None
    # The shared note's message: (ts, permalink).
    note_message: tuple[str, str] | None = None
    # Slack user ids found by email, remembered on the people.
    slack_users: dict[str, str] = field(default_factory=dict)


class OutboxSummary(NamedTuple):
    pending: int
    failed: int
    last_error: str


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    """What one delivery run did, and what is left."""

    delivered: int = 0
    failed: int = 0
    # Items tried in this run that failed for now and will be tried again.
    retrying: int = 0
    pending: int = 0
    failed_total: int = 0
    offline: bool = False
    # Why the run ended early (the token refused, another ictui delivering), or "".
    stopped: str = ""
    # Another process or thread was delivering: nothing was tried (not an error).
    busy: bool = False
    errors: tuple[str, ...] = ()
    # The delivered status updates: update id -> permalink.
    permalinks: dict[int, str] = field(default_factory=dict)

    @property
    def settled(self) -> bool:
        """Nothing is left waiting."""
        return self.pending == 0 and self.failed_total == 0

    def summary(self) -> str:
        if self.offline:
            return f"offline: {self.pending} pending"
        parts = []
        if self.delivered:
            parts.append(f"delivered {self.delivered}")
        if self.pending:
            parts.append(f"{self.pending} pending")
        if self.failed_total:
            parts.append(f"{self.failed_total} failed")
        text = ", ".join(parts) or "nothing to deliver"
        reason = self.stopped or (self.errors[-1] if self.errors else "")
        return f"{text}: {reason}" if reason and (self.pending or self.failed_total) else text
