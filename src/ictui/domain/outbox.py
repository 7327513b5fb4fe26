"""The outbox's rules and read models: which item goes next, how long a failed one waits,
and what a delivery run reports. Pure: no I/O, no Slack, no SQL.

Order: the items of one incident (so of one channel) go out in the order they were
queued, each waiting while an earlier one is not delivered. One exception: the
channel's creation jumps ahead of items queued before the incident was declared (a
shared note, an update written in triage), since none of them can go without it.
A failed item of a kind that holds back (the channel's creation, a status update) keeps
the items behind it waiting until it is retried, edited and resent, or dropped: an update
never overtakes the one before it. Other kinds (announcement, topic, invitation, shared
note, post-mortem summary) do not: the incident's own updates matter more than those.
Each kind says so itself (``KINDS``); a gateway adding kinds registers them with
:func:`register_kind` and chooses.
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


@dataclass(frozen=True, slots=True)
class ItemKind:
    """What the outbox needs to know of a kind of item."""

    label: str
    # Failed for good, it keeps the items queued after it (same incident) waiting.
    holds_back_when_failed: bool = False
    # Its text can be edited before it is sent again (`ictui outbox --edit`).
    editable: bool = False


KINDS: dict[str, ItemKind] = {
    CREATE_CHANNEL: ItemKind("create the channel", holds_back_when_failed=True),
    ANNOUNCE: ItemKind("announce the incident"),
    SET_TOPIC: ItemKind("set the channel topic"),
    INVITE: ItemKind("invite people"),
    POST_UPDATE: ItemKind("post a status update", holds_back_when_failed=True, editable=True),
    POST_NOTE: ItemKind("share a timeline note", editable=True),
    POST_POSTMORTEM: ItemKind("post the post-mortem summary", editable=True),
    # Pages have a queue of their own per alert: they never hold a Slack item back.
    PAGE: ItemKind("page the on-call"),
    RESOLVE_PAGE: ItemKind("resolve the page"),
}
ACTION_LABELS = {action: kind.label for action, kind in KINDS.items()}
# Kept for readers of the old name: the kinds that hold back as defined here.
HOLDS_BACK_WHEN_FAILED = frozenset(a for a, k in KINDS.items() if k.holds_back_when_failed)


def register_kind(action: str, kind: ItemKind) -> None:
    """Another gateway's kind of item (e.g. a PagerDuty note), with its own rule."""
    KINDS[action] = kind
    ACTION_LABELS[action] = kind.label


def holds_back(action: str) -> bool:
    kind = KINDS.get(action)
    return kind is not None and kind.holds_back_when_failed


def holding_actions() -> frozenset[str]:
    """The kinds that hold back when failed, as registered now."""
    return frozenset(a for a, k in KINDS.items() if k.holds_back_when_failed)


def label(action: str) -> str:
    return ACTION_LABELS.get(action, action)


# Longest wait between two tries of a failing item: Slack outages are minutes, not hours.
MAX_BACKOFF = timedelta(minutes=5)


# What a failed item says it waits for: a person's choice.
FAILED_HINT = "failed: `ictui outbox --retry {id}`, --edit {id} or --drop {id}"


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
                if ahead.state is OutboxState.FAILED:
                    waiting[item.id] = (
                        f"waits for item {ahead.id} ({label(ahead.action)}), which Slack refused: "
                        f"drop it (`ictui outbox --drop {ahead.id}`), or edit or retry it"
                    )
                else:
                    waiting[item.id] = f"waits for item {ahead.id} ({label(ahead.action)})"
            elif item.state is OutboxState.FAILED:
                waiting[item.id] = FAILED_HINT.format(id=item.id)
                if holds_back(item.action):
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
    # A Slack error code only a workspace admin can fix, met by this item even though it
    # went through another way (the channel Slack refused to create: restricted_action).
    admin_code: str = ""

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
