"""The timeline and status updates: notes, edits, key events, sharing and drafts (a mixin
of the Store). A queued update and its draft are everyday writes, in plain SQL
(store/update_writes.py)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlmodel import col

from ictui.domain.clock import now
from ictui.domain.enums import EntryKind, KeyEvent
from ictui.domain.errors import EditConflict, InvalidInput
from ictui.domain.limits import check_length
from ictui.domain.text import clean_text
from ictui.domain.views import EntryView
from ictui.store import tables as m
from ictui.store.everyday import note_text
from ictui.store.records import Records, apply_key_time


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

    # ------------------------------------------------------------------ internals
