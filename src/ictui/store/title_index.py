"""The trigram index on incident titles, which the list's filter looks words up in.

The cockpit's filter looks for each typed word anywhere in an incident's title
(store/list_window.py), a substring, not a word: a full-text index of words cannot answer
it, and without an index every key typed reads every title. A trigram index holds each
three-character piece of every title, so a word of three characters or more is looked
up by its pieces and only the titles holding all of them are compared.

- SQLite: an FTS5 table with the ``trigram`` tokenizer, ``incident_title``, a row per
  incident (its rowid the incident's id), kept current by triggers on ``incident`` as
  the search index is (store/search.py). Its ``LIKE`` uses the index and compares the
  titles it finds, case-insensitively for ASCII letters as SQLite's ``LIKE`` does.
- PostgreSQL: the ``pg_trgm`` extension and a GIN index on ``lower(title)``, which the
  database keeps current itself. Creating an extension needs rights the database's
  owner may not have been given: then the filter scans the titles, as it did before
  the index (correct, only slower), and the migration says so once in the log.

Words shorter than three characters have no trigram: the filter scans for them.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import sqlalchemy as sa

log = logging.getLogger(__name__)

TABLE = "incident_title"

_SQLITE_TABLE = f"CREATE VIRTUAL TABLE {TABLE} USING fts5(title, tokenize = 'trigram', detail = 'none')"
_SQLITE_TRIGGERS = [
    f"CREATE TRIGGER list_title_in AFTER INSERT ON incident BEGIN "
    f"INSERT INTO {TABLE} (rowid, title) VALUES (new.id, new.title); END",
    f"CREATE TRIGGER list_title_up AFTER UPDATE OF title ON incident BEGIN "
    f"DELETE FROM {TABLE} WHERE rowid = old.id; INSERT INTO {TABLE} (rowid, title) VALUES (new.id, new.title); END",
    f"CREATE TRIGGER list_title_del AFTER DELETE ON incident BEGIN DELETE FROM {TABLE} WHERE rowid = old.id; END",
]
_SQLITE_FILL = f"INSERT INTO {TABLE} (rowid, title) SELECT id, title FROM incident"

# The index finds, for ``lower(title) LIKE '%word%'``, the titles holding the word's trigrams.
_PG_EXTENSION = "CREATE EXTENSION IF NOT EXISTS pg_trgm"
_PG_INDEX = (
    "CREATE INDEX IF NOT EXISTS ix_incident_title_trgm ON incident USING GIN (lower(title) gin_trgm_ops)"
)

# The incidents an IC leads, for a word found in the IC's name (the roster is small: the
# incidents are then found by this index, not by reading them all).
IC_INDEX = "CREATE INDEX IF NOT EXISTS ix_incident_ic_id ON incident (ic_id)"


def create_index(connection: sa.Connection, *, fill: bool) -> None:
    """Create the index (and on SQLite its triggers) in the schema's transaction;
    ``fill``: with the titles the database already holds (a migration)."""
    connection.exec_driver_sql(IC_INDEX)
    if connection.dialect.name != "postgresql":
        connection.exec_driver_sql(_SQLITE_TABLE)
        for trigger in _SQLITE_TRIGGERS:
            connection.exec_driver_sql(trigger)
        if fill:
            connection.exec_driver_sql(_SQLITE_FILL)
        return
    import sqlalchemy as sa  # the cockpit's list reads (list_window.py) do without it

    try:
        with connection.begin_nested():  # a refusal undoes this step only, not the migration
            connection.exec_driver_sql(_PG_EXTENSION)
            connection.exec_driver_sql(_PG_INDEX)
    except sa.exc.DBAPIError as error:
        reason = str(getattr(error, "orig", error)).strip().splitlines()[0]
        log.warning(
            "the pg_trgm extension could not be set up (%s): the incident list's filter reads "
            "every title instead of using a trigram index (correct, slower at many incidents). "
            "A database superuser can run CREATE EXTENSION pg_trgm, then "
            "%s",
            reason,
            _PG_INDEX,
        )


def refill_sqlite(connection: Any) -> None:
    """Empty the index and fill it again from the incidents (sqlite3; salvage.py)."""
    connection.execute(f"DELETE FROM {TABLE}")
    connection.execute(_SQLITE_FILL)


def is_index_table(name: str) -> bool:
    """The index or one of FTS5's own tables behind it (incident_title_data, ...)."""
    return name == TABLE or name.startswith(TABLE + "_")
