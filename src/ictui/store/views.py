"""Stored rows to views: the one place each view of an entry, an update and a person is built.

Every read and every write that returns one of these selects the columns named here and
hands the rows to the builder here: the cockpit's reads on SQLite's own connection
(bulk_reads, incident_reads, roster_reads), the note write (its INSERT returns them), and
the writes made through SQLAlchemy, which read back what they wrote on their session's
connection, inside their transaction. Standard library only: the cockpit imports this
before the database layer.

Stored values as the SQLModel columns write them: enums by name, times as UTC text
("YYYY-MM-DD HH:MM:SS.ffffff"), lists as JSON text, flags as 0 and 1.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, overload

from ictui.domain.clock import to_utc
from ictui.domain.enums import EntryKind, EntrySource, UpdateState
from ictui.domain.views import EntryView, PersonView, UpdateView

Row = Sequence[Any]

_KINDS = {k.name: k for k in EntryKind}
_SOURCES = {s.name: s for s in EntrySource}
_UPDATE_STATES = {s.name: s for s in UpdateState}

# ------------------------------------------------------------------ timeline entries

ENTRY_COLUMNS = (
    "id, occurred_at, recorded_at, kind, author, text, source, permalink, key_event, shared, "
    "deleted_at IS NOT NULL, edited_at IS NOT NULL"
)


def entry_views(rows: Iterable[Row]) -> list[EntryView]:
    """Rows of :data:`ENTRY_COLUMNS` as views (5,000 of them on every reload of a big
    timeline: positional arguments and dict lookups)."""
    return [
        EntryView(
            r[0],
            read_time(r[1]),
            read_time(r[2]),
            _KINDS[r[3]],
            r[4],
            r[5],
            _SOURCES[r[6]],
            r[7],
            r[8],
            bool(r[9]),
            bool(r[10]),
            bool(r[11]),
        )
        for r in rows
    ]


def entry_view(row: Row) -> EntryView:
    return entry_views((row,))[0]


# ------------------------------------------------------------------ status updates

UPDATE_COLUMNS = "id, state, text, author, created_at, sent_at, attempts, permalink, last_error"


def update_views(rows: Iterable[Row]) -> list[UpdateView]:
    return [
        UpdateView(
            id=r[0],
            state=_UPDATE_STATES[r[1]],
            text=r[2],
            author=r[3],
            created_at=when(r[4]),
            sent_at=when(r[5]),
            attempts=r[6],
            permalink=r[7],
            last_error=r[8],
        )
        for r in rows
    ]


def update_view(row: Row) -> UpdateView:
    return update_views((row,))[0]


# ------------------------------------------------------------------ people

# ``p`` is the person, ``t`` their team (LEFT JOIN: a person may have none).
PERSON_COLUMNS = "p.id, p.name, p.email, p.slack_user_id, p.roles, t.name, p.removed_at IS NOT NULL"


def person_view(r: Row) -> PersonView:
    return PersonView(
        id=r[0],
        name=r[1],
        email=r[2],
        slack_user_id=r[3] or "",
        roles=tuple(json_list(r[4])),
        team=r[5] or "",
        removed=bool(r[6]),
    )


# ------------------------------------------------------------------ values

_parse = datetime.fromisoformat


@overload
def read_time(text: str) -> datetime: ...
@overload
def read_time(text: str | None) -> datetime | None: ...


def read_time(text: str | None) -> datetime | None:
    """A stored time as an aware datetime in UTC.

    Not a pendulum DateTime, as the models return: building one costs four times the
    parse, for 20,000 times in a 5,000-entry timeline and 40,000 in the incident list,
    and nothing that reads these views needs pendulum's methods (clock.to_local and
    clock.to_utc take any aware datetime).
    """
    if text is None:
        return None
    return _parse(text + "+00:00")


@overload
def when(text: str) -> datetime: ...
@overload
def when(text: str | None) -> datetime | None: ...


def when(text: str | None) -> datetime | None:
    """A stored time as a UTC pendulum DateTime, as the models read it (for the few times
    of one incident, not the thousands of a list)."""
    value = read_time(text)
    return None if value is None else to_utc(value)


def json_list(text: str | None) -> list[str]:
    return json.loads(text) if text else []
