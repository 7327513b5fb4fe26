"""Who can be named on an incident, and what can be affected, read with SQLite alone.

The declare and assign forms open on these: they must not wait for the database layer
to load (a third of a second the first time), or the keys typed after `D` would wait too.
"""

from __future__ import annotations

import json
import sqlite3

from ictui.domain.errors import NotFound
from ictui.domain.roster import suggest_owners
from ictui.domain.views import PersonView
from ictui.store.views import PERSON_COLUMNS, person_view

PEOPLE = f"""
SELECT {PERSON_COLUMNS}
FROM person AS p LEFT JOIN team AS t ON t.id = p.team_id
WHERE ? OR p.removed_at IS NULL
ORDER BY p.name, p.email
"""
_PERSON = f"SELECT {PERSON_COLUMNS} FROM person AS p LEFT JOIN team AS t ON t.id = p.team_id WHERE p.id = ?"


def people(connection: sqlite3.Connection, include_removed: bool = False) -> list[PersonView]:
    """The roster by name; someone removed only with ``include_removed`` (history names them)."""
    return [person_view(row) for row in connection.execute(PEOPLE, (include_removed,))]


def person(connection: sqlite3.Connection, person_id: int) -> PersonView:
    """One person, removed or not (what a write that changed them returns)."""
    return person_view(connection.execute(_PERSON, (person_id,)).fetchone())


def components(connection: sqlite3.Connection) -> list[str]:
    """Every component some team owns, sorted: what an incident can be said to affect."""
    owned = {
        c for (value,) in connection.execute("SELECT components FROM team") for c in json.loads(value or "[]")
    }
    return sorted(owned, key=str.lower)


def team_parts(connection: sqlite3.Connection) -> dict[str, list[str]]:
    """Each team's name and the parts it owns."""
    return {
        name: json.loads(parts or "[]")
        for name, parts in connection.execute("SELECT name, components FROM team")
    }


def owners(
    connection: sqlite3.Connection, parts: list[str], owning_teams: list[str]
) -> list[tuple[PersonView, str]]:
    """Who owns what an incident affects (domain.roster.suggest_owners), from one read."""
    return suggest_owners(people(connection), team_parts(connection), parts, owning_teams)


def incident_owners(connection: sqlite3.Connection, number: int) -> list[tuple[PersonView, str]]:
    row = connection.execute(
        "SELECT components, owning_teams FROM incident WHERE number = ?", (number,)
    ).fetchone()
    if row is None:
        raise NotFound(f"there is no incident #{number}")
    return owners(connection, json.loads(row[0] or "[]"), json.loads(row[1] or "[]"))
