"""The cockpit's store on a PostgreSQL server, with psycopg alone until a write needs more.

As on a SQLite file (store/lazy.py), the list, an incident, its timeline, the notes the
IC types and the writes of every day go through the fast paths (store/everyday.py,
store/everyday_writes.py), here on psycopg connections that speak as SQLite's
(store/pg.py); the revision comes from the server's notifications (store/listen.py).
SQLAlchemy and SQLModel, a third of a second and 30 MB, load with the first write that
needs them (triage, the incident's details, the roster, a post-mortem), or at once for a database to
create or migrate.

:func:`read_server_list` is the list read while the cockpit starts (cli/cockpit.py's peek).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import TYPE_CHECKING, Any

from ictui.domain.policy import Policy
from ictui.store import bulk_reads, pg, versions
from ictui.store.files import DatabaseError
from ictui.store.lazy import OnDemand
from ictui.store.listen import Revisions
from ictui.store.location import Server
from ictui.store.server import connect, first_line, refused_right

if TYPE_CHECKING:
    from ictui.store.api import Store

# A connection idle this long is asked whether it is still there before it is used (the
# server may have restarted under a long-running cockpit).
_STALE_S = 30.0
_IDLE_KEPT = 4

_TABLES = "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"


class ServerPool:
    """psycopg connections to one server, one per thread at a time, kept for the next caller."""

    def __init__(self, server: Server, first: Any = None) -> None:
        self._server = server
        self._lock = threading.Lock()
        self._idle: list[tuple[Any, float]] = [(first, time.monotonic())] if first is not None else []
        self._closed = False

    @contextmanager
    def connection(self) -> Iterator[pg.PgConnection]:
        raw = self._borrow()
        connection = pg.PgConnection(raw)
        try:
            yield connection
        except Exception as exc:
            denied = refused_right(exc, self._server, raw=raw)
            if denied is None and not isinstance(exc, pg.WRITE_ERRORS):
                raise
            if denied is not None:
                raise denied from exc
            raw.close()  # lost or broken: not given to the next caller
            raise DatabaseError(
                f"the PostgreSQL server at {self._server.shown} failed: {first_line(exc)}"
            ) from exc
        finally:
            if not raw.closed and connection.in_transaction:  # left in one by an error
                try:
                    raw.rollback()
                except pg.WRITE_ERRORS:
                    raw.close()
            self._give_back(raw)

    def _borrow(self) -> Any:
        import psycopg

        while True:
            with self._lock:
                if not self._idle:
                    break
                raw, since = self._idle.pop()
            if raw.closed:
                continue
            if time.monotonic() - since < _STALE_S:
                return raw
            try:
                raw.execute("SELECT 1")
                return raw
            except psycopg.Error:
                raw.close()
        return connect(self._server)

    def _give_back(self, raw: Any) -> None:
        if raw.closed:
            return
        with self._lock:
            if not self._closed and len(self._idle) < _IDLE_KEPT:
                self._idle.append((raw, time.monotonic()))
                return
        raw.close()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for raw, _ in idle:
            raw.close()


def schema_version(raw: Any) -> int | None:
    """The database's schema version (None: empty); DatabaseError for a foreign database."""
    tables = {name for (name,) in raw.execute(_TABLES).fetchall()}
    return versions.version_of(
        tables, lambda: raw.execute(versions.VERSION_QUERY).fetchone(), "PostgreSQL database"
    )


class ServerLazyStore(OnDemand):
    """The cockpit's store on a PostgreSQL server."""

    _write_errors = pg.WRITE_ERRORS

    def __init__(self, server: Server, policy: Policy | None = None) -> None:
        self.path = server
        self.server = server
        self.policy = policy or Policy()
        self._opening = threading.Lock()
        self._full: Store | None = None
        first = connect(server)  # reached, or refused in one line
        try:
            version = schema_version(first)
            versions.refuse_newer(version)
        except BaseException:
            first.close()
            raise
        self._pool = ServerPool(server, first)
        self._revisions = Revisions(server.conninfo)
        if version != versions.SCHEMA_VERSION:
            try:
                self.full_store()  # to create or migrate, or refuse in Store's own words
            except BaseException:
                self.close()
                raise

    @property
    def on_server(self) -> bool:
        return True

    def _open_full(self) -> Store:
        from ictui.store.api import Store

        return Store(self.server, self.policy, revisions=self._revisions)

    def _driver_connection(self) -> AbstractContextManager[pg.PgConnection]:  # type: ignore[override]  # psycopg's connection speaking as sqlite3's (store/pg.py)
        return self._pool.connection()

    def revision(self) -> int:
        announced = self._revisions.latest()
        return announced if announced is not None else super().revision()

    def _wrote(self, revision: int) -> None:
        self._revisions.wrote(revision)

    def delivery_lock(self) -> AbstractContextManager[bool]:
        return self.full_store().delivery_lock()

    def close(self) -> None:
        self._revisions.close()
        self._pool.close()
        if self._full is not None:
            self._full.close()


def read_server_list(server: Server, limit: int | None = None) -> bulk_reads.ListRead | None:
    """The incident list (the newest ``limit``) with psycopg alone, or None if it cannot be
    read so (the store then says why, creates or migrates)."""
    try:
        raw = connect(server)
    except DatabaseError:
        return None
    try:
        connection = pg.PgConnection(raw)
        connection.execute("BEGIN")  # one snapshot: the rows are those of the revision
        found = connection.execute(bulk_reads.REVISION).fetchone()
        if found is None:  # no revision row: not ictui's schema
            return None
        (revision,) = found
        return bulk_reads.ListRead(bulk_reads.incident_rows(connection, limit=limit), int(revision or 0))
    except Exception:  # noqa: BLE001 - an old or foreign schema, a server gone: the store says
        return None
    finally:
        raw.close()
