"""The write the IC makes most, a plain note, as four statements on SQLite's connection.

Through a SQLAlchemy session (Core statements, no ORM objects) a note cost 2 ms of
Python around its 0.3 ms fsync, in a thread that competes with the event loop for the
interpreter; on the driver's connection it costs 0.45 ms. The rules are those of every
other write (Store._write): the write lock taken at BEGIN, the revision counter bumped
in the same transaction, nothing half-written.

In SQLite's dialect, like bulk_reads (on PostgreSQL, through store/pg.py: BEGIN IMMEDIATE
takes the writers' lock there): kinds and sources are stored by name, times as UTC text,
as the SQLModel columns write them. tests/store/test_note_writes.py reads such a note back
through the models.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from ictui.domain.errors import NotFound
from ictui.domain.views import EntryView
from ictui.store.views import ENTRY_COLUMNS, entry_view
from ictui.store.write_rows import NEXT_REVISION, stored_time, write_transaction

_INSERT = """
INSERT INTO timelineentry (incident_id, occurred_at, recorded_at, kind, author, text, source,
                           permalink, slack_ts, key_event, shared)
VALUES (?, ?, ?, ?, ?, ?, ?, '', '', NULL, FALSE)
RETURNING id
"""
# Read back in the transaction, not with RETURNING: SQLite 3.40's RETURNING says true for
# "deleted_at IS NOT NULL" on a column the INSERT left out.
_WRITTEN = f"SELECT {ENTRY_COLUMNS} FROM timelineentry WHERE id = ?"
_TOUCH = "UPDATE incident SET updated_at = ? WHERE id = ?"


# On a server, the same write as one statement: each statement is a round trip, and a
# thread that waits on the network gives up the interpreter and gets it back only when the
# event loop lets go of it. With another thread busy (the event loop drawing), eight round
# trips made a note take 16 ms (median) where SQLite's took 7; this one statement with BEGIN,
# the writers' lock and COMMIT, sent together (one round trip), takes 3. A note to an
# incident that is not there has no incident_id: NOT NULL refuses it, nothing is written.
_NOTE_ON_SERVER = f"""
WITH written AS (
  INSERT INTO timelineentry (incident_id, occurred_at, recorded_at, kind, author, text, source,
                             permalink, slack_ts, key_event, shared)
  VALUES ((SELECT id FROM incident WHERE number = ?), ?, ?, ?, ?, ?, ?, '', '', NULL, FALSE)
  RETURNING {ENTRY_COLUMNS}, incident_id
), touched AS (
  UPDATE incident SET updated_at = ? WHERE id = (SELECT incident_id FROM written)
), revision AS (
  {NEXT_REVISION}
)
SELECT written.*, revision.value FROM written, revision
"""


def insert_note(connection: sqlite3.Connection, number: int, values: dict[str, Any]) -> tuple[EntryView, int]:
    """Commit one entry with ``values`` (everyday.entry_values) to incident ``number``;
    returns it as stored and the revision this write made. The connection must be in autocommit
    mode (driver.configure sets it so), so that BEGIN here opens the transaction."""
    if getattr(connection, "on_server", False):
        return _insert_note_on_server(connection, number, values)
    return write_transaction(connection, lambda c: _insert_note(c, number, values))


def _insert_note(connection: sqlite3.Connection, number: int, values: dict[str, Any]) -> EntryView:
    found = connection.execute("SELECT id FROM incident WHERE number = ?", (number,)).fetchone()
    if found is None:
        raise NotFound(f"there is no incident #{number}")
    stored_now = stored_time(values["recorded_at"])
    (entry_id,) = connection.execute(
        _INSERT,
        (
            found[0],
            stored_time(values["occurred_at"]),
            stored_now,
            values["kind"].name,
            values["author"],
            values["text"],
            values["source"].name,
        ),
    ).fetchone()
    row = connection.execute(_WRITTEN, (entry_id,)).fetchone()
    connection.execute(_TOUCH, (stored_now, found[0]))
    return entry_view(row)


def _insert_note_on_server(connection: Any, number: int, values: dict[str, Any]) -> tuple[EntryView, int]:
    """BEGIN, the writers' lock, the note and COMMIT sent together in one round trip (psycopg's
    pipeline mode: the statements are queued and go at the end of the block)."""
    import psycopg
    from psycopg.errors import NotNullViolation

    from ictui.store.pg import TAKE_WRITE_LOCK  # here: psycopg is for servers only

    raw = connection.raw
    stored_now = stored_time(values["recorded_at"])
    parameters = (
        number,
        stored_time(values["occurred_at"]),
        stored_now,
        values["kind"].name,
        values["author"],
        values["text"],
        values["source"].name,
        stored_now,
    )
    try:
        with raw.pipeline():
            # READ COMMITTED: each statement sees what was committed before it, so the
            # statements after the lock see the writer that held it. (A REPEATABLE READ
            # snapshot would be taken by the lock's own statement, before the wait, and a
            # concurrent commit would then refuse the note: "could not serialize access".)
            connection.execute("BEGIN ISOLATION LEVEL READ COMMITTED")
            connection.execute(TAKE_WRITE_LOCK)
            written = connection.execute(_NOTE_ON_SERVER, parameters)
            connection.execute("COMMIT")
        row = written.fetchone()
    except NotNullViolation:
        _roll_back(raw)
        raise NotFound(f"there is no incident #{number}") from None
    except psycopg.Error:
        _roll_back(raw)
        raise
    return entry_view(row[: len(row) - 2]), int(row[-1])


def _roll_back(raw: Any) -> None:
    """Out of the transaction the failed pipeline left (a lost connection: the pool drops it)."""
    import psycopg

    if raw.closed or raw.info.transaction_status == psycopg.pq.TransactionStatus.IDLE:
        return
    try:
        raw.rollback()
    except psycopg.Error:
        raw.close()
