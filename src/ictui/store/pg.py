"""PostgreSQL's counterpart of what the store does on SQLite's own connection.

The fast paths (bulk_reads, incident_reads, roster_reads, outbox_health, note_writes,
driver.read_transaction) are written against the few methods of a ``sqlite3.Connection``
they use: ``execute`` with ``?`` parameters returning a cursor, ``in_transaction``, and
transactions they open with ``BEGIN`` (a read that sees one state) or ``BEGIN IMMEDIATE``
(a write that holds the write lock from the start). :class:`PgConnection` gives a psycopg
connection those methods, so that the same code runs on both:

- ``?`` becomes ``%s``;
- stored times, JSON lists and booleans come back as SQLite gives them to the readers
  (times as UTC text, JSON as text), so that store/views.py reads both alike;
- ``BEGIN`` is a REPEATABLE READ transaction (one snapshot for several reads, as SQLite's
  read transaction), ``BEGIN IMMEDIATE`` a transaction that first takes the writers' lock:

Writers, on PostgreSQL as on SQLite, go one at a time: every write transaction begins by
taking a transaction-level advisory lock (:data:`WRITE_LOCK`), released at its commit. It
is what keeps incident numbers unique and sequential under concurrent declares ("max + 1"
is read under it) and makes "the revision this write made" exact. Every write bumps the
revision counter, and a trigger on it sends NOTIFY (:data:`CHANNEL`) at commit: a cockpit
listening learns of another's write at once (store/listen.py).
"""

from __future__ import annotations

import logging
import re
from typing import Any

import psycopg
from psycopg.types.string import TextLoader

# psycopg logs a warning when leaving a pipeline that had already failed ("error ignored
# terminating …: pipeline aborted"), and Python prints an unhandled warning raw on stderr.
# ictui reports the first error in one line; the second says nothing more.
logging.getLogger("psycopg").addHandler(logging.NullHandler())

# Advisory lock keys: "ictui" in ASCII, then the lock's number.
WRITE_LOCK = 0x6963747569_01
DELIVERY_LOCK = 0x6963747569_02
CHANNEL = "ictui_revision"

TAKE_WRITE_LOCK = f"SELECT pg_advisory_xact_lock({WRITE_LOCK})"

# The revision trigger: NOTIFY at commit with the new value, for every write.
NOTIFY_FUNCTION = f"""
CREATE OR REPLACE FUNCTION ictui_notify_revision() RETURNS trigger AS $$
BEGIN
  PERFORM pg_notify('{CHANNEL}', NEW.value);
  RETURN NEW;
END
$$ LANGUAGE plpgsql
"""
NOTIFY_TRIGGER = """
CREATE OR REPLACE TRIGGER ictui_revision_notify AFTER UPDATE ON ictui_meta
FOR EACH ROW WHEN (NEW.key = 'revision') EXECUTE FUNCTION ictui_notify_revision()
"""

_PARAM = re.compile(r"\?")


# A value as SQLite's connection gives it: a time as 'YYYY-MM-DD HH:MM:SS[.ffffff]' (the
# columns are UTC timestamps without a zone, DateStyle ISO: engine.py), a JSON list as its
# text. psycopg's own TextLoader, not a subclass: only the class itself has a C version (the
# 10,000-row list read in 40 ms instead of 50 here).
_AS_TEXT = TextLoader


def _translate(sql: str) -> str:
    """SQLite's ``?`` parameters as psycopg's ``%s`` (and a literal % doubled)."""
    return _PARAM.sub("%s", sql.replace("%", "%%"))


class PgConnection:
    """A psycopg connection, as the fast paths use a ``sqlite3.Connection``."""

    # Writes may be one statement where SQLite takes several (store/note_writes.py).
    on_server = True

    def __init__(self, connection: psycopg.Connection[Any]) -> None:
        self.raw = connection

    @property
    def in_transaction(self) -> bool:
        return self.raw.info.transaction_status != psycopg.pq.TransactionStatus.IDLE

    def execute(self, sql: str, params: tuple[Any, ...] | list[Any] = ()) -> psycopg.Cursor[Any]:
        statement = sql.strip().upper()
        if statement == "BEGIN":
            sql = "BEGIN ISOLATION LEVEL REPEATABLE READ"
        elif statement == "BEGIN IMMEDIATE":
            # One round trip: a thread waiting on the network gives up the interpreter, and
            # takes it back only when the event loop lets go (store/note_writes.py).
            cursor = self._cursor()
            # READ COMMITTED, whatever the server's default: the lock is taken before any
            # snapshot the writes read from (see note_writes).
            cursor.execute(f"BEGIN ISOLATION LEVEL READ COMMITTED; {TAKE_WRITE_LOCK}")
            return cursor
        cursor = self._cursor()
        if params:
            cursor.execute(_translate(sql), tuple(params))
        else:
            cursor.execute(sql)  # no parameters: psycopg reads no placeholders
        return cursor

    def _cursor(self) -> psycopg.Cursor[Any]:
        cursor = self.raw.cursor()
        for name in ("timestamp", "json"):
            cursor.adapters.register_loader(name, _AS_TEXT)
        return cursor


# What a write on the server's own connection may raise (EverydayOps._raw_write).
WRITE_ERRORS: tuple[type[BaseException], ...] = (psycopg.OperationalError,)
