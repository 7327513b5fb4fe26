"""The two reads that return thousands of rows: the incident list and a timeline.

Both go straight from SQLite's rows to the views (store/views.py builds them). Through SQLAlchemy's row processing
(and ORM objects for the timeline) 10,000 incidents took 200 ms and an incident of
5,000 entries 200 ms, on every reload after every write; read here, a fifth of that.
The incident list can also be read with the standard library alone, before SQLAlchemy
and SQLModel are imported (half a second on a small machine): the cockpit paints it
while the store opens (:func:`read_incident_list`).

This is SQLite-only, like engine.py: severities, statuses and kinds are stored by
name, times as UTC text ("YYYY-MM-DD HH:MM:SS.ffffff"), which is how the SQLModel
columns write them. tests/store/test_bulk_reads.py checks both reads against the models.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

from ictui.domain.enums import Severity, Status
from ictui.domain.views import EntryView, IncidentRow
from ictui.store import views
from ictui.store.files import read_only_uri
from ictui.store.views import ENTRY_COLUMNS, read_time

# A line of the list: the columns and the tables they come from (store/list_window.py
# reads the same a window at a time).
LIST_COLUMNS = """i.number, i.title, i.severity, i.status, p.name, i.declared_at, i.created_at,
       i.last_update_at, i.cadence_minutes, pm.scheduled_at, pm.held_at IS NOT NULL, i.reopened_at"""
LIST_TABLES = """incident AS i
LEFT OUTER JOIN person AS p ON p.id = i.ic_id
LEFT OUTER JOIN postmortem AS pm ON pm.incident_id = i.id"""
_INCIDENTS = f"""
SELECT {LIST_COLUMNS}
FROM {LIST_TABLES}
{{where}}
ORDER BY i.number DESC
{{limit}}
"""
_ACTIVE = "WHERE i.status IN ({})".format(", ".join(f"'{s.name}'" for s in Status if s.is_active))

_TIMELINE = f"""
SELECT {ENTRY_COLUMNS}
FROM timelineentry
WHERE incident_id = ? {{deleted}}
ORDER BY occurred_at, id
"""
_ENTRY = f"SELECT {ENTRY_COLUMNS} FROM timelineentry WHERE id = ?"

REVISION = "SELECT CAST(value AS INTEGER) FROM ictui_meta WHERE key = 'revision'"

_SEVERITIES = {s.name: s for s in Severity}
_STATUSES = {s.name: s for s in Status}


def incident_rows(connection: Any, active_only: bool = False, limit: int | None = None) -> list[IncidentRow]:
    """Every incident (or every active one; the newest ``limit``), newest first, from a
    DB-API connection."""
    query = _INCIDENTS.format(
        where=_ACTIVE if active_only else "", limit=f"LIMIT {int(limit)}" if limit is not None else ""
    )
    return incident_rows_of(in_batches(connection.execute(query)))


def incident_rows_of(raw: Iterable[Any]) -> list[IncidentRow]:
    """List lines from rows of LIST_COLUMNS."""
    # Positional arguments and dict lookups: this runs for every incident ever declared.
    return [
        IncidentRow(
            r[0],
            r[1],
            _SEVERITIES[r[2]],
            _STATUSES[r[3]],
            r[4] or "",
            read_time(r[5]),
            read_time(r[6]),
            read_time(r[7]),
            r[8],
            read_time(r[9]),
            bool(r[10]),
            read_time(r[11]),
        )
        for r in raw
    ]


def in_batches(cursor: Any, size: int = 500) -> Iterator[Any]:
    """A cursor's rows, fetched a few hundred at a time: all the raw rows at once cost 5 MB
    more, and one at a time psycopg spends longer fetching than the rows take to build."""
    while rows := cursor.fetchmany(size):
        yield from rows


def entry_views(connection: Any, number: int, include_deleted: bool = False) -> list[EntryView] | None:
    """Incident ``number``'s timeline entries, oldest first; None if there is no such incident."""
    found = connection.execute("SELECT id FROM incident WHERE number = ?", (number,)).fetchone()
    if found is None:
        return None
    query = _TIMELINE.format(deleted="" if include_deleted else "AND deleted_at IS NULL")
    return views.entry_views(connection.execute(query, (found[0],)))


def entry_by_id(connection: Any, entry_id: int) -> EntryView | None:
    """One timeline entry, deleted or not (what a write that changed it returns)."""
    row = connection.execute(_ENTRY, (entry_id,)).fetchone()
    return None if row is None else views.entry_view(row)


class ListRead(NamedTuple):
    """The incident list as read before the store opens, and the revision it was read at."""

    rows: list[IncidentRow]
    revision: int


def read_incident_list(path: Path, limit: int | None = None) -> ListRead | None:
    """The incident list (the newest ``limit``) with the standard library alone, or None if
    it cannot be read so.

    None when there is no file yet, it is not an ictui database, or it holds columns or
    values this version does not know: the store then creates, migrates or refuses it.
    The file is opened read-only and never changed.
    """
    if not path.is_file():
        return None
    try:
        connection = sqlite3.connect(read_only_uri(path), uri=True)
    except sqlite3.Error:
        return None
    try:
        # One read transaction: the rows are those of the revision read with them.
        connection.execute("BEGIN")
        (revision,) = connection.execute(REVISION).fetchone()
        return ListRead(incident_rows(connection, limit=limit), revision)
    except (sqlite3.Error, KeyError, ValueError, TypeError):
        return None
    finally:
        connection.close()
