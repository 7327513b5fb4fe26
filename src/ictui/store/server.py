"""A PostgreSQL server named by ``--db``: reached, or refused in one line.

psycopg is imported here, when a server is named: SQLite users never load it.
"""

from __future__ import annotations

from typing import Any

from ictui.store.files import DatabaseError
from ictui.store.location import Server

CONNECT_TIMEOUT_S = 5
# CREATE OR REPLACE TRIGGER (the revision's NOTIFY, store/pg.py) came with PostgreSQL 14.
MIN_SERVER_VERSION = 140000


def check_reachable(server: Server) -> None:
    """Connect once and let go; DatabaseError (one line, exit code 2) if the server cannot
    be reached or refuses us. Nothing is created anywhere."""
    connect(server).close()


def connect(server: Server) -> Any:
    """A psycopg connection (autocommit, times in ISO and UTC as store/pg.py reads them), or
    DatabaseError in one line if the server cannot be reached, refuses us or is too old."""
    try:
        import psycopg
    except ImportError as exc:  # pragma: no cover - a dependency of ictui
        raise DatabaseError(f"cannot use {server.shown}: psycopg is not installed ({exc})") from None
    try:
        connection = psycopg.connect(
            server.conninfo, connect_timeout=CONNECT_TIMEOUT_S, autocommit=True, application_name="ictui"
        )
    except psycopg.Error as exc:
        raise DatabaseError(f"cannot reach the PostgreSQL server at {server.shown}: {first_line(exc)}") from None
    version = connection.info.server_version
    if version < MIN_SERVER_VERSION:
        connection.close()
        shown = f"{version // 10000}.{version % 10000}"
        raise DatabaseError(
            f"the PostgreSQL server at {server.shown} is version {shown}; ictui needs 14 or newer. Nothing was written"
        )
    try:
        connection.execute("SET DateStyle TO ISO; SET TimeZone TO 'UTC'")
    except psycopg.Error as exc:
        connection.close()
        raise DatabaseError(f"the PostgreSQL server at {server.shown} failed: {first_line(exc)}") from None
    return connection


def first_line(exc: BaseException) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__
