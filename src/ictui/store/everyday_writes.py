"""The writes of every day in plain SQL, for the cockpit's lazy stores and the full Store.

A status change, a severity, a role, an update (and its draft), a declaration and the
timeline's edits (an entry shared or marked, edited, deleted, restored) are each one
transaction on the DB-API connection (store/write_rows.py): the writers' lock taken at
BEGIN, the rows of the change and the Slack actions it queues, the revision bumped. The
statements are in store/incident_writes.py, store/update_writes.py and
store/entry_writes.py; here, the arguments are checked and the write run. A cockpit that
only does these never imports SQLAlchemy (store/lazy.py).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from ictui.domain.clock import now
from ictui.domain.enums import EntryKind, IncidentRole, KeyEvent, Severity, Status
from ictui.domain.errors import EditConflict, InvalidInput
from ictui.domain.limits import checked, checked_list
from ictui.domain.policy import Policy
from ictui.domain.views import EntryView, IncidentView, UpdateView
from ictui.store import entry_writes, incident_writes, update_writes
from ictui.store.everyday import EverydayOps, note_text
from ictui.store.write_rows import write_transaction

T = TypeVar("T")


class EverydayWrites(EverydayOps):
    """The everyday reads and the note (EverydayOps), and the writes of every day."""

    policy: Policy

    def _sql_write(self, work: Callable[[Any], T]) -> T:
        """Run ``work`` in one write transaction on a driver connection (write_rows)."""
        result, revision = self._raw_write(lambda connection: write_transaction(connection, work))
        self._wrote(revision)
        return result

    def declare(
        self,
        title: str,
        *,
        severity: Severity = Severity.SEV3,
        summary: str = "",
        ic_email: str | None = None,
        author: str = "",
        status: Status = Status.INVESTIGATING,
        reported_at: datetime | None = None,
        components: list[str] | None = None,
        first_entry: tuple[str, str, str, str] | None = None,
        number: int | None = None,
        invite_owners: bool = False,
    ) -> IncidentView:
        """Open an incident (or, with ``status=triage``, a report still being judged).

        ``first_entry`` is (text, author, permalink, slack_ts) of the message it came
        from, recorded as the first timeline entry: how the incident surfaced.
        ``number`` is for the demo's history, which starts at #30 like a team's would;
        otherwise the next number is taken. ``invite_owners`` invites the people of the
        teams that own the affected parts to the channel along with the IC.
        """
        title = checked("title", title, required=True)
        summary = checked("note", summary, what="the summary")
        parts = checked_list("part", components)
        if status not in (Status.TRIAGE, Status.INVESTIGATING):
            raise InvalidInput("a new incident starts in triage or investigating")
        if number is not None and number < 1:
            raise InvalidInput("incident numbers start at 1")
        return self._sql_write(
            lambda connection: incident_writes.declare(
                connection,
                self.policy,
                title=title,
                severity=severity,
                summary=summary,
                ic_email=ic_email,
                author=author,
                status=status,
                reported_at=reported_at,
                components=parts,
                first_entry=first_entry,
                number=number,
                invite_owners=invite_owners,
            )
        )

    def change_status(self, number: int, new: Status, author: str = "", note: str = "") -> IncidentView:
        note = checked("note", note)
        return self._sql_write(
            lambda connection: incident_writes.change_status(
                connection, self.policy, number, new, author, note
            )
        )

    def change_severity(self, number: int, new: Severity, author: str = "", reason: str = "") -> IncidentView:
        reason = checked("note", reason, what="the reason")
        return self._sql_write(
            lambda connection: incident_writes.change_severity(
                connection, self.policy, number, new, author, reason
            )
        )

    def assign_role(self, number: int, role: IncidentRole, email: str, author: str = "") -> IncidentView:
        return self._sql_write(
            lambda connection: incident_writes.assign_role(connection, number, role, email, author)
        )

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
        return self._sql_write(
            lambda connection: update_writes.queue_update(
                connection, self.policy, number, text, author, mirror, again
            )
        )

    def save_draft(self, number: int, text: str, author: str = "") -> None:
        """Autosave of the composer: one draft per incident, overwritten as the IC types."""
        self._sql_write(lambda connection: update_writes.save_draft(connection, number, text, author))

    # ------------------------------------------------------------------ the timeline's edits

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
        return self._sql_write(
            lambda connection: entry_writes.add_shared_or_key(
                connection, number, text, at or now(), author, kind, key_event, shared
            )
        )

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
        result = self._sql_write(
            lambda connection: entry_writes.edit(connection, entry_id, text, at, editor, based_on)
        )
        if isinstance(result, EditConflict):
            raise result  # after the commit: the kept text is saved
        return result

    def set_key_event(self, entry_id: int, key_event: KeyEvent | None, editor: str = "") -> EntryView:
        return self._sql_write(
            lambda connection: entry_writes.set_key_event(connection, entry_id, key_event, editor)
        )

    def delete_entry(self, entry_id: int, editor: str = "") -> EntryView:
        """Soft delete: the entry leaves the timeline but stays in the record (and can come back)."""
        return self._sql_write(lambda connection: entry_writes.delete(connection, entry_id, editor))

    def restore_entry(self, entry_id: int, editor: str = "") -> EntryView:
        return self._sql_write(lambda connection: entry_writes.restore(connection, entry_id, editor))

    def share_entry(self, entry_id: int) -> EntryView:
        """Post a timeline note to the incident channel (once), through the outbox."""
        return self._sql_write(lambda connection: entry_writes.share(connection, entry_id))
