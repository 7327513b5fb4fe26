"""The store's base: the engine, sessions and retries, and the revision.

Each public method of the store is one transaction, run by :meth:`StoreBase._write`
(retried while another writer holds the lock). Writes bump a revision counter in the
same transaction, so that any cockpit can tell cheaply that someone else changed
something. What a write returns is read back on its session's connection, inside its
transaction, through the same queries and builders as the reads (store/views.py): one
place builds each view.

The helpers the subjects share (finding an incident, adding an entry, queueing a Slack
action) are store/records.py's; the subjects are its subclasses: incident_ops,
timeline_ops, roster_ops, postmortem_ops and outbox_ops. :class:`ictui.store.api.Store`
puts them together. The writes of every day (declaring, status, severity, roles, updates,
notes and the timeline's edits) are not here: they are plain SQL on the driver's connection, the same for the
cockpit's lazy stores and this one (store/everyday_writes.py, through
:meth:`StoreBase._driver_connection`).
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlmodel import col

from ictui.domain.errors import InvalidInput
from ictui.domain.policy import Policy
from ictui.store import engine as eng
from ictui.store import files, health
from ictui.store import tables as m
from ictui.store.everyday_writes import EverydayWrites
from ictui.store.files import DatabaseError
from ictui.store.location import Server, parse
from ictui.store.migrations import BUMP_REVISION, ensure_schema
from ictui.store.server import first_line, refused_right

if TYPE_CHECKING:
    from ictui.store.listen import Revisions

T = TypeVar("T")

_BUSY_RETRIES = 5


class StoreBase(EverydayWrites):
    def __init__(
        self,
        path: Path | str | Server,
        policy: Policy | None = None,
        *,
        create: bool = True,
        init: bool = False,
        checked: bool = False,
        revisions: Revisions | None = None,
    ) -> None:
        """Open (``create``: or create) the database at ``path`` (a SQLite file, or a
        PostgreSQL server: store/location.py); ``init``: set up an empty file too;
        ``checked``: it was just found sound by this process (store/lazy.py);
        ``revisions``: on a server, the cockpit's store's knowledge of the revision."""
        self.policy = policy or Policy()
        self._held = False
        self._opening: health.Sidecars | None = None
        location = location_of(path)
        if isinstance(location, Server):
            self._open_server(location, revisions, create=create or init)
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
            raise DatabaseError(f"{self.path} cannot be opened as a database: {reason}") from exc
        except BaseException:
            self.close()
            opening.remove_new()
            raise
        self._opening = opening

    def _open_server(
        self, server: Server, revisions: Revisions | None = None, *, create: bool = True
    ) -> None:
        """A PostgreSQL database: reached (or refused in one line), its schema made or migrated."""
        from ictui.store import pg
        from ictui.store.listen import Revisions
        from ictui.store.server import check_reachable

        self.path = server
        self.server = server
        check_reachable(server)
        self.engine = eng.make_engine(server)
        self._writer = eng.writer(self.engine)
        self._write_errors = pg.WRITE_ERRORS
        try:
            self.migrated_from = ensure_schema(self._writer, create=create, where=server.shown)
        except sa.exc.DBAPIError as exc:
            self.engine.dispose()
            raise DatabaseError(
                f"{server.shown} cannot be opened as an ictui database: {first_line(exc.orig)}"
            ) from exc
        except BaseException:
            self.engine.dispose()
            raise
        # The cockpit's store on a server hands its own (store/lazy.py): one listener.
        self._owns_revisions = revisions is None
        self._revisions = revisions or Revisions(server.conninfo)

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

    # On a server: the value its notifications announce (store/listen.py).
    _revisions: Revisions | None = None

    def revision(self) -> int:
        """Changes whenever anyone commits a write. On a server, the value its notifications
        announce (store/listen.py): no query, however often the cockpit asks."""
        if self._revisions is not None:
            announced = self._revisions.latest()
            if announced is not None:
                return announced
        return super().revision()

    def _wrote(self, revision: int) -> None:
        if self._revisions is not None:
            self._revisions.wrote(revision)

    def close(self) -> None:
        if self._revisions is not None and self._owns_revisions:
            self._revisions.close()
        self.engine.dispose()
        self._release()
        opening = self._opening
        if (
            opening is not None
            and isinstance(self.path, Path)
            and self.path.exists()
            and not os.access(self.path, os.W_OK)
        ):
            # SQLite opened a file it cannot write read-only, and made -wal and -shm
            # files it cannot remove: nobody can write to it, so they hold nothing.
            opening.remove_new()

    def _release(self) -> None:
        if self._held and isinstance(self.path, Path):
            self._held = False
            files.release(self.path)

    # ------------------------------------------------------------------ sessions

    @contextmanager
    def _read(self) -> Iterator[Session]:
        with self._server_errors(), Session(self.engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def _server_errors(self, raw: Any = None) -> Iterator[None]:
        """On a server, a connection refused or lost on the way is one line, not a traceback."""
        if not self.on_server:
            yield
            return
        from ictui.store.pg import WRITE_ERRORS

        try:
            yield
        except (sa.exc.OperationalError, sa.exc.InterfaceError) as exc:
            raise DatabaseError(
                f"the PostgreSQL server at {self.path} failed: {first_line(exc.orig)}"
            ) from exc
        except WRITE_ERRORS as exc:
            raise DatabaseError(f"the PostgreSQL server at {self.path} failed: {first_line(exc)}") from exc
        except Exception as exc:
            denied = refused_right(exc, self.path, raw=raw)
            if denied is None:
                raise
            raise denied from exc

    @contextmanager
    def _driver_connection(self) -> Iterator[Any]:
        """The pool's DB-API connection itself, for the everyday reads and notes
        (EverydayOps): SQLite's, or psycopg's speaking as SQLite's (store/pg.py)."""
        if not self.on_server:
            raw = self.engine.raw_connection()
            try:
                yield raw.driver_connection
            finally:
                raw.close()
            return
        from ictui.store.pg import PgConnection

        with self._server_errors():
            raw = self.engine.raw_connection()
        try:
            driver = raw.driver_connection
            assert driver is not None, "a connection just taken from the pool is open"
            driver.autocommit = True  # the fast paths begin their own transactions, as on SQLite
            connection = PgConnection(driver)
            try:
                with self._server_errors(driver):
                    yield connection
            finally:
                if not driver.closed:
                    if connection.in_transaction:  # left in one by an error
                        driver.rollback()
                    driver.autocommit = False
        finally:
            raw.close()

    def _write(self, work: Callable[[Session], T]) -> T:
        """Run ``work`` in one write transaction; retried if another writer holds the lock."""
        for attempt in range(_BUSY_RETRIES):
            try:
                made: int | None = None
                with Session(self._writer, expire_on_commit=False) as session, session.begin():
                    result = work(session)
                    if not self.on_server:
                        session.execute(BUMP_REVISION)
                    else:
                        made = int(session.execute(BUMP_REVISION.returning(col(m.Meta.value))).scalar_one())
                if self._revisions is not None and made is not None:
                    self._revisions.wrote(made)
                return result
            except sa.exc.ProgrammingError as exc:
                denied = refused_right(exc, self.path) if self.on_server else None
                if denied is None:
                    raise
                raise denied from exc
            except sa.exc.OperationalError as exc:
                # A read-only file or a full disk: one clear line, and nothing was written.
                if not eng.is_busy_error(exc):
                    raise DatabaseError(f"cannot write to {self.path}: {first_line(exc.orig)}") from exc
                if attempt == _BUSY_RETRIES - 1:
                    raise DatabaseError(
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


def driver_of(s: Session) -> Any:
    """The DB-API connection under a session, in the session's transaction, as the fast
    paths use it (on PostgreSQL, store/pg.py's PgConnection)."""
    connection = s.connection()
    driver = connection.connection.driver_connection
    if connection.dialect.name == "sqlite":
        return driver
    from ictui.store.pg import PgConnection

    assert driver is not None, "a session's connection is open"
    return PgConnection(driver)


def location_of(path: Path | str | Server) -> Path | Server:
    if isinstance(path, Server):
        return path
    if isinstance(path, str):
        return parse(path)
    return path.expanduser()
