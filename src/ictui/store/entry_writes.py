"""The timeline's edits in plain SQL: an entry added as shared or as a key event, an edit
(and the conflict of two editors), a key event marked, an entry deleted, restored or
shared to the channel.

Each runs inside a write transaction on the DB-API connection (write_rows.write_transaction,
through everyday_writes.EverydayWrites, which checks the arguments first). Every change of
an entry's text, time, key event or deletion keeps what it said before in its history (a
``timelineedit`` row), so that a post-mortem can trust the timeline; a shared entry queues
its ``post_note`` for the channel in the same transaction. Neither SQLAlchemy nor SQLModel:
the cockpit's first edit, delete or mark does not wait for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ictui.domain.clock import now
from ictui.domain.enums import EntryKind, KeyEvent
from ictui.domain.errors import EditConflict, InvalidInput, NotFound
from ictui.domain.limits import check_length
from ictui.domain.text import clean_text
from ictui.domain.views import EntryView
from ictui.store import bulk_reads
from ictui.store.views import read_time
from ictui.store.write_rows import KEY_FIELDS, add_entry, enqueue, entry_values, incident, insert, update


@dataclass
class Entry:
    """What the edits read of a timeline entry (and of its incident, its number)."""

    id: int
    incident_id: int
    number: int
    text: str
    occurred_at: datetime
    key_event: str | None
    shared: bool
    deleted: bool


_ENTRY = (
    "SELECT e.id, e.incident_id, i.number, e.text, e.occurred_at, e.key_event, e.shared,"
    " e.deleted_at IS NOT NULL FROM timelineentry e JOIN incident i ON i.id = e.incident_id"
    " WHERE e.id = ?"
)
_LAST_EDITOR = (
    "SELECT editor FROM timelineedit WHERE entry_id = ? AND change = 'edit' ORDER BY id DESC LIMIT 1"
)


def entry(connection: Any, entry_id: int) -> Entry:
    row = connection.execute(_ENTRY, (entry_id,)).fetchone()
    if row is None:
        raise NotFound(f"there is no timeline entry {entry_id}")
    return Entry(
        id=row[0],
        incident_id=row[1],
        number=row[2],
        text=row[3],
        occurred_at=read_time(row[4]),
        key_event=row[5],
        shared=bool(row[6]),
        deleted=bool(row[7]),
    )


def view(connection: Any, entry_id: int) -> EntryView:
    """The entry as this transaction leaves it (bulk_reads, on its connection)."""
    found = bulk_reads.entry_by_id(connection, entry_id)
    assert found is not None, "the entry was just written in this transaction"
    return found


def remember(connection: Any, found: Entry, editor: str, change: str) -> None:
    """Keep what the entry says now in its history, before ``change`` is made to it."""
    insert(
        connection,
        "timelineedit",
        {
            "entry_id": found.id,
            "edited_at": now(),
            "editor": editor,
            "old_text": found.text,
            "old_occurred_at": found.occurred_at,
            "old_key_event": found.key_event,
            "change": change,
        },
    )


def touch(connection: Any, incident_id: int, **key_times: datetime) -> None:
    """The incident changed now (and, given, its key times: KEY_FIELDS' columns)."""
    update(connection, "incident", incident_id, {**key_times, "updated_at": now()})


# The incident's column for a key event's time, by the event's stored text.
_KEY_COLUMNS = {key.value: column for key, column in KEY_FIELDS.items()}


def _key_time(key_event: KeyEvent | None, at: datetime) -> dict[str, datetime]:
    """The key event's time, if the incident keeps it (declared, mitigated, resolved)."""
    column = _KEY_COLUMNS.get(str(key_event)) if key_event else None
    return {column: at} if column else {}


def _post_note(connection: Any, number: int, entry_id: int) -> None:
    enqueue(connection, incident(connection, number), "post_note", {"entry_id": entry_id})


# ------------------------------------------------------------------ adding


def add_shared_or_key(
    connection: Any,
    number: int,
    text: str,
    at: datetime,
    author: str,
    kind: EntryKind,
    key_event: KeyEvent | None,
    shared: bool,
) -> EntryView:
    """An entry shared to the channel or marking a key event (``text`` checked by the caller:
    everyday.note_text); a plain note is note_writes'."""
    found = incident(connection, number)
    values = entry_values(text, at, kind, author, key_event=key_event)
    entry_id = add_entry(connection, found.id, {**values, "shared": shared})
    if shared:
        _post_note(connection, number, entry_id)
    touch(connection, found.id, **_key_time(key_event, at))
    return view(connection, entry_id)


# ------------------------------------------------------------------ editing


def edit(
    connection: Any,
    entry_id: int,
    text: str | None,
    at: datetime | None,
    editor: str,
    based_on: str | None,
) -> EntryView | EditConflict:
    """Change the entry's text or time (store.everyday_writes.EverydayWrites.edit_entry);
    the conflict is returned, to be raised once the text kept beside is committed."""
    found = entry(connection, entry_id)
    new_text = clean_text(text) if text is not None else found.text
    if not new_text:
        raise InvalidInput("the note is empty")
    check_length("note", new_text)
    if based_on is not None and clean_text(based_on) != found.text and new_text != found.text:
        return _keep_beside(connection, found, new_text, at, editor)
    if new_text == found.text and (at is None or at == found.occurred_at):
        return view(connection, entry_id)
    remember(connection, found, editor, "edit")
    changes: dict[str, Any] = {"text": new_text, "edited_at": now()}
    if at is not None:
        changes["occurred_at"] = at
    update(connection, "timelineentry", entry_id, changes)
    touch(connection, found.incident_id)
    return view(connection, entry_id)


def _keep_beside(connection: Any, found: Entry, text: str, at: datetime | None, editor: str) -> EditConflict:
    """Two people edited one entry: the second one's text becomes an entry of its own."""
    last = connection.execute(_LAST_EDITOR, (found.id,)).fetchone()
    who = (last[0] if last is not None else None) or "someone else"
    values = entry_values(text, at or found.occurred_at, EntryKind.NOTE, editor)
    kept = add_entry(connection, found.incident_id, values)
    touch(connection, found.incident_id)
    return EditConflict(
        f"{who} changed this entry while you were editing it; your text was saved as a new "
        "entry beside it, and theirs was kept",
        current=view(connection, found.id),
        kept=view(connection, kept),
    )


def set_key_event(connection: Any, entry_id: int, key_event: KeyEvent | None, editor: str) -> EntryView:
    """Mark the entry as a key event (None: unmark); the incident keeps the time of a
    declaration, a mitigation or a resolution so marked."""
    found = entry(connection, entry_id)
    remember(connection, found, editor, "key event")
    stored = None if key_event is None else str(key_event)  # a text column: by value
    update(connection, "timelineentry", entry_id, {"key_event": stored})
    touch(connection, found.incident_id, **_key_time(key_event, found.occurred_at))
    return view(connection, entry_id)


# ------------------------------------------------------------------ deleting, sharing


def delete(connection: Any, entry_id: int, editor: str) -> EntryView:
    """Soft delete: the entry leaves the timeline but stays in the record (and can come back)."""
    found = entry(connection, entry_id)
    if not found.deleted:
        remember(connection, found, editor, "delete")
        update(connection, "timelineentry", entry_id, {"deleted_at": now()})
        touch(connection, found.incident_id)
    return view(connection, entry_id)


def restore(connection: Any, entry_id: int, editor: str) -> EntryView:
    found = entry(connection, entry_id)
    if found.deleted:
        remember(connection, found, editor, "restore")
        update(connection, "timelineentry", entry_id, {"deleted_at": None})
        touch(connection, found.incident_id)
    return view(connection, entry_id)


def share(connection: Any, entry_id: int) -> EntryView:
    """Post the entry to the incident channel (once), through the outbox."""
    found = entry(connection, entry_id)
    if found.shared:
        raise InvalidInput("this entry is already shared to the channel")
    if found.deleted:
        raise InvalidInput("a deleted entry cannot be shared")
    update(connection, "timelineentry", entry_id, {"shared": True})
    _post_note(connection, found.number, entry_id)
    return view(connection, entry_id)
