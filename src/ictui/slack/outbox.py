"""Delivering the outbox to Slack: the background worker of the cockpit and ``ictui outbox``.

Public API (for the cockpit and the CLI):

``deliver_pending(store, settings, *, max_seconds=None, stop=None) -> DeliveryReport``
    Blocking (HTTP): call it from a worker thread, never from the UI thread. Delivers
    what is due, oldest first, keeping each incident's order. With ``max_seconds`` it
    also waits for items whose retry comes due within that time; without, it makes one
    pass. ``stop()`` (e.g. ``lambda: worker.is_cancelled``) is asked between items and
    while waiting. With no token it sends nothing and reports ``offline: N pending``.
    Safe to call from two threads or processes at once: the second one returns at once
    with ``busy=True``.

``outbox_summary(store) -> OutboxSummary(pending, failed, last_error)``
    One quick query, no network: fine for a status bar refresh.

``retry_failed(store, item_id=None) -> int``
    Put failed items (one, or all) back in the queue, e.g. after the token was fixed.

How an item is never sent twice: it is marked in flight in its own commit before Slack
is called; each message carries Slack message metadata naming this database and the
item (and the part, when an update is also mirrored); the ``ts`` of each message is
recorded as soon as Slack returns it. An item tried before (in flight when a previous run
died, or failed with an unknown outcome) is first looked for in the channel's recent
history (a bounded number of pages since it was queued), and only sent if absent.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from ictui.config import Settings
from ictui.domain.clock import now
from ictui.domain.enums import Severity, Status
from ictui.domain.errors import InvalidInput, NotFound
from ictui.domain.outbox import (
    ACTION_LABELS,
    ANNOUNCE,
    CREATE_CHANNEL,
    INVITE,
    POST_NOTE,
    POST_POSTMORTEM,
    POST_UPDATE,
    SET_TOPIC,
    Delivered,
    DeliveryReport,
    OutboxSummary,
    OutboxWork,
    SlackStep,
    backoff,
)
from ictui.domain.views import IncidentView
from ictui.slack import render
from ictui.slack.channel_steps import ChannelSteps
from ictui.slack.client import Gateway, SlackFailure, next_cursor
from ictui.store.interface import StoreAPI

EVENT_TYPE = "ictui_outbox_item"
# Looking for an earlier try of an item: pages of history since it was queued, and the
# margin for a clock that differs from Slack's.
HISTORY_PAGES = 5
CLOCK_SKEW = timedelta(minutes=10)


def deliver_pending(
    store: StoreAPI,
    settings: Settings,
    *,
    max_seconds: float | None = None,
    stop: Callable[[], bool] | None = None,
) -> DeliveryReport:
    if not settings.slack_configured:
        summary = store.outbox_summary()
        return DeliveryReport(pending=summary.pending, failed_total=summary.failed, offline=True)
    with store.delivery_lock() as mine:
        if not mine:
            summary = store.outbox_summary()
            return DeliveryReport(
                pending=summary.pending,
                failed_total=summary.failed,
                stopped="another ictui is delivering the outbox right now",
                busy=True,
            )
        try:
            run = _Run(store, settings, max_seconds, stop)
        except SlackFailure as exc:  # a setting to fix (SLACK_API_URL): no item is to blame
            summary = store.outbox_summary()
            return DeliveryReport(pending=summary.pending, failed_total=summary.failed, stopped=str(exc))
        return run.run()


def outbox_summary(store: StoreAPI) -> OutboxSummary:
    return store.outbox_summary()


def retry_failed(store: StoreAPI, item_id: int | None = None) -> int:
    return store.outbox_retry(item_id)


class _Run:
    def __init__(
        self, store: StoreAPI, settings: Settings, max_seconds: float | None, stop: Callable[[], bool] | None
    ) -> None:
        self.store = store
        self.stop = stop or (lambda: False)
        self.settings = settings
        self.gateway = Gateway(settings)
        self.instance = store.outbox_instance()
        self.deadline = None if max_seconds is None else time.monotonic() + max_seconds
        self.delivered = self.failed = self.retrying = 0
        self.errors: list[str] = []
        self.stopped = ""
        self.permalinks: dict[int, str] = {}
        # Slack was unreachable: no use trying another item before this time.
        self.paused_until: datetime | None = None

    def run(self) -> DeliveryReport:
        while not self.stopped and not self.stop():
            if self.deadline is not None and time.monotonic() >= self.deadline:
                break
            paused = self.paused_until is not None and now() < self.paused_until
            work = None if paused else self.store.outbox_claim()
            if work is None:
                if not self._wait():
                    break
                continue
            self._deliver(work)
        summary = self.store.outbox_summary()
        return DeliveryReport(
            delivered=self.delivered,
            failed=self.failed,
            retrying=self.retrying,
            pending=summary.pending,
            failed_total=summary.failed,
            stopped=self.stopped,
            errors=tuple(self.errors),
            permalinks=dict(self.permalinks),
        )

    def _wait(self) -> bool:
        """Sleep until the next retry if it comes before the deadline; False: the run is over."""
        if self.deadline is None:
            return False
        wake = [t for t in (self.store.outbox_next_retry(), self.paused_until) if t is not None and t > now()]
        if not wake:
            return False
        seconds = (min(wake) - now()).total_seconds()
        if time.monotonic() + seconds > self.deadline:
            return False
        until = time.monotonic() + max(seconds, 0.05)
        while time.monotonic() < until:
            if self.stop():
                return False
            time.sleep(min(0.1, max(until - time.monotonic(), 0)))
        return True

    def _deliver(self, work: OutboxWork) -> None:
        try:
            delivered = _Delivery(self, work).run()
        except SlackFailure as exc:
            self._failed(work, str(exc), exc.permanent, exc.retry_after)
            if exc.fatal:
                self.stopped = str(exc)
            elif exc.code == "unreachable":
                self.paused_until = now() + backoff(work.attempts)
            return
        except (InvalidInput, NotFound) as exc:
            # Over Slack's limits, or what it was about is gone: no retry will help.
            self._failed(work, str(exc), True, 0.0)
            return
        self.store.outbox_delivered(work.id, delivered)
        self.delivered += 1
        if work.update_id and delivered.update_message:
            self.permalinks[work.update_id] = delivered.update_message[1]

    def _failed(self, work: OutboxWork, message: str, permanent: bool, retry_after: float) -> None:
        retry_at = None if permanent else now() + max(backoff(work.attempts), timedelta(seconds=retry_after))
        self.store.outbox_failed(work.id, message, permanent=permanent, retry_at=retry_at)
        if permanent:
            self.failed += 1
        else:
            self.retrying += 1
        label = ACTION_LABELS.get(work.action, work.action)
        self.errors.append(f"#{work.incident_number} {label}: {message}")


class _Delivery(ChannelSteps):
    """One item: the Slack calls it takes, and what they change in the record."""

    def __init__(self, run: _Run, work: OutboxWork) -> None:
        self.store = run.store
        self.settings = run.settings
        self.gateway = run.gateway
        self.instance = run.instance
        self.work = work
        self.incident: IncidentView = run.store.incident(work.incident_number)

    def run(self) -> Delivered:
        handlers = {
            CREATE_CHANNEL: self._create_channel,
            ANNOUNCE: self._announce,
            SET_TOPIC: self._set_topic,
            INVITE: self._invite_action,
            POST_UPDATE: self._post_update,
            POST_NOTE: self._post_note,
            POST_POSTMORTEM: self._post_postmortem,
        }
        handler = handlers.get(self.work.action)
        if handler is None:
            raise SlackFailure(
                f"ictui does not know the outbox action {self.work.action!r}",
                code="unknown_action",
                permanent=True,
            )
        return handler()

    # ------------------------------------------------------------------ actions

    def _announce(self) -> Delivered:
        channel = self._channel()
        broadcast = self.gateway.channel_id(self.settings.broadcast_channel)
        message = render.announcement(self.incident, channel, in_broadcast=self.in_broadcast())
        _, link = self._post(broadcast, "announce", message)
        where = self.settings.broadcast_channel.lstrip("#")
        return Delivered(steps=(SlackStep(f"Announced in #{where}", link, now()),))

    def _post_update(self) -> Delivered:
        channel = self._channel()
        work = self.work
        # With no channel of its own the update is in the broadcast channel already.
        mirror = bool(work.payload.get("mirror")) and not self.in_broadcast()
        # Both messages are made (and checked against Slack's limits) before either is sent.
        under = _written_under(work.payload)
        main = render.status_update(
            self.incident, work.update_text, work.update_author, work.created_at, written_under=under
        )
        copy = (
            render.status_update(
                self.incident,
                work.update_text,
                work.update_author,
                work.created_at,
                mirror_of=channel,
                written_under=under,
            )
            if mirror
            else None
        )
        ts, link = self._post(channel, "channel", main)
        places = [f"#{self.incident.slack_channel_name}"]
        if copy is not None:
            self._post(self.gateway.channel_id(self.settings.broadcast_channel), "mirror", copy)
            places.append(f"#{self.settings.broadcast_channel.lstrip('#')}")
        step = SlackStep(f"Status update posted to {' and '.join(places)}", link, now())
        return Delivered(steps=(step,), update_message=(ts, link))

    def _post_note(self) -> Delivered:
        note = self.work.note
        if note is None:
            raise SlackFailure("the note to share no longer exists", code="note_not_found", permanent=True)
        message = render.shared_note(self.incident, note.text, note.author, note.occurred_at)
        ts, link = self._post(self._channel(), "note", message)
        return Delivered(note_message=(ts, link))

    def _post_postmortem(self) -> Delivered:
        message = render.prepared(str(self.work.payload.get("text") or ""))
        _, link = self._post(self._channel(), "postmortem", message)
        where = f"#{self.incident.slack_channel_name}"
        return Delivered(steps=(SlackStep(f"Post-mortem summary posted to {where}", link, now()),))

    # ------------------------------------------------------------------ messages

    def _post(self, channel: str, part: str, message: render.Message) -> tuple[str, str]:
        """Post one message of this item exactly once; returns (ts, permalink)."""
        key = f"ts_{part}"
        ts = str(self.work.result.get(key) or "")
        if not ts and self.work.tried_before:
            ts = self._find_posted(channel, part)
        if not ts:
            ts = self._send(channel, part, message)
            # Recorded before anything else can fail, so that a retry does not post it again.
            self.store.outbox_checkpoint(self.work.id, {key: ts})
        link = self.gateway.call("chat.getPermalink", channel=channel, message_ts=ts)["permalink"]
        return ts, str(link)

    def _send(self, channel: str, part: str, message: render.Message) -> str:
        def post() -> str:
            answer = self.gateway.call_once(
                "chat.postMessage",
                channel=channel,
                text=message.text,
                blocks=list(message.blocks),
                metadata={"event_type": EVENT_TYPE, "event_payload": self._tag(part)},
                unfurl_links=False,
                unfurl_media=False,
                link_names=False,
            )
            return str(answer["ts"])

        # The bot may not be in the broadcast channel yet.
        return str(self._in_channel(channel, post))

    def _tag(self, part: str) -> dict[str, Any]:
        return {
            "db": self.instance,
            "item": self.work.id,
            "part": part,
            "incident": self.work.incident_number,
        }

    def _find_posted(self, channel: str, part: str) -> str:
        """The ts of this item's message if an earlier try did post it, else ""."""
        oldest = (self.work.created_at - CLOCK_SKEW).timestamp()
        wanted = self._tag(part)
        cursor = ""
        for _ in range(HISTORY_PAGES):
            try:
                data = self.gateway.call(
                    "conversations.history",
                    channel=channel,
                    oldest=f"{oldest:.6f}",
                    limit=200,
                    include_all_metadata=True,
                    **({"cursor": cursor} if cursor else {}),
                )
            except SlackFailure as exc:
                if exc.code == "not_in_channel":
                    return ""  # the bot cannot have posted where it is not a member
                raise
            for msg in data.get("messages", []):
                metadata = msg.get("metadata") or {}
                payload = metadata.get("event_payload") or {}
                if metadata.get("event_type") == EVENT_TYPE and all(
                    payload.get(k) == v for k, v in wanted.items()
                ):
                    return str(msg["ts"])
            cursor = next_cursor(data)
            if not cursor:
                break
        return ""


def _written_under(payload: dict[str, Any]) -> tuple[Severity, Status] | None:
    """The severity and status an update was queued under (items queued before they were
    recorded have none: the incident's at delivery stands in)."""
    try:
        return Severity[str(payload["severity"])], Status[str(payload["status"])]
    except KeyError:
        return None
