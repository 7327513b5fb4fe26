"""What a person decides about an outbox item Slack will not take: drop it, or edit it and
send it again. A mixin of :class:`ictui.store.api.Store`; each method is one transaction,
and each leaves a line on the incident's timeline saying who did what.

An item in flight cannot be dropped or edited: Slack may have it already, and the run
delivering it decides. Nor can an item part of which is in Slack (an update posted in its
channel whose broadcast copy failed): editing it would make the two differ.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlmodel import col

from ictui.domain.clock import now
from ictui.domain.enums import EntryKind, EntrySource, OutboxState, UpdateState
from ictui.domain.errors import InvalidInput
from ictui.domain.outbox import KINDS, POST_NOTE, POST_POSTMORTEM, POST_UPDATE, label
from ictui.domain.slack_text import BLOCK_TEXT_LIMIT, check_update
from ictui.domain.text import clean_line, clean_text
from ictui.store import tables as m
from ictui.store.outbox_ops import SLACK_AUTHOR
from ictui.store.records import Records


class OutboxChoices(Records):
    def outbox_item_text(self, item_id: int) -> str:
        """The text an editable item will send (what `--edit` and the screen start from)."""
        with self._read() as s:
            item = self._open_item(s, item_id, "edited")
            return self._text_of(s, item)

    def outbox_drop(self, item_id: int, author: str = "") -> str:
        """Give up on an item: it is never sent, and what waited behind it goes on.
        Returns what was dropped, in words."""

        def work(s: Session) -> str:
            item = self._open_item(s, item_id, "dropped")
            who = clean_line(author) or "someone"
            what = label(item.action)
            reason = item.last_error
            at = now()
            item.state = OutboxState.DONE
            item.done_at = at
            item.next_attempt_at = None
            item.result = {**item.result, "dropped_by": who}
            item.last_error = f"dropped by {who}" + (f" ({reason})" if reason else "")
            if item.update_id:
                s.execute(
                    sa.update(m.StatusUpdate)
                    .where(
                        col(m.StatusUpdate.id) == item.update_id,
                        col(m.StatusUpdate.state) != UpdateState.SENT,
                    )
                    .values(state=UpdateState.FAILED, last_error=f"not sent: dropped by {who}")
                )
            incident = s.get(m.Incident, item.incident_id) if item.incident_id else None
            if incident is not None:
                self._entry(
                    s,
                    incident,
                    f"Slack: {who} dropped outbox item {item_id} ({what}); it will not be sent"
                    + (f". Slack had refused it: {reason}" if reason else ""),
                    at,
                    EntryKind.SLACK,
                    SLACK_AUTHOR,
                    source=EntrySource.SYSTEM,
                )
            return f"item {item_id} ({what})"

        return self._write(work)

    def outbox_edit(self, item_id: int, text: str, author: str = "") -> str:
        """Replace the text of a failed update, note or summary and queue it again."""
        text = clean_text(text)
        if not text:
            raise InvalidInput("the new text is empty")

        def work(s: Session) -> str:
            item = self._open_item(s, item_id, "edited")
            kind = KINDS.get(item.action)
            if kind is None or not kind.editable:
                raise InvalidInput(
                    f"outbox item {item_id} ({label(item.action)}) has no text to edit; drop it instead"
                )
            if item.state is not OutboxState.FAILED:
                raise InvalidInput(f"outbox item {item_id} is {item.state}: only a refused item is edited")
            if any(key.startswith("ts_") for key in item.result):
                raise InvalidInput(
                    f"part of outbox item {item_id} is in Slack already; drop it and write a new one"
                )
            incident = s.get(m.Incident, item.incident_id) if item.incident_id else None
            who = clean_line(author) or "someone"
            at = now()
            if item.action == POST_UPDATE:
                ic = s.get(m.Person, incident.ic_id) if incident is not None and incident.ic_id else None
                update = s.get(m.StatusUpdate, item.update_id)
                names = [update.author if update else ""] + ([ic.name] if ic else [])
                check_update(text, incident.title if incident else "", names)
                if update is not None:
                    update.text = text
                    update.state = UpdateState.QUEUED
                    update.last_error = ""
            elif item.action == POST_NOTE:
                check_update(text, what="the note")
                entry = s.get(m.TimelineEntry, item.payload.get("entry_id"))
                if entry is not None and entry.text != text:
                    self._remember(s, entry, who, "edited to be shared in Slack")
                    entry.text = text
                    entry.edited_at = at
            elif item.action == POST_POSTMORTEM:
                if len(text) > BLOCK_TEXT_LIMIT:
                    raise InvalidInput(
                        f"the summary is {len(text):,} characters; Slack takes at most {BLOCK_TEXT_LIMIT:,}: "
                        f"shorten it by {len(text) - BLOCK_TEXT_LIMIT:,}"
                    )
                item.payload = {**item.payload, "text": text}
            item.state = OutboxState.PENDING
            item.next_attempt_at = None
            item.last_error = ""
            if incident is not None:
                self._entry(
                    s,
                    incident,
                    f"Slack: {who} edited outbox item {item_id} ({label(item.action)}) to send it again",
                    at,
                    EntryKind.SLACK,
                    SLACK_AUTHOR,
                    source=EntrySource.SYSTEM,
                )
            return f"item {item_id} ({label(item.action)})"

        return self._write(work)

    # ------------------------------------------------------------------ internals

    def _open_item(self, s: Session, item_id: int, verb: str) -> m.OutboxItem:
        item = s.get(m.OutboxItem, item_id)
        if item is None:
            raise InvalidInput(f"there is no outbox item {item_id}")
        if item.state is OutboxState.DONE:
            raise InvalidInput(f"outbox item {item_id} is done already; nothing to be {verb}")
        if item.state is OutboxState.IN_FLIGHT:
            raise InvalidInput(
                f"outbox item {item_id} is being delivered right now; wait for the outcome before it is {verb}"
            )
        return item

    def _text_of(self, s: Session, item: m.OutboxItem) -> str:
        if item.action == POST_UPDATE and item.update_id:
            update = s.get(m.StatusUpdate, item.update_id)
            return update.text if update else ""
        if item.action == POST_NOTE:
            entry = s.get(m.TimelineEntry, item.payload.get("entry_id"))
            return entry.text if entry else ""
        if item.action == POST_POSTMORTEM:
            return str(item.payload.get("text") or "")
        raise InvalidInput(
            f"outbox item {item.id} ({label(item.action)}) has no text to edit; drop it instead"
        )
