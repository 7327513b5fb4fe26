"""Who can be named on an incident, and what can be affected, read with SQLite alone.

The declare and assign forms open on these: they must not wait for the database layer
to load (a third of a second the first time), or the keys typed after `D` would wait too.
"""

from __future__ import annotations

import json
import sqlite3

from ictui.domain.views import PersonView

PEOPLE = """
SELECT person.id, person.name, person.email, person.slack_user_id, person.roles, team.name
FROM person LEFT JOIN team ON team.id = person.team_id
ORDER BY person.name
"""


def people(connection: sqlite3.Connection) -> list[PersonView]:
    return [
        PersonView(id, name, email, slack_user_id or "", tuple(json.loads(roles or "[]")), team or "")
        for id, name, email, slack_user_id, roles, team in connection.execute(PEOPLE)
    ]


def components(connection: sqlite3.Connection) -> list[str]:
    """Every component some team owns, sorted: what an incident can be said to affect."""
    owned = {c for (value,) in connection.execute("SELECT components FROM team") for c in json.loads(value or "[]")}
    return sorted(owned, key=str.lower)
