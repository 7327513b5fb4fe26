"""What responders mark in an incident's channel, pulled onto the incident's timeline.

A message that is pinned, or that has a :pushpin: reaction, becomes a timeline entry with
its author, its time and its permalink. A message is stored once (by its ``ts``); when
it was edited in Slack, the entry takes the new text and keeps the old one in its
history. ictui's own messages (updates, announcements, shared notes) are not pulled back.

Public API (blocking, HTTP: call from a worker thread):

``sync_incident(store, settings, number) -> SyncReport``
    One incident; raises ``InvalidInput`` without a token or a channel.
``sync_active(store, settings, *, gateway=None) -> list[SyncReport]``
    Every active incident that has a channel: the cockpit's periodic poll. An incident
    that fails is reported in its ``SyncReport.error``; a refused token raises, and so
    does a rate limit (``SlackFailure`` with ``retry_after``): the poll stops at once and
    leaves Slack alone for that long, never sleeping through it (``Poller``).
``Poller(store, settings, owner)``
    The poll as the cockpit runs it, on a thread of its own (never the delivery's): one
    poller per database, decided by a lease in the database (``store.hold_lease``).

History is read from the incident's start (``oldest``), a bounded number of pages.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import pendulum

from ictui.config import Settings
from ictui.domain.errors import InvalidInput
from ictui.domain.views import IncidentView
from ictui.slack import render
from ictui.slack.channel_steps import is_broadcast
from ictui.slack.client import Gateway, Identity, SlackFailure, next_cursor
from ictui.slack.outbox import EVENT_TYPE
from ictui.store.interface import StoreAPI

PUSHPIN = "pushpin"
HISTORY_PAGES = 10
# Messages from before the incident began are not its own; a margin for clocks.
OLDEST_MARGIN_SECONDS = 600
POLL_LEASE = "slack-poll"
# Messages people wrote; joins, topic changes and the like are Slack's own notices.
PEOPLE_SUBTYPES = frozenset({"", "bot_message", "thread_broadcast", "file_share", "me_message"})


@dataclass(frozen=True, slots=True)
class SyncReport:
    number: int
    channel_name: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    error: str = ""

    def summary(self) -> str:
        if self.error:
            return f"#{self.number}: {self.error}"
        return f"#{self.number}: {self.added} added, {self.updated} updated from #{self.channel_name}"


class UserNames:
    """Slack user ids as the names people know (``users.info``, asked once per user)."""

    def __init__(self, gateway: Gateway) -> None:
        self._gateway = gateway
        self._names: dict[str, str] = {}

    def __call__(self, user_id: str) -> str:
        if user_id not in self._names:
            try:
                user = self._gateway.call("users.info", user=user_id)["user"]
            except SlackFailure as exc:
                if exc.fatal or not exc.permanent:
                    raise
                user = {}
            profile = user.get("profile") or {}
            self._names[user_id] = (
                user.get("real_name")
                or profile.get("real_name")
                or profile.get("display_name")
                or user.get("name")
                or user_id
            )
        return self._names[user_id]

    def author(self, message: dict[str, Any]) -> str:
        if message.get("user"):
            return self(str(message["user"]))
        return str(message.get("username") or (message.get("bot_profile") or {}).get("name") or "a bot")


def message_time(ts: str) -> pendulum.DateTime:
    return pendulum.from_timestamp(float(ts), tz="UTC")


def is_people_message(message: dict[str, Any], identity: Identity) -> bool:
    """Written by a person (or another app), not a Slack notice nor one of ictui's posts."""
    if message.get("subtype", "") not in PEOPLE_SUBTYPES:
        return False
    if (message.get("metadata") or {}).get("event_type") == EVENT_TYPE:
        return False
    return not (identity.bot_id and message.get("bot_id") == identity.bot_id)


def sync_incident(store: StoreAPI, settings: Settings, number: int) -> SyncReport:
    incident = store.incident(number)
    if not settings.slack_configured:
        raise InvalidInput("no Slack token: set SLACK_BOT_TOKEN to read the incident channel")
    if not incident.slack_channel_id:
        raise InvalidInput(f"#{number} has no Slack channel yet")
    return _sync(store, Gateway(settings), incident)


def sync_active(store: StoreAPI, settings: Settings, *, gateway: Gateway | None = None) -> list[SyncReport]:
    if not settings.slack_configured:
        return []
    gateway = gateway or Gateway(settings)
    reports = []
    for row in store.list_incidents(active_only=True):
        incident = store.incident(row.number)
        if not incident.slack_channel_id or is_broadcast(incident, settings):
            continue  # no channel, or the broadcast channel (whose pins are not this incident's)
        try:
            reports.append(_sync(store, gateway, incident))
        except SlackFailure as exc:
            if exc.fatal or exc.code == "ratelimited":
                raise
            reports.append(SyncReport(incident.number, incident.slack_channel_name, error=str(exc)))
    return reports


def _sync(store: StoreAPI, gateway: Gateway, incident: IncidentView) -> SyncReport:
    channel = incident.slack_channel_id
    identity = gateway.identity()
    marked: dict[str, dict[str, Any]] = {}
    cursor = ""
    oldest = incident.as_row().started_at.timestamp() - OLDEST_MARGIN_SECONDS
    for _ in range(HISTORY_PAGES):
        data = gateway.call(
            "conversations.history",
            channel=channel,
            limit=200,
            include_all_metadata=True,
            oldest=f"{oldest:.6f}",
            **({"cursor": cursor} if cursor else {}),
        )
        for message in data.get("messages", []):
            if _is_marked(message, channel):
                marked[str(message["ts"])] = message
        cursor = next_cursor(data)
        if not cursor:
            break
    permalinks: dict[str, str] = {}
    # Pins reach further back than the pages of history read above.
    for item in gateway.call("pins.list", channel=channel).get("items", []):
        message = item.get("message")
        if item.get("type") == "message" and message:
            marked.setdefault(str(message["ts"]), message)
            if message.get("permalink"):
                permalinks[str(message["ts"])] = str(message["permalink"])
    known = store.slack_entry_ts(incident.number)
    names = UserNames(gateway)
    counts = {"added": 0, "updated": 0, "unchanged": 0}
    for ts in sorted(marked, key=float):
        message = marked[ts]
        if not is_people_message(message, identity):
            continue
        link = permalinks.get(ts, "")
        if not link and ts not in known:
            link = str(gateway.call("chat.getPermalink", channel=channel, message_ts=ts)["permalink"])
        outcome = store.upsert_slack_entry(
            incident.number,
            slack_ts=ts,
            text=render.to_plain(str(message.get("text") or ""), names),
            author=names.author(message),
            at=message_time(ts),
            permalink=link,
        )
        counts[outcome] += 1
    return SyncReport(
        incident.number,
        incident.slack_channel_name,
        added=counts["added"],
        updated=counts["updated"],
        unchanged=counts["unchanged"],
    )


def _is_marked(message: dict[str, Any], channel: str) -> bool:
    if channel in (message.get("pinned_to") or []):
        return True
    return any(r.get("name") == PUSHPIN for r in message.get("reactions") or [])


class Poller:
    """The cockpit's poll of the active incidents' channels, one per database.

    ``poll()`` is blocking (HTTP): call it from a thread of its own. It polls only while
    this owner holds the database's lease, and never sleeps for Slack's ``Retry-After``:
    a rate limit ends the turn and the next turn comes after it. Returns "" or raises
    what stops Slack as a whole (a refused token); each incident's own outcome is in
    ``last_reports``.
    """

    def __init__(self, store: StoreAPI, settings: Settings, owner: str, lease_seconds: float = 90.0) -> None:
        self.store = store
        self.settings = settings
        self.owner = owner
        self.lease_seconds = lease_seconds
        # Slack asked to be left alone until this time (time.monotonic()).
        self.quiet_until = 0.0
        self.holding = False
        self.last_reports: list[SyncReport] = []

    def poll(self) -> str:
        if not self.settings.slack_configured or time.monotonic() < self.quiet_until:
            return ""
        self.holding = self.store.hold_lease(POLL_LEASE, self.owner, self.lease_seconds)
        if not self.holding:
            return ""  # another cockpit polls this database
        try:
            reports = sync_active(
                self.store, self.settings, gateway=Gateway(self.settings, wait_on_rate_limit=False)
            )
        except SlackFailure as exc:
            if exc.code == "ratelimited":
                self.quiet_until = time.monotonic() + max(exc.retry_after, 1.0)
                return ""
            raise
        # One incident's channel failing (the bot removed from it) is that incident's
        # business, kept here; the light speaks of what stops Slack as a whole.
        self.last_reports = reports
        return ""

    def close(self) -> None:
        if self.holding:
            self.store.release_lease(POLL_LEASE, self.owner)
            self.holding = False
