"""Store operations for the Slack gateway: the outbox's life cycle and messages pulled from Slack.

A mixin of :class:`ictui.store.api.Store`, so that all SQL stays in the store. Each method
is one transaction. Delivery follows one rule: an item is marked in flight in its own
commit *before* Slack is called, and its outcome is committed after Slack answers; an
item found in flight later has an unknown outcome and is looked for in Slack before it
is sent again.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlmodel import col

from ictui.domain.clock import now
from ictui.domain.enums import EntryKind, EntrySource, OutboxState, UpdateState
from ictui.domain.errors import InvalidInput, NotFound
from ictui.domain.outbox import (
    ACTION_LABELS,
    PAGING_ACTIONS,
    Delivered,
    NoteToShare,
    OutboxItemView,
    OutboxSummary,
    OutboxWork,
    Queued,
    SlackStep,
    next_retry,
    plan,
)
from ictui.domain.slack_text import PIN_LIMIT, cap
from ictui.domain.text import clean_text
from ictui.store import tables as m
from ictui.store.records import Records

# The name Slack steps are recorded under on the timeline.
SLACK_AUTHOR = "slack"
_INSTANCE_KEY = "slack_instance"
_OPEN = (OutboxState.PENDING, OutboxState.IN_FLIGHT, OutboxState.FAILED)


class OutboxOps(Records):
    # ------------------------------------------------------------------ reads

    def outbox_instance(self) -> str:
        """This database's name in Slack message metadata, so that two databases posting
        to one channel never take each other's messages for their own."""
        with self.engine.connect() as connection:
            value = connection.execute(
                sa.select(col(m.Meta.value)).where(col(m.Meta.key) == _INSTANCE_KEY)
            ).scalar()
        if value:
            return str(value)

        def work(s: Session) -> str:
            row = s.get(m.Meta, _INSTANCE_KEY)
            if row is None:
                row = m.Meta(key=_INSTANCE_KEY, value=uuid.uuid4().hex[:16])
                s.add(row)
            return row.value

        return self._write(work)

    def outbox_items(self, include_done: bool = False, limit: int = 200) -> list[OutboxItemView]:
        """Items oldest first (the most recent ``limit``), each with why it waits."""
        with self._read() as s:
            query = (
                sa.select(m.OutboxItem, col(m.Incident.number), col(m.Incident.slack_channel_id))
                .outerjoin(m.Incident, col(m.Incident.id) == col(m.OutboxItem.incident_id))
                .order_by(col(m.OutboxItem.id).desc())
                .limit(limit)
            )
            if not include_done:
                query = query.where(col(m.OutboxItem.state).in_(_OPEN))
            rows = list(reversed(s.execute(query).all()))
            open_rows = rows if not include_done else [r for r in rows if r[0].state in _OPEN]
            _, waiting = plan([_queued(item, channel) for item, _, channel in open_rows], now())
        return [_item_view(item, number, waiting.get(item.id, "")) for item, number, _ in rows]

    def outbox_summary(self) -> OutboxSummary:
        """(items not yet delivered, items failed, the most recent error) for the status bar."""
        with self._read() as s:
            counts = dict(
                s.execute(
                    sa.select(col(m.OutboxItem.state), sa.func.count())
                    .where(
                        col(m.OutboxItem.state).in_(_OPEN), col(m.OutboxItem.action).not_in(PAGING_ACTIONS)
                    )
                    .group_by(m.OutboxItem.state)
                ).all()
            )
            last_error = s.execute(
                sa.select(col(m.OutboxItem.last_error))
                .where(
                    col(m.OutboxItem.state).in_(_OPEN),
                    col(m.OutboxItem.last_error) != "",
                    col(m.OutboxItem.action).not_in(PAGING_ACTIONS),
                )
                .order_by(col(m.OutboxItem.id).desc())
                .limit(1)
            ).scalar()
        pending = counts.get(OutboxState.PENDING, 0) + counts.get(OutboxState.IN_FLIGHT, 0)
        return OutboxSummary(pending, counts.get(OutboxState.FAILED, 0), last_error or "")

    def outbox_next_retry(self) -> datetime | None:
        """When the next item held back by its backoff becomes due (None: none is)."""
        with self._read() as s:
            return next_retry(self._queued_items(s), now())

    def slack_entry_ts(self, number: int) -> set[str]:
        """The Slack messages already on an incident's timeline (deleted entries included)."""
        with self._read() as s:
            incident = self._incident(s, number)
            return set(
                s.execute(
                    sa.select(col(m.TimelineEntry.slack_ts)).where(
                        col(m.TimelineEntry.incident_id) == incident.id, col(m.TimelineEntry.slack_ts) != ""
                    )
                ).scalars()
            )

    def incident_for_slack_message(self, slack_ts: str) -> int | None:
        """The incident a Slack message was imported into as its first entry, if any."""
        with self._read() as s:
            return s.execute(
                sa.select(col(m.Incident.number))
                .join(m.TimelineEntry, col(m.TimelineEntry.incident_id) == col(m.Incident.id))
                .where(
                    col(m.TimelineEntry.slack_ts) == slack_ts, col(m.TimelineEntry.kind) == EntryKind.SLACK
                )
                .order_by(col(m.Incident.number))
                .limit(1)
            ).scalar()

    # ------------------------------------------------------------------ delivery

    def outbox_claim(self) -> OutboxWork | None:
        """Take the next deliverable item and mark it in flight, in its own commit."""
        at = now()

        def work(s: Session) -> OutboxWork | None:
            ready, _ = plan(self._queued_items(s), at)
            if not ready:
                return None
            item = s.get(m.OutboxItem, ready[0])
            if item is None:  # none is: planned from the rows just read, in this transaction
                return None
            item.state = OutboxState.IN_FLIGHT
            item.attempts += 1
            item.next_attempt_at = None
            return self._work(s, item)

        return self._write(work)

    def outbox_checkpoint(
        self,
        item_id: int,
        result: dict[str, Any],
        *,
        channel: tuple[str, str] | None = None,
        steps: Iterable[SlackStep] = (),
    ) -> None:
        """Record a part of an item already done in Slack, so that a retry does not redo it."""

        def work(s: Session) -> None:
            item, incident = self._item(s, item_id)
            item.result = {**item.result, **result}
            if channel is not None:
                self._adopt_channel(s, incident, *channel)
            self._slack_steps(s, incident, steps)

        self._write(work)

    def outbox_delivered(self, item_id: int, delivered: Delivered) -> None:
        def work(s: Session) -> None:
            item, incident = self._item(s, item_id)
            if item.state is OutboxState.DONE:
                return
            at = now()
            item.state = OutboxState.DONE
            item.done_at = at
            item.next_attempt_at = None
            item.last_error = ""
            item.result = {**item.result, **delivered.result}
            self._slack_steps(s, incident, delivered.steps)
            update = s.get(m.StatusUpdate, item.update_id) if item.update_id else None
            if update is not None and delivered.update_message:
                update.state = UpdateState.SENT
                update.slack_ts, update.permalink = delivered.update_message
                update.sent_at = at
                update.attempts = item.attempts
                update.last_error = ""
            if delivered.note_message:
                entry = s.get(m.TimelineEntry, item.payload.get("entry_id"))
                if entry is not None:
                    entry.slack_ts, entry.permalink = delivered.note_message
            for email, user_id in delivered.slack_users.items():
                s.execute(
                    sa.update(m.Person)
                    .where(col(m.Person.email) == email, col(m.Person.slack_user_id) == "")
                    .values(slack_user_id=user_id)
                )

        self._write(work)

    def outbox_failed(
        self, item_id: int, error: str, *, permanent: bool, retry_at: datetime | None = None
    ) -> None:
        """A try that did not work: wait until ``retry_at``, or stop (permanent) until retried."""

        def work(s: Session) -> None:
            item, incident = self._item(s, item_id)
            item.last_error = error
            item.state = OutboxState.FAILED if permanent else OutboxState.PENDING
            item.next_attempt_at = None if permanent else retry_at
            update = s.get(m.StatusUpdate, item.update_id) if item.update_id else None
            if update is not None:
                update.attempts = item.attempts
                update.last_error = error
                if permanent:
                    update.state = UpdateState.FAILED
            if permanent and incident is not None:
                label = ACTION_LABELS.get(item.action, item.action)
                self._entry(
                    s,
                    incident,
                    f"Slack: could not {label}: {error}",
                    now(),
                    EntryKind.SLACK,
                    SLACK_AUTHOR,
                    source=EntrySource.SYSTEM,
                )

        self._write(work)

    def outbox_retry(self, item_id: int | None = None) -> int:
        """Put failed items (one, or all with None) back in the queue; returns how many."""

        def work(s: Session) -> int:
            query = sa.select(m.OutboxItem).where(col(m.OutboxItem.state) == OutboxState.FAILED)
            if item_id is not None:
                item = s.get(m.OutboxItem, item_id)
                if item is None:
                    raise NotFound(f"there is no outbox item {item_id}")
                if item.state is not OutboxState.FAILED:
                    raise InvalidInput(f"outbox item {item_id} is {item.state}, not failed")
                query = query.where(col(m.OutboxItem.id) == item_id)
            items = s.execute(query).scalars().all()
            for item in items:
                item.state = OutboxState.PENDING
                item.next_attempt_at = None
                item.last_error = ""
                if item.update_id:
                    s.execute(
                        sa.update(m.StatusUpdate)
                        .where(
                            col(m.StatusUpdate.id) == item.update_id,
                            col(m.StatusUpdate.state) == UpdateState.FAILED,
                        )
                        .values(state=UpdateState.QUEUED, last_error="")
                    )
            return len(items)

        return self._write(work)

    # ------------------------------------------------------------------ messages from Slack

    def upsert_slack_entry(
        self, number: int, *, slack_ts: str, text: str, author: str, at: datetime, permalink: str
    ) -> str:
        """Put a Slack message on the timeline once; an edited one updates the entry (its old
        text kept in the entry's history). Returns "added", "updated" or "unchanged"."""
        # A pinned message can be 40,000 characters: the timeline keeps the start, marked,
        # and the permalink leads to the whole (a fact copied into an update stays short).
        text = cap(clean_text(text), PIN_LIMIT) or "(a message without text)"

        def work(s: Session) -> str:
            incident = self._incident(s, number)
            entry = s.execute(
                sa.select(m.TimelineEntry).where(
                    col(m.TimelineEntry.incident_id) == incident.id, col(m.TimelineEntry.slack_ts) == slack_ts
                )
            ).scalar()
            if entry is None:
                self._entry(
                    s,
                    incident,
                    text,
                    at,
                    EntryKind.SLACK,
                    author,
                    source=EntrySource.SLACK,
                    permalink=permalink,
                    slack_ts=slack_ts,
                )
                return "added"
            # An entry the IC deleted stays deleted; one that is the IC's own note stays theirs.
            if entry.deleted_at is not None or entry.source != EntrySource.SLACK or entry.text == text:
                return "unchanged"
            self._remember(s, entry, author, "edited in Slack")
            entry.text = text
            entry.edited_at = now()
            return "updated"

        return self._write(work)

    # ------------------------------------------------------------------ internals

    def _queued_items(self, s: Session) -> list[Queued]:
        """The Slack items not done yet (paging's are delivered by ictui.paging)."""
        rows = s.execute(
            sa.select(m.OutboxItem, col(m.Incident.slack_channel_id))
            .outerjoin(m.Incident, col(m.Incident.id) == col(m.OutboxItem.incident_id))
            .where(col(m.OutboxItem.state).in_(_OPEN), col(m.OutboxItem.action).not_in(PAGING_ACTIONS))
            .order_by(col(m.OutboxItem.id))
        ).all()
        return [_queued(item, channel) for item, channel in rows]

    def _item(self, s: Session, item_id: int) -> tuple[m.OutboxItem, m.Incident | None]:
        item = s.get(m.OutboxItem, item_id)
        if item is None:
            raise NotFound(f"there is no outbox item {item_id}")
        incident = s.get(m.Incident, item.incident_id) if item.incident_id else None
        return item, incident

    def _work(self, s: Session, item: m.OutboxItem) -> OutboxWork:
        incident = s.get(m.Incident, item.incident_id)
        update = s.get(m.StatusUpdate, item.update_id) if item.update_id else None
        if update is not None:
            update.attempts = item.attempts
        note = None
        if item.payload.get("entry_id"):
            entry = s.get(m.TimelineEntry, item.payload["entry_id"])
            if entry is not None:
                note = NoteToShare(entry.id, entry.text, entry.author, entry.occurred_at)
        return OutboxWork(
            id=item.id,
            incident_number=incident.number if incident else 0,
            action=item.action,
            payload=dict(item.payload),
            result=dict(item.result),
            attempts=item.attempts,
            created_at=item.created_at,
            update_id=item.update_id,
            update_text=update.text if update else "",
            update_author=update.author if update else "",
            note=note,
        )

    def _adopt_channel(self, s: Session, incident: m.Incident | None, channel_id: str, name: str) -> None:
        """The incident's channel exists: items queued for ``incident:N`` now name it."""
        if incident is None:
            return
        placeholder = f"incident:{incident.number}"
        incident.slack_channel_id = channel_id
        incident.slack_channel_name = name
        s.execute(
            sa.update(m.OutboxItem)
            .where(col(m.OutboxItem.channel_key) == placeholder, col(m.OutboxItem.state) != OutboxState.DONE)
            .values(channel_key=channel_id)
        )

    def _slack_steps(self, s: Session, incident: m.Incident | None, steps: Iterable[SlackStep]) -> None:
        if incident is None:
            return
        for step in steps:
            self._entry(
                s,
                incident,
                step.text,
                step.at,
                EntryKind.SLACK,
                SLACK_AUTHOR,
                source=EntrySource.SLACK,
                permalink=step.permalink,
            )


def _queued(item: m.OutboxItem, channel_id: str | None) -> Queued:
    if item.action in PAGING_ACTIONS:
        # An alert's own queue: it never waits for Slack, nor holds Slack back.
        return Queued(
            id=item.id,
            group=f"page:{item.channel_key}",
            action=item.action,
            state=OutboxState(item.state),
            next_attempt_at=item.next_attempt_at,
            has_channel=True,
        )
    group = f"incident-id:{item.incident_id}" if item.incident_id else item.channel_key
    return Queued(
        id=item.id,
        group=group,
        action=item.action,
        state=OutboxState(item.state),
        next_attempt_at=item.next_attempt_at,
        has_channel=bool(channel_id) or item.incident_id is None,
    )


def _item_view(item: m.OutboxItem, number: int | None, waiting_for: str) -> OutboxItemView:
    return OutboxItemView(
        id=item.id,
        incident_number=number,
        action=item.action,
        channel_key=item.channel_key,
        state=OutboxState(item.state),
        attempts=item.attempts,
        next_attempt_at=item.next_attempt_at,
        last_error=item.last_error,
        created_at=item.created_at,
        done_at=item.done_at,
        update_id=item.update_id,
        waiting_for=waiting_for,
        admin_code=str((item.result or {}).get("admin_code") or ""),
    )
