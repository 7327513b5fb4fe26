"""The store's base: the engine, sessions and retries, and the helpers every subject uses.

Each public method of the store is one transaction, run by :meth:`StoreBase._write`
(retried while another writer holds the lock). Writes bump a revision counter in the
same transaction, so that any cockpit can tell cheaply that someone else changed
something. What a write returns is read back on its session's connection, inside its
transaction, through the same queries and builders as the reads (store/views.py): one
place builds each view.

The subjects are mixins of :class:`StoreBase`: incident_ops, timeline_ops, roster_ops,
postmortem_ops and outbox_ops; :class:`ictui.store.api.Store` puts them together.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ictui.domain.enums import EntryKind, KeyEvent
from ictui.domain.clock import now
from ictui.domain.errors import InvalidInput, NotFound
from ictui.domain.policy import Policy
from ictui.domain.views import EntryView, IncidentView
from ictui.store import bulk_reads, files, health, incident_reads
from ictui.store import engine as eng
from ictui.store import tables as m
from ictui.store.everyday import EverydayOps, entry_values
from ictui.store.location import Server, parse
from ictui.store.migrations import BUMP_REVISION, ensure_schema

T = TypeVar("T")

_BUSY_RETRIES = 5


class StoreBase(EverydayOps):
    def __init__(
        self, path: Path | str | Server, policy: Policy | None = None, *, create: bool = True, init: bool = False,
        checked: bool = False,
    ) -> None:
        """Open (``create``: or create) the database at ``path`` (a SQLite file, or a
        PostgreSQL server: store/location.py); ``init``: set up an empty file too;
        ``checked``: it was just found sound by this process (store/lazy.py)."""
        self.policy = policy or Policy()
        self._held = False
        self._opening: health.Sidecars | None = None
        location = location_of(path)
        if isinstance(location, Server):
            self._open_server(location)
            return
        self.path = location
        opening = health.before_connecting(self.path, create=create, init=init, checked=checked)
        # From here on this process may hold the file: nothing opens it outside SQLite.
        files.hold(self.path)
        self._held = True
        self.engine = eng.make_engine(self.path)
        self._writer = eng.writer(self.engine)
        try:
            self.migrated_from = ensure_schema(self._writer)
            eng.enable_wal(self.engine)
        except (sa.exc.DatabaseError, sqlite3.DatabaseError) as exc:
            # The version is read on the driver's connection (store/versions.py): its
            # errors come unwrapped.
            self.close()
            opening.remove_new()
            reason = exc.orig if isinstance(exc, sa.exc.DatabaseError) else exc
            if health.damage_in(exc):
                raise health.damaged(self.path, str(reason)) from exc
            raise eng.DatabaseError(f"{self.path} cannot be opened as a database: {reason}") from exc
        except BaseException:
            self.close()
            opening.remove_new()
            raise
        self._opening = opening

    def _open_server(self, server: Server) -> None:
        """A PostgreSQL database: reached (or refused in one line), its schema made or migrated."""
        from ictui.store import pg
        from ictui.store.server import check_reachable, first_line

        self.path = server  # type: ignore[assignment]  (named so in messages, password masked)
        self.server = server
        check_reachable(server)
        self.engine = eng.make_engine(server)
        self._writer = eng.writer(self.engine)
        self._write_errors = pg.WRITE_ERRORS
        try:
            self.migrated_from = ensure_schema(self._writer)
        except sa.exc.DBAPIError as exc:
            self.engine.dispose()
            raise eng.DatabaseError(f"{server.shown} cannot be opened as an ictui database: {first_line(exc.orig)}") from exc
        except BaseException:
            self.engine.dispose()
            raise
        self._listening = threading.Lock()

    def delivery_lock(self) -> AbstractContextManager[bool]:
        """Held by the one process delivering the outbox; yields False if another holds it."""
        if not self.on_server:
            return super().delivery_lock()
        from ictui.store.lock import server_delivery_lock

        return server_delivery_lock(self.engine)

    @property
    def on_server(self) -> bool:
        return isinstance(self.path, Server)

    # ------------------------------------------------------------------ the revision

    _listener: Any = None
    # The newest revision this store's own writes made: a notification of it may still be
    # on its way to the listener when the writer asks (PostgreSQL only).
    _own_revision = 0

    def revision(self) -> int:
        """Changes whenever anyone commits a write. On a server, the value its notifications
        announce (store/listen.py): no query, however often the cockpit asks."""
        if self.on_server:
            announced = self._revision_listener().latest()
            if announced is not None:
                return max(announced, self._own_revision)
        return super().revision()

    def _revision_listener(self) -> Any:
        """Started by the first look at the revision: a command that never looks (most of
        the CLI) opens no listening connection."""
        with self._listening:
            if self._listener is None:
                from ictui.store.listen import RevisionListener

                self._listener = RevisionListener(self.server.conninfo)
            return self._listener

    def add_note(
        self, number: int, text: str, *, at: datetime | None = None, author: str = "",
        kind: EntryKind = EntryKind.NOTE,
    ) -> tuple[EntryView, int]:
        entry, revision = super().add_note(number, text, at=at, author=author, kind=kind)
        self._own_revision = max(self._own_revision, revision)
        return entry, revision

    def close(self) -> None:
        if self._listener is not None:
            self._listener.close()
        self.engine.dispose()
        self._release()
        opening = self._opening
        if opening is not None and self.path.exists() and not os.access(self.path, os.W_OK):
            # SQLite opened a file it cannot write read-only, and made -wal and -shm
            # files it cannot remove: nobody can write to it, so they hold nothing.
            opening.remove_new()

    def _release(self) -> None:
        if self._held:
            self._held = False
            files.release(self.path)

    # ------------------------------------------------------------------ sessions

    @contextmanager
    def _read(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def _driver_connection(self) -> Iterator[Any]:
        """The pool's DB-API connection itself, for the everyday reads and notes
        (EverydayOps): SQLite's, or psycopg's speaking as SQLite's (store/pg.py)."""
        raw = self.engine.raw_connection()
        try:
            if not self.on_server:
                yield raw.driver_connection
                return
            from ictui.store.pg import PgConnection

            driver = raw.driver_connection
            driver.autocommit = True  # the fast paths begin their own transactions, as on SQLite
            connection = PgConnection(driver)
            try:
                yield connection
            finally:
                if connection.in_transaction:  # left in one by an error
                    driver.rollback()
                driver.autocommit = False
        finally:
            raw.close()

    def _write(self, work: Callable[[Session], T]) -> T:
        """Run ``work`` in one write transaction; retried if another writer holds the lock."""
        for attempt in range(_BUSY_RETRIES):
            try:
                with Session(self._writer, expire_on_commit=False) as session, session.begin():
                    result = work(session)
                    if not self.on_server:
                        session.execute(BUMP_REVISION)
                    else:
                        made = int(session.execute(BUMP_REVISION.returning(m.Meta.value)).scalar_one())
                if self.on_server:
                    self._own_revision = max(self._own_revision, made)
                return result
            except sa.exc.OperationalError as exc:
                # A read-only file or a full disk: one clear line, and nothing was written.
                if not eng.is_busy_error(exc):
                    raise eng.DatabaseError(f"cannot write to {self.path}: {exc.orig}") from exc
                if attempt == _BUSY_RETRIES - 1:
                    raise eng.DatabaseError(
                        f"{self.path} stayed locked by another writer; nothing was saved, try again"
                    ) from exc
                time.sleep(0.05 * (attempt + 1))
        raise AssertionError("unreachable")

    def integrity_check(self) -> str:
        with self.engine.connect() as connection:
            return eng.integrity_check(connection)

    def backup(self, target: Path) -> None:
        if self.on_server:
            raise InvalidInput(
                f"{self.path} is a PostgreSQL server: back it up with pg_dump (see Team mode in the README)"
            )
        if target.exists():
            raise InvalidInput(f"{target} already exists; choose a new file for the backup")
        eng.backup(self.engine, target)

    # ------------------------------------------------------------------ records

    def _incident(self, s: Session, number: int) -> m.Incident:
        incident = s.execute(sa.select(m.Incident).where(m.Incident.number == number)).scalar()
        if incident is None:
            raise NotFound(f"there is no incident #{number}")
        return incident

    def _incident_id(self, s: Session, number: int) -> int:
        incident_id = s.execute(sa.select(m.Incident.id).where(m.Incident.number == number)).scalar()
        if incident_id is None:
            raise NotFound(f"there is no incident #{number}")
        return incident_id

    def _entry_by_id(self, s: Session, entry_id: int) -> m.TimelineEntry:
        entry = s.get(m.TimelineEntry, entry_id)
        if entry is None:
            raise NotFound(f"there is no timeline entry {entry_id}")
        return entry

    def _touch(self, s: Session, incident_id: int) -> None:
        s.execute(sa.update(m.Incident).where(m.Incident.id == incident_id).values(updated_at=now()))

    def _entry(
        self,
        s: Session,
        incident: m.Incident,
        text: str,
        at: datetime,
        kind: EntryKind,
        author: str,
        **columns: Any,
    ) -> m.TimelineEntry:
        """Add an entry; ``columns``: source, permalink, slack_ts, key_event (entry_values)."""
        entry = m.TimelineEntry(incident_id=incident.id, **entry_values(text, at, kind, author, **columns))
        s.add(entry)
        s.flush()
        return entry

    def _remember(self, s: Session, entry: m.TimelineEntry, editor: str, change: str) -> None:
        s.add(
            m.TimelineEdit(
                entry_id=entry.id,  # type: ignore[arg-type]
                editor=editor,
                old_text=entry.text,
                old_occurred_at=entry.occurred_at,
                old_key_event=entry.key_event,
                change=change,
            )
        )

    def _entry_view(self, s: Session, entry: m.TimelineEntry) -> EntryView:
        """The entry as this transaction leaves it (bulk_reads, on its connection)."""
        s.flush()
        view = bulk_reads.entry_by_id(driver_of(s), entry.id)  # type: ignore[arg-type]
        assert view is not None, "the entry was just written in this transaction"
        return view

    def _enqueue(self, s: Session, incident: m.Incident, action: str, payload: dict[str, Any]) -> None:
        s.add(
            m.OutboxItem(
                incident_id=incident.id,
                action=action,
                channel_key=channel_key(incident),
                payload=payload,
            )
        )

    def _enqueue_channel(self, s: Session, incident: m.Incident) -> None:
        """A declared incident gets its channel, its people and its announcement, in order."""
        if incident.slack_channel_id:
            return
        self._enqueue(s, incident, "create_channel", {})
        self._enqueue(s, incident, "announce", {})

    def _enqueue_topic(self, s: Session, incident: m.Incident) -> None:
        if has_channel(incident):
            self._enqueue(s, incident, "set_topic", {})

    def _enqueue_note(self, s: Session, incident: m.Incident, entry: m.TimelineEntry) -> None:
        self._enqueue(s, incident, "post_note", {"entry_id": entry.id})

    def _view(self, s: Session, incident: m.Incident) -> IncidentView:
        """The incident as this transaction leaves it (incident_reads, on its connection)."""
        s.flush()
        view = incident_reads.incident_view(driver_of(s), incident.number)
        assert view is not None, "the incident was just read in this transaction"
        return view


KEY_FIELDS = {
    KeyEvent.DECLARED: "declared_at",
    KeyEvent.MITIGATED: "mitigated_at",
    KeyEvent.RESOLVED: "resolved_at",
}


def key_time(incident: m.Incident, key: KeyEvent) -> datetime | None:
    field_name = KEY_FIELDS.get(key)
    if field_name is None:
        return None
    return getattr(incident, field_name)


def apply_key_time(incident: m.Incident, key: KeyEvent, at: datetime) -> None:
    field_name = KEY_FIELDS.get(key)
    if field_name:
        setattr(incident, field_name, at)


def has_channel(incident: m.Incident) -> bool:
    """Whether the incident has a Slack channel, or one queued: declaring creates it.

    A report in triage has none yet, and a defect declined in triage never gets one, so
    nothing may be queued for it (it would wait forever).
    """
    return bool(incident.slack_channel_id) or incident.declared_at is not None


def channel_key(incident: m.Incident) -> str:
    return incident.slack_channel_id or f"incident:{incident.number}"


def driver_of(s: Session) -> Any:
    """The DB-API connection under a session, in the session's transaction, as the fast
    paths use it (on PostgreSQL, store/pg.py's PgConnection)."""
    connection = s.connection()
    driver = connection.connection.driver_connection
    if connection.dialect.name == "sqlite":
        return driver
    from ictui.store.pg import PgConnection

    return PgConnection(driver)  # type: ignore[arg-type]


def location_of(path: Path | str | Server) -> Path | Server:
    if isinstance(path, Server):
        return path
    if isinstance(path, str):
        return parse(path)
    return path.expanduser()

