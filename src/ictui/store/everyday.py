"""What the cockpit does every second and every minute, on SQLite's own connection.

Reading the list, an incident, its timeline and the revision, and writing a plain note
need neither SQLAlchemy nor SQLModel: importing them and mapping the models costs 30 MB
and a third of a second. A cockpit that only does these (store/lazy.py) never loads
them; :class:`~ictui.store.api.Store` has the same methods, on its engine's connections.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from ictui.domain.clock import now
from ictui.domain.enums import EntryKind
from ictui.domain.errors import InvalidInput, NotFound
from ictui.domain.incident_filter import IncidentFilter
from ictui.domain.limits import LIMITS, check_length
from ictui.domain.paging import PagingHealth
from ictui.domain.search import SearchHit
from ictui.domain.slack_light import OutboxHealth
from ictui.domain.text import clean_text
from ictui.domain.views import EntryView, IncidentRow, IncidentView, ListWindow, PersonView, UpdateView
from ictui.store import (
    bulk_reads,
    incident_reads,
    list_window,
    note_writes,
    outbox_health,
    roster_reads,
    search,
)
from ictui.store.driver import read_transaction
from ictui.store.files import DatabaseError
from ictui.store.location import Server
from ictui.store.write_rows import entry_values, person_by_email

T = TypeVar("T")

MAX_NOTE = LIMITS["note"]


class EverydayOps:
    """The reads and the note write on a DB-API connection given by ``_driver_connection``."""

    # The SQLite file, or the PostgreSQL server (named so in messages, password masked).
    path: Path | Server
    # What a write may raise that says the database could not take it (store/pg.py: psycopg's).
    _write_errors: tuple[type[BaseException], ...] = (sqlite3.OperationalError,)

    def _driver_connection(self) -> AbstractContextManager[sqlite3.Connection]:
        raise NotImplementedError

    def delivery_lock(self) -> AbstractContextManager[bool]:
        """Held by the one process delivering the outbox; yields False if another holds it."""
        from ictui.store.lock import delivery_lock

        if isinstance(self.path, Server):  # the stores on a server have their own
            raise NotImplementedError("a server's delivery lock is store.lock.server_delivery_lock")
        return delivery_lock(self.path)

    def revision(self) -> int:
        """Changes whenever anyone commits a write; cheap enough to poll twice a second."""
        with self._driver_connection() as connection:
            (value,) = connection.execute(bulk_reads.REVISION).fetchone()
        return int(value or 0)

    def list_incidents(self, active_only: bool = False) -> list[IncidentRow]:
        """Every incident, newest first, in one query (no query per row)."""
        with self._driver_connection() as connection:
            return bulk_reads.incident_rows(connection, active_only)

    def list_window(
        self,
        flt: IncidentFilter,
        keep: int | None,
        fallback: int,
        page_size: int,
        pages: int = 3,
        superseded: Callable[[], bool] | None = None,
    ) -> ListWindow:
        """The incident list around ``keep`` (or position ``fallback``) under ``flt``, with
        its counts (store/list_window.py)."""
        with self._driver_connection() as connection:
            return list_window.window(connection, flt, keep, fallback, page_size, pages, superseded)

    def list_page(
        self,
        flt: IncidentFilter,
        limit: int,
        *,
        after: int | None = None,
        before: int | None = None,
        at: int | None = None,
    ) -> list[IncidentRow]:
        """One page of the filtered list, by key: after or before an incident, or from a position."""
        with self._driver_connection() as connection:
            return list_window.page(connection, flt, limit, after=after, before=before, at=at)

    def list_pages(
        self, flt: IncidentFilter, asks: list[tuple[int, dict[str, int]]], limit: int
    ) -> list[tuple[int, list[IncidentRow]]]:
        """Several pages, ``(index, list_page's keywords)`` each, in one read transaction."""
        with self._driver_connection() as connection:
            return list_window.pages(connection, flt, asks, limit)

    def list_count(self, flt: IncidentFilter) -> int:
        """How many incidents pass the filter."""
        with self._driver_connection() as connection:
            return list_window.count(connection, flt)

    def list_position(self, flt: IncidentFilter, number: int) -> int | None:
        """Where incident ``number`` is in the filtered list (None: it does not pass)."""
        with self._driver_connection() as connection:
            return list_window.position(connection, flt, number)

    def incident(self, number: int) -> IncidentView:
        with self._driver_connection() as connection:
            view = incident_reads.incident_view(connection, number)
        if view is None:
            raise NotFound(f"there is no incident #{number}")
        return view

    def timeline(self, number: int, include_deleted: bool = False) -> list[EntryView]:
        with self._driver_connection() as connection:
            entries = bulk_reads.entry_views(connection, number, include_deleted)
        if entries is None:
            raise NotFound(f"there is no incident #{number}")
        return entries

    def incident_with_timeline(self, number: int) -> tuple[IncidentView, list[EntryView]]:
        """The incident and its timeline as one state of the database (one read transaction):
        what an update is built from when the IC sends it."""
        with self._driver_connection() as connection, read_transaction(connection):
            view = incident_reads.incident_view(connection, number)
            entries = bulk_reads.entry_views(connection, number)
        if view is None or entries is None:
            raise NotFound(f"there is no incident #{number}")
        return view, entries

    def updates(self, number: int) -> list[UpdateView]:
        """The incident's sent, queued and failed updates, oldest first (not its draft)."""
        return list(self.incident(number).updates)

    def search(self, text: str, limit: int = 50) -> list[SearchHit]:
        """Incidents whose title, timeline, updates or post-mortem hold every word of
        ``text`` (as the start of a word), best match first, each with its matching line."""
        with self._driver_connection() as connection:
            return search.search(connection, text, limit)

    def pending_outbox_count(self) -> int:
        with self._driver_connection() as connection:
            return incident_reads.pending_outbox_count(connection)

    def people(self, include_removed: bool = False) -> list[PersonView]:
        """Everyone who can be named on an incident, by name (and those removed, if asked)."""
        with self._driver_connection() as connection:
            return roster_reads.people(connection, include_removed)

    def person(self, email: str) -> PersonView:
        """Someone on the roster (not removed), by email; NotFound says how to add them."""
        with self._driver_connection() as connection, read_transaction(connection):
            found = person_by_email(connection, email)
            return roster_reads.person(connection, found.id)

    def components(self) -> list[str]:
        with self._driver_connection() as connection:
            return roster_reads.components(connection)

    def suggest_responders(self, number: int) -> list[tuple[PersonView, str]]:
        """Who to involve in incident ``number``: the owners of what it affects, leads first."""
        with self._driver_connection() as connection, read_transaction(connection):
            return roster_reads.incident_owners(connection, number)

    def outbox_health(self) -> OutboxHealth:
        """What the Slack light shows: pending, retrying and failed items, and why."""
        with self._driver_connection() as connection:
            return outbox_health.outbox_health(connection)

    def paging_health(self) -> PagingHealth:
        """What the paging light shows: pages waiting, refused, triggered and acknowledged."""
        with self._driver_connection() as connection:
            return outbox_health.paging_health(connection)

    def unsent_drafts(self) -> list[int]:
        """Numbers of the incidents with a non-empty update draft."""
        with self._driver_connection() as connection:
            return incident_reads.unsent_drafts(connection)

    def add_note(
        self,
        number: int,
        text: str,
        *,
        at: datetime | None = None,
        author: str = "",
        kind: EntryKind = EntryKind.NOTE,
    ) -> tuple[EntryView, int]:
        """Commit the note the IC types every minute, straight to SQLite (note_writes).

        Also returns the revision the write made, one more than the one before it: a
        reader that holds that one knows the note is all that changed.
        """
        values = entry_values(note_text(text), at or now(), kind, author)
        entry, revision = self._raw_write(
            lambda connection: note_writes.insert_note(connection, number, values)
        )
        self._wrote(revision)
        return entry, revision

    def _wrote(self, revision: int) -> None:
        """This store's own write made ``revision`` (on a server, the listener learns it now)."""

    def _raw_write(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``work`` on a driver connection (it opens and commits its transaction).

        The busy timeout set on every connection already waits up to 15 s for another
        writer; a file still locked after that, read-only or full says so in one line.
        """
        with self._driver_connection() as connection:
            try:
                return work(connection)
            except self._write_errors as exc:
                if "locked" in str(exc).lower():
                    raise DatabaseError(
                        f"{self.path} stayed locked by another writer; nothing was saved, try again"
                    ) from exc
                raise DatabaseError(f"cannot write to {self.path}: {exc}") from exc


def note_text(text: str) -> str:
    """A typed note as stored: cleaned of controls, refused if empty or too long."""
    text = clean_text(text)
    if not text:
        raise InvalidInput("the note is empty")
    return check_length("note", text)
