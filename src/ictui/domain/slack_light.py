"""The Slack light on the cockpit's top line: one word that is true, and the counts.

not set up · checking · connected · sending N · waiting for the channel (N) · retrying
(why, next try at) · refused (Slack's code, with the fix). It says only what it knows:
"checking" until Slack first answered (a revoked token is never "connected" for a
moment), "sending" only for items that can go now. An auth failure is never "connected":
the light says what the last delivery or sync run met until a later run goes through.
Pure: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ictui.domain.clock import to_local


@dataclass(frozen=True, slots=True)
class HeldBack:
    """A failed item that keeps later items of its incident waiting (domain/outbox.py)."""

    item_id: int
    incident_number: int | None
    # What it was to do, in words ("post a status update").
    action: str
    # Why Slack refused it (the item's last error).
    error: str
    # How many items wait behind it.
    waiting: int

    @property
    def explanation(self) -> str:
        """``#3's updates held behind item 12: Slack refused the message layout (…); d drops it…``."""
        why = self.error or f"Slack refused to {self.action}"
        where = f"#{self.incident_number}'s " if self.incident_number is not None else ""
        return f"{where}updates held behind item {self.item_id}: {why}; d drops it, e edits it (outbox: o)"

    @property
    def short(self) -> str:
        """For the incident header, whose line is narrow: the why is on the Slack light."""
        return f"updates held behind item {self.item_id}, refused by Slack (o, then d drops it)"


def held_back_for(health: OutboxHealth, number: int, *, short: bool = False) -> str:
    """What the incident header says when this incident's updates are held ("" when none)."""
    found = next((h for h in health.held if h.incident_number == number), None)
    if found is None:
        return ""
    return found.short if short else found.explanation


@dataclass(frozen=True, slots=True)
class OutboxHealth:
    """The outbox as the database has it now (store.outbox_health)."""

    # Not delivered yet: waiting, in flight or waiting to be retried.
    pending: int = 0
    # Of those, items that failed and wait for their next try.
    retrying: int = 0
    # Given up on (Slack refused them): they wait for `ictui outbox --retry`.
    failed: int = 0
    # Of the pending, items held back behind a failed one: not being sent.
    blocked: int = 0
    # The failed items holding others back, the first of each incident.
    held: tuple[HeldBack, ...] = ()
    # Of the pending, items of an incident whose Slack channel is not made yet.
    no_channel: int = 0
    next_retry_at: datetime | None = None
    retry_error: str = ""
    failed_error: str = ""


@dataclass(frozen=True, slots=True)
class SlackLight:
    word: str
    detail: str = ""
    # ok, busy, warn, error: how the word is coloured.
    tone: str = "ok"
    counts: str = ""

    @property
    def text(self) -> str:
        """The word, the counts, then why: a narrow status bar cuts the why, never the counts."""
        head = f"{self.word} · {self.counts}" if self.counts else self.word
        return f"{head} ({self.detail})" if self.detail else head


def slack_light(
    configured: bool, health: OutboxHealth, refusal: str, at: datetime, *, answered: bool = True
) -> SlackLight:
    """``refusal``: what the Slack loop's last run met ("" when it went through);
    ``answered``: Slack has answered since the cockpit started (else it is being checked)."""
    counts = " · ".join(
        part
        for part in (
            f"{health.pending} pending" if health.pending else "",
            f"{health.failed} failed" if health.failed else "",
        )
        if part
    )
    if not configured:
        return SlackLight("not set up", "set SLACK_BOT_TOKEN; updates wait in the outbox", "warn", counts)
    if refusal:
        return SlackLight("refused", refusal, "error", counts)
    if health.retrying:
        wait = ""
        if health.next_retry_at is not None:
            seconds = max(0, round((health.next_retry_at - at).total_seconds()))
            wait = f"next try at {to_local(health.next_retry_at).format('HH:mm:ss')}, in {_duration(seconds)}"
        why = "; ".join(part for part in (health.retry_error, wait) if part)
        return SlackLight("retrying", why, "warn", counts)
    if not answered:
        return SlackLight("checking", "", "busy", counts)
    # Updates held behind an item Slack refused: which, why, and the key that drops it.
    held_why = health.held[0].explanation if health.held else ""
    no_channel = min(health.no_channel, max(health.pending - health.blocked, 0))
    sending = health.pending - health.blocked - no_channel
    waiting = f"{no_channel} waiting for the channel" if no_channel else ""
    held = f"{health.blocked} held back" if health.blocked else ""
    failed = f"{health.failed} failed" if health.failed else ""
    if sending > 0:
        return SlackLight(
            f"sending {sending}", held_why, "busy", " · ".join(p for p in (waiting, held, failed) if p)
        )
    if no_channel:
        return SlackLight(
            "waiting for the channel",
            held_why,
            "warn",
            " · ".join(p for p in (f"{no_channel} pending", held, failed) if p),
        )
    if health.failed:
        return SlackLight("refused", held_why or health.failed_error, "error", counts)
    return SlackLight("connected", "", "ok", counts)


def _duration(seconds: int) -> str:
    if seconds < 60:
        return f"{seconds}s"
    return f"{seconds // 60}m{seconds % 60:02d}s"
