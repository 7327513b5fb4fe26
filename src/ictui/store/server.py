"""A PostgreSQL server named by ``--db``: reached, or refused in one line.

psycopg is imported here, when a server is named: SQLite users never load it.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from ictui.domain.errors import Forbidden
from ictui.store.files import DatabaseError
from ictui.store.location import Server, redact

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
        raise DatabaseError(
            f"cannot reach the PostgreSQL server at {server.shown}: {first_line(exc)}"
        ) from None
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


class RightMissing(DatabaseError, Forbidden):
    """The role lacks a right: the same write will be refused until it is granted."""


# What PostgreSQL says when a role lacks a right (SQLSTATE 42501, insufficient_privilege).
_DENIED = re.compile(
    r"permission denied for (?P<what>(?:table|relation|sequence|schema|function|database) \S+)"
)
_RIGHTS = ("SELECT", "INSERT", "UPDATE", "DELETE")


def refused_right(
    exc: BaseException, where: object, statement: str = "", raw: Any = None
) -> DatabaseError | None:
    """A write (or a read) the server refused for want of a right, as one line that names
    the right and the table, and how the database's owner grants it; no SQL, no values.
    None for any other error. ``exc``: psycopg's, or SQLAlchemy's around it. ``raw``: the
    psycopg connection it came from, asked which rights the role lacks on that table when
    the statement is not known (a note's pipeline)."""
    orig = getattr(exc, "orig", None) or exc
    if getattr(orig, "sqlstate", None) != "42501":
        return None
    statement = statement or str(getattr(exc, "statement", "") or "")
    verb = statement.lstrip().split(None, 1)[0].upper() if statement.strip() else ""
    found = _DENIED.search(first_line(orig))
    what = found["what"].replace("relation ", "table ") if found else "the database"
    right = "USAGE" if what.startswith("sequence") else verb if verb in _RIGHTS else ""
    if not right and raw is not None and what.startswith("table "):
        lacking = missing_rights(raw, what.split(" ", 1)[1])
        right = " and ".join(", ".join(lacking).rsplit(", ", 1)) if lacking else ""
    right = right or "INSERT, UPDATE and DELETE"
    role = urlsplit(str(getattr(where, "url", ""))).username or "this"
    return RightMissing(
        f"the PostgreSQL role {role!r} lacks the {right} right{'s' if ' and ' in right else ''} on the {what} "
        f"at {where}; nothing was written. "
        f"The database's owner grants what ictui needs: GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES "
        f"IN SCHEMA public TO {role}; GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {role}"
    )


def missing_rights(raw: Any, table: str) -> list[str]:
    """The rights ictui uses that the connection's role lacks on ``table`` (none if the
    server cannot say: the connection may be broken by then)."""
    try:
        if raw.info.transaction_status != 0:  # not idle: in the failed transaction
            raw.rollback()
        rows = raw.execute(
            "SELECT p FROM unnest(%s::text[]) WITH ORDINALITY AS r(p, n) "
            "WHERE NOT has_table_privilege(%s, p) ORDER BY n",
            (list(_RIGHTS), table),
        ).fetchall()
        return [str(row[0]) for row in rows]
    except Exception:  # noqa: BLE001 - only a better message was at stake
        return []


def first_line(exc: BaseException | None) -> str:
    """The first line of a driver's error, any password in it masked."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return redact(lines[0]) if lines else type(exc).__name__
