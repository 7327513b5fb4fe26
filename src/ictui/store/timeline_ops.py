"""The timeline and status updates: notes, edits, key events, sharing, drafts and
queued updates (a mixin of the Store)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlmodel import col

from ictui.domain.clock import now, to_local
from ictui.domain.enums import EntryKind, KeyEvent, UpdateState
from ictui.domain.errors import EditConflict, InvalidInput, RepeatedUpdate
from ictui.domain.limits import author_name, check_length, checked
from ictui.domain.slack_text import check_update
from ictui.domain.templates import DUPLICATE_WINDOW, recent_duplicate
from ictui.domain.text import clean_text
from ictui.domain.views import EntryView, UpdateView
from ictui.store import tables as m
from ictui.store.base import driver_of
from ictui.store.everyday import note_text
from ictui.store.records import Records, apply_key_time, channel_key
from ictui.store.views import UPDATE_COLUMNS, update_view

_UPDATE = f"SELECT {UPDATE_COLUMNS} FROM statusupdate WHERE id = ?"


class TimelineOps(Records):
    # ------------------------------------------------------------------ timeline

    def entry_history(self, entry_id: int) -> list[m.TimelineEdit]:
        with self._read() as s:
            return list(
                s.execute(
                    sa.select(m.TimelineEdit)
                    .where(col(m.TimelineEdit.entry_id) == entry_id)
                    .order_by(col(m.TimelineEdit.id))
                ).scalars()
            )

    def add_entry(
        self,
        number: int,
        text: str,
        *,
        at: datetime | None = None,
        author: str = "",
        kind: EntryKind = EntryKind.NOTE,
        key_event: KeyEvent | None = None,
        shared: bool = False,
    ) -> EntryView:
        """Commit a note; it is only returned (and shown as saved) once it is on disk."""
        if not (shared or key_event):
            return self.add_note(number, text, at=at, author=author, kind=kind)[0]
        text = note_text(text)

        def work(s: Session) -> EntryView:
            incident = self._incident(s, number)
            entry = self._entry(s, incident, text, at or now(), kind, author, key_event=key_event)
            entry.shared = shared
            if shared:
                self._enqueue_note(s, incident, entry)
            if key_event:
                apply_key_time(incident, key_event, entry.occurred_at)
            incident.updated_at = now()
            return self._entry_view(s, entry)

        return self._write(work)

    def edit_entry(
        self,
        entry_id: int,
        *,
        text: str | None = None,
        at: datetime | None = None,
        editor: str = "",
        based_on: str | None = None,
    ) -> EntryView:
        """Change an entry's text or time (the old ones kept in its history).

        ``based_on``: the text the editor started from. If someone else changed the entry
        since, nothing of theirs is overwritten: this editor's text is kept as a new entry
        beside it, and :class:`EditConflict` says so (whose change, and where yours went).
        """

        def work(s: Session) -> EntryView | EditConflict:
            entry = self._entry_by_id(s, entry_id)
            new_text = clean_text(text) if text is not None else entry.text
            if not new_text:
                raise InvalidInput("the note is empty")
            check_length("note", new_text)
            if based_on is not None and clean_text(based_on) != entry.text and new_text != entry.text:
                return self._keep_beside(s, entry, new_text, at, editor)
            if new_text == entry.text and (at is None or at == entry.occurred_at):
                return self._entry_view(s, entry)
            self._remember(s, entry, editor, "edit")
            entry.text = new_text
            if at is not None:
                entry.occurred_at = at
            entry.edited_at = now()
            self._touch(s, entry.incident_id)
            return self._entry_view(s, entry)

        result = self._write(work)
        if isinstance(result, EditConflict):
            raise result  # after the commit: the kept text is saved
        return result

    def _keep_beside(
        self, s: Session, entry: m.TimelineEntry, text: str, at: datetime | None, editor: str
    ) -> EditConflict:
        """Two people edited one entry: the second one's text becomes an entry of its own."""
        last = s.execute(
            sa.select(col(m.TimelineEdit.editor))
            .where(col(m.TimelineEdit.entry_id) == entry.id, col(m.TimelineEdit.change) == "edit")
            .order_by(col(m.TimelineEdit.id).desc())
            .limit(1)
        ).scalar()
        who = last or "someone else"
        incident = self._incident_by_id(s, entry.incident_id)
        kept = self._entry(s, incident, text, at or entry.occurred_at, EntryKind.NOTE, editor)
        self._touch(s, entry.incident_id)
        return EditConflict(
            f"{who} changed this entry while you were editing it; your text was saved as a new "
            "entry beside it, and theirs was kept",
            current=self._entry_view(s, entry),
            kept=self._entry_view(s, kept),
        )

    def set_key_event(self, entry_id: int, key_event: KeyEvent | None, editor: str = "") -> EntryView:
        def work(s: Session) -> EntryView:
            entry = self._entry_by_id(s, entry_id)
            self._remember(s, entry, editor, "key event")
            entry.key_event = key_event
            if key_event:
                incident = self._incident_by_id(s, entry.incident_id)
                apply_key_time(incident, key_event, entry.occurred_at)
            self._touch(s, entry.incident_id)
            return self._entry_view(s, entry)

        return self._write(work)

    def delete_entry(self, entry_id: int, editor: str = "") -> EntryView:
        """Soft delete: the entry leaves the timeline but stays in the record (and can come back)."""

        def work(s: Session) -> EntryView:
            entry = self._entry_by_id(s, entry_id)
            if entry.deleted_at is None:
                self._remember(s, entry, editor, "delete")
                entry.deleted_at = now()
                self._touch(s, entry.incident_id)
            return self._entry_view(s, entry)

        return self._write(work)

    def restore_entry(self, entry_id: int, editor: str = "") -> EntryView:
        def work(s: Session) -> EntryView:
            entry = self._entry_by_id(s, entry_id)
            if entry.deleted_at is not None:
                self._remember(s, entry, editor, "restore")
                entry.deleted_at = None
                self._touch(s, entry.incident_id)
            return self._entry_view(s, entry)

        return self._write(work)

    def share_entry(self, entry_id: int) -> EntryView:
        """Post a timeline note to the incident channel (once), through the outbox."""

        def work(s: Session) -> EntryView:
            entry = self._entry_by_id(s, entry_id)
            if entry.shared:
                raise InvalidInput("this entry is already shared to the channel")
            if entry.deleted_at is not None:
                raise InvalidInput("a deleted entry cannot be shared")
            entry.shared = True
            incident = self._incident_by_id(s, entry.incident_id)
            self._enqueue_note(s, incident, entry)
            return self._entry_view(s, entry)

        return self._write(work)

    # ------------------------------------------------------------------ status updates

    def save_draft(self, number: int, text: str, author: str = "") -> None:
        """Autosave of the composer: one draft per incident, overwritten as the IC types."""

        def work(s: Session) -> None:
            incident_id = self._incident_id(s, number)
            draft = self._draft(s, incident_id)
            if draft is None:
                draft = m.StatusUpdate(incident_id=incident_id, state=UpdateState.DRAFT, author=author)
                s.add(draft)
            draft.text = text
            draft.created_at = now()

        self._write(work)

    def queue_update(
        self, number: int, text: str, author: str = "", mirror: bool | None = None, *, again: bool = False
    ) -> UpdateView:
        """Turn the text into a queued update and its outbox item, in one transaction.

        The same text queued for the incident less than a minute before is refused
        (:class:`RepeatedUpdate`) unless ``again``: checked under the writers' lock, so of
        two sends racing (a double ``ctrl+s``, two cockpits) only the first passes.
        """
        text = checked("update", text)
        if not text:
            raise InvalidInput("the update is empty")

        def work(s: Session) -> UpdateView:
            incident = self._incident(s, number)
            # Slack's cap on a message's block text, checked here so that nothing Slack
            # will refuse is ever queued (the composer and `ictui update` alike).
            ic = s.get(m.Person, incident.ic_id) if incident.ic_id else None
            check_update(text, incident.title, [author_name(author)] + ([ic.name] if ic else []))
            at = now()
            if not again:
                self._refuse_repeat(s, incident, text, at)
            update = self._draft(s, incident.id) or m.StatusUpdate(incident_id=incident.id)
            update.text = text
            update.author = author_name(author)
            update.state = UpdateState.QUEUED
            update.queued_at = at
            update.mirror_to_broadcast = (
                mirror if mirror is not None else incident.severity in self.policy.mirror_severities
            )
            s.add(update)
            s.flush()
            incident.last_update_at = at
            incident.updated_at = at
            self._entry(s, incident, text, at, EntryKind.UPDATE, author)
            s.add(
                m.OutboxItem(
                    incident_id=incident.id,
                    update_id=update.id,
                    action="post_update",
                    channel_key=channel_key(incident),
                    # The heading says what the text was written under, even if it goes out later.
                    payload={
                        "mirror": update.mirror_to_broadcast,
                        "severity": incident.severity.name,
                        "status": incident.status.name,
                    },
                    created_at=at,
                )
            )
            return self._update_view(s, update)

        return self._write(work)

    # ------------------------------------------------------------------ internals

    def _refuse_repeat(self, s: Session, incident: m.Incident, text: str, at: datetime) -> None:
        since = at - DUPLICATE_WINDOW
        recent = s.execute(
            sa.select(col(m.StatusUpdate.text), col(m.StatusUpdate.queued_at)).where(
                col(m.StatusUpdate.incident_id) == incident.id,
                col(m.StatusUpdate.state) != UpdateState.DRAFT,
                col(m.StatusUpdate.queued_at) >= since,
            )
        ).all()
        earlier = recent_duplicate(text, [(t, q) for t, q in recent if q is not None], at)
        if earlier is not None:
            raise RepeatedUpdate(
                f"the same update for #{incident.number} was queued at "
                f"{to_local(earlier).format('HH:mm:ss')}; send it again to repeat it",
                queued_at=earlier,
            )

    def _draft(self, s: Session, incident_id: int | None) -> m.StatusUpdate | None:
        return s.execute(
            sa.select(m.StatusUpdate).where(
                col(m.StatusUpdate.incident_id) == incident_id,
                col(m.StatusUpdate.state) == UpdateState.DRAFT,
            )
        ).scalar()

    def _update_view(self, s: Session, update: m.StatusUpdate) -> UpdateView:
        """The update as this transaction leaves it (store/views.py, on its connection)."""
        s.flush()
        return update_view(driver_of(s).execute(_UPDATE, (update.id,)).fetchone())
