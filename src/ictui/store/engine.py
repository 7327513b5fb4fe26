"""Opening a database through SQLAlchemy: the engine, for a SQLite file or a PostgreSQL server.

The rest of the ORM side talks SQLAlchemy and SQLModel, the same on both. What reads or
writes rows directly, for speed (driver, bulk_reads, incident_reads, note_writes), speaks
SQLite's dialect on a DB-API connection; on PostgreSQL that connection is a
:class:`ictui.store.pg.PgConnection`, which speaks it too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine

from ictui.store.driver import BUSY_TIMEOUT_MS, configure
from ictui.store.files import create_file
from ictui.store.location import Server


def make_engine(location: Path | Server) -> Engine:
    if isinstance(location, Server):
        return _server_engine(location)
    path = location
    engine = sa.create_engine(
        f"sqlite:///{path}",
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
        # One connection per thread: the cockpit's workers and the outbox each get theirs.
        poolclass=sa.pool.QueuePool,
        pool_size=4,
        max_overflow=8,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # The same set-up as the cockpit's own connections (store/driver.py); the "begin"
        # event below issues BEGIN.
        configure(dbapi_connection)

    @event.listens_for(engine, "begin")
    def _on_begin(connection: sa.Connection) -> None:
        # Writers take the write lock up front, so that two writers never deadlock on
        # an upgrade from a read lock and "next number" reads stay serialised.
        mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")

    return engine


def _server_engine(server: Server) -> Engine:
    from ictui.store import pg

    engine = sa.create_engine(
        server.url,
        connect_args={"connect_timeout": 5, "application_name": "ictui"},
        poolclass=sa.pool.QueuePool,
        pool_size=4,
        max_overflow=8,
        # A server restarted under a long-running cockpit: its pooled connections are dead.
        pool_pre_ping=True,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Times as the fast paths read them (store/pg.py): ISO, and stored in UTC.
        previous = dbapi_connection.autocommit
        dbapi_connection.autocommit = True
        dbapi_connection.execute("SET DateStyle TO ISO; SET TimeZone TO 'UTC'")
        dbapi_connection.autocommit = previous

    @event.listens_for(engine, "begin")
    def _on_begin(connection: sa.Connection) -> None:
        # Writers one at a time, as on SQLite (store/pg.py).
        if connection.get_execution_options().get("sqlite_begin") == "IMMEDIATE":
            connection.exec_driver_sql(pg.TAKE_WRITE_LOCK)

    return engine


def is_sqlite(engine: Engine | sa.Connection) -> bool:
    return engine.dialect.name == "sqlite"


def enable_wal(engine: Engine) -> None:
    """Switch the file to WAL (readers never wait for the writer), once it is known to be ours.

    The journal mode is stored in the file itself: set on connect, it would rewrite a
    foreign SQLite file before ictui had a chance to refuse it.
    """
    raw = engine.raw_connection()
    try:
        # Outside a transaction (the driver connection is in autocommit), as SQLite requires.
        driver = raw.driver_connection
        assert driver is not None, "a connection just taken from the pool is open"
        driver.execute("PRAGMA journal_mode = WAL")
    finally:
        raw.close()


def writer(engine: Engine) -> Engine:
    """The same pool, with write transactions that lock at BEGIN."""
    return engine.execution_options(sqlite_begin="IMMEDIATE")


def is_busy_error(exc: BaseException) -> bool:
    return isinstance(exc, sa.exc.OperationalError) and "locked" in str(exc.orig).lower()


def integrity_check(connection: sa.Connection) -> str:
    if not is_sqlite(connection):
        return "ok" if connection.exec_driver_sql("SELECT 1").scalar() == 1 else "no answer"
    return str(connection.exec_driver_sql("PRAGMA integrity_check").scalar())


def backup(engine: Engine, target: Path) -> None:
    """Copy a live database with SQLite's online backup API (safe while others write)."""
    import sqlite3

    create_file(target)
    raw = engine.raw_connection()
    try:
        destination = sqlite3.connect(target)
        try:
            driver = raw.driver_connection
            assert driver is not None, "a connection just taken from the pool is open"
            driver.backup(destination)
        finally:
            destination.close()
    finally:
        raw.close()
