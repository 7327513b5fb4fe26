"""What every plain-SQL write is made of, on the DB-API connection: the write transaction,
the incident as the write reads it, rows inserted, timeline entries and outbox items.

The writes of every day (store/incident_writes.py, store/update_writes.py, and the note,
store/note_writes.py) run here without SQLAlchemy, on SQLite's connection or on psycopg's
speaking as SQLite's (store/pg.py), for the cockpit's lazy stores and the full Store alike.
Values are stored as the SQLModel columns (store/tables.py) write them: enum columns by
name, the plain text columns that hold an enum (a role, a key event) by value, times as UTC
text, lists and payloads as JSON text, flags as booleans.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from typing import Any, TypeVar

from ictui.domain.clock import now
from ictui.domain.enums import EntryKind, EntrySource, KeyEvent, OutboxState, Severity, Status
from ictui.domain.errors import InvalidInput, NotFound
from ictui.domain.limits import author_name, quoted
from ictui.domain.roster import HOW_TO_ADD

T = TypeVar("T")

# The revision counter, bumped by every write in its own transaction; the new value.
NEXT_REVISION = (
    "UPDATE ictui_meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = 'revision'"
    " RETURNING CAST(value AS INTEGER) AS value"
)


def write_transaction(connection: Any, work: Callable[[Any], T]) -> tuple[T, int]:
    """Run ``work(connection)`` in one write transaction that takes the writers' lock first
    (BEGIN IMMEDIATE: store/pg.py takes the advisory lock for it on a server) and bumps the
    revision; returns what ``work`` returned and the revision this write made. Nothing is
    written if ``work`` raises. The connection is in autocommit mode (driver.configure)."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        result = work(connection)
        (revision,) = connection.execute(NEXT_REVISION).fetchone()
        connection.execute("COMMIT")
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise
    return result, int(revision)


def stored_time(moment: datetime) -> str:
    """An aware time as the UTCDateTime column stores it: UTC, always with microseconds."""
    if moment.tzinfo is None:
        raise ValueError("naive datetimes are not stored: give a time zone")
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _stored(value: Any) -> Any:
    if isinstance(value, Enum):
        # By name or by value depends on the column: the caller says which.
        raise TypeError(f"store {value!r} by .name (an enum column) or by .value (a text column)")
    if isinstance(value, datetime):
        return stored_time(value)
    if isinstance(value, (list, dict)):
        return json.dumps(value)
    return value


def insert(connection: Any, table: str, values: Mapping[str, Any]) -> int:
    """Insert one row of ``values`` (column names written in the code, never typed); its id."""
    columns = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks}) RETURNING id"
    (row_id,) = connection.execute(sql, tuple(_stored(v) for v in values.values())).fetchone()
    return int(row_id)


def update(connection: Any, table: str, row_id: int, values: Mapping[str, Any]) -> None:
    """Set ``values`` on the row ``row_id`` of ``table``."""
    assignments = ", ".join(f"{column} = ?" for column in values)
    parameters = (*(_stored(v) for v in values.values()), row_id)
    connection.execute(f"UPDATE {table} SET {assignments} WHERE id = ?", parameters)


def placeholders(values: tuple[Any, ...] | list[Any]) -> str:
    """``?, ?, ?`` for an IN (...) of ``values``."""
    return ", ".join("?" for _ in values)


# ------------------------------------------------------------------ the incident


@dataclass
class Incident:
    """What the writes read of an incident, and change as they go (then written with :func:`update`)."""

    id: int
    number: int
    title: str
    status: Status
    severity: Severity
    cadence_minutes: int | None
    ic_id: int | None
    slack_channel_id: str
    # The key times (KEY_FIELDS): as stored, or as this write set them.
    declared_at: str | datetime | None
    mitigated_at: str | datetime | None
    resolved_at: str | datetime | None

    @property
    def channel_key(self) -> str:
        return self.slack_channel_id or f"incident:{self.number}"

    @property
    def has_channel(self) -> bool:
        """Whether the incident has a Slack channel, or one queued: declaring creates it.

        A report in triage has none yet, and a defect declined in triage never gets one, so
        nothing may be queued for it (it would wait forever).
        """
        return bool(self.slack_channel_id) or self.declared_at is not None


# The key events whose time the incident keeps in a column of its own.
KEY_FIELDS = {
    KeyEvent.DECLARED: "declared_at",
    KeyEvent.MITIGATED: "mitigated_at",
    KeyEvent.RESOLVED: "resolved_at",
}

_INCIDENT = (
    "SELECT id, number, title, status, severity, cadence_minutes, ic_id, slack_channel_id,"
    " declared_at, mitigated_at, resolved_at FROM incident WHERE number = ?"
)


def incident(connection: Any, number: int) -> Incident:
    row = connection.execute(_INCIDENT, (number,)).fetchone()
    if row is None:
        raise NotFound(f"there is no incident #{number}")
    return Incident(
        id=row[0],
        number=row[1],
        title=row[2],
        status=Status[row[3]],
        severity=Severity[row[4]],
        cadence_minutes=row[5],
        ic_id=row[6],
        slack_channel_id=row[7],
        declared_at=row[8],
        mitigated_at=row[9],
        resolved_at=row[10],
    )


# ------------------------------------------------------------------ timeline entries


def entry_values(
    text: str,
    at: datetime,
    kind: EntryKind,
    author: str,
    *,
    source: EntrySource | None = None,
    permalink: str = "",
    slack_ts: str = "",
    key_event: KeyEvent | None = None,
) -> dict[str, Any]:
    """A new timeline entry's columns but its incident, for an ORM object or note_writes."""
    manual = kind in (EntryKind.NOTE, EntryKind.ACTION)
    return {
        "occurred_at": at,
        "recorded_at": now(),
        "kind": kind,
        # A name from Slack or from $ICTUI_USER is text from outside too: the CLI prints it.
        "author": author_name(author),
        "text": text,
        "source": source or (EntrySource.MANUAL if manual else EntrySource.SYSTEM),
        "permalink": permalink,
        "slack_ts": slack_ts,
        "key_event": key_event,
        "shared": False,
    }


def add_entry(connection: Any, incident_id: int, values: Mapping[str, Any]) -> int:
    """Insert a timeline entry of ``values`` (everyday.entry_values); its id."""
    key_event = values["key_event"]
    return insert(
        connection,
        "timelineentry",
        {
            "incident_id": incident_id,
            **values,
            "kind": values["kind"].name,
            "source": values["source"].name,
            "key_event": key_event.value if key_event is not None else None,
        },
    )


# ------------------------------------------------------------------ the outbox


def enqueue(
    connection: Any,
    incident: Incident,
    action: str,
    payload: dict[str, Any],
    *,
    update_id: int | None = None,
    at: datetime | None = None,
    channel_key: str | None = None,
) -> int:
    """Queue one Slack action for the incident's channel (or ``channel_key``: a page's
    resolution goes by its alert), in the write's transaction."""
    return insert(
        connection,
        "outboxitem",
        {
            "incident_id": incident.id,
            "update_id": update_id,
            "action": action,
            "channel_key": incident.channel_key if channel_key is None else channel_key,
            "payload": payload,
            "state": OutboxState.PENDING.name,
            "attempts": 0,
            "next_attempt_at": None,
            "last_error": "",
            "result": {},
            "created_at": at or now(),
            "done_at": None,
        },
    )


def enqueue_channel(connection: Any, incident: Incident) -> None:
    """A declared incident gets its channel, its people and its announcement, in order."""
    if incident.slack_channel_id:
        return
    enqueue(connection, incident, "create_channel", {})
    enqueue(connection, incident, "announce", {})


def enqueue_topic(connection: Any, incident: Incident) -> None:
    if incident.has_channel:
        enqueue(connection, incident, "set_topic", {})


# ------------------------------------------------------------------ people


@dataclass(frozen=True)
class Person:
    id: int
    name: str
    email: str


def person_by_email(connection: Any, email: str) -> Person:
    """Someone on the roster (not removed); NotFound says how to add them."""
    row = connection.execute(
        "SELECT id, name, email, removed_at FROM person WHERE email = ?", (email.strip().lower(),)
    ).fetchone()
    if row is None:
        raise not_on_roster(email)
    if row[3] is not None:
        raise removed_from_roster(row[1], row[2])
    return Person(row[0], row[1], row[2])


def person_name(connection: Any, person_id: int | None) -> str | None:
    if person_id is None:
        return None
    row = connection.execute("SELECT name FROM person WHERE id = ?", (person_id,)).fetchone()
    return None if row is None else str(row[0])


def not_on_roster(email: str) -> NotFound:
    return NotFound(f"nobody with the email {quoted(email.strip())} is on the roster; add them: {HOW_TO_ADD}")


def removed_from_roster(name: str, email: str) -> InvalidInput:
    return InvalidInput(
        f'{name} ({email}) was removed from the roster; `ictui people add "{name}" {email}` brings them back'
    )
