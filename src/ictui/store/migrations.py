"""Schema versions and the forward migrations between them.

A fresh database gets the current schema straight from the models. An older one is
brought forward one step at a time, in one transaction. A newer one is refused and
left untouched: an old ictui must not guess at a schema it does not know.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from sqlmodel import SQLModel, col

from ictui.store import tables as models
from ictui.store import versions
from ictui.store.files import DatabaseError


def _people_can_be_removed(connection: sa.Connection) -> None:
    """Schema 2: a person removed from the roster keeps their row (and their name on history)."""
    column_type = sa.DateTime().compile(dialect=connection.dialect)  # DATETIME, or TIMESTAMP
    connection.exec_driver_sql(f"ALTER TABLE person ADD COLUMN removed_at {column_type}")


def _reopening_restarts_the_update_clock(connection: sa.Connection) -> None:
    """Schema 3: when an incident became active again (its updates are owed from then)."""
    column_type = sa.DateTime().compile(dialect=connection.dialect)
    connection.exec_driver_sql(f"ALTER TABLE incident ADD COLUMN reopened_at {column_type}")


def _teams_can_be_paged(connection: sa.Connection) -> None:
    """Schema 4: each team's PagerDuty integration key, and the pages sent."""
    connection.exec_driver_sql("ALTER TABLE team ADD COLUMN pagerduty_key VARCHAR NOT NULL DEFAULT ''")
    SQLModel.metadata.create_all(connection, tables=[SQLModel.metadata.tables["page"]])


def _search_everything(connection: sa.Connection) -> None:
    """Schema 5: the full-text index of every incident's texts (store/search.py), with its
    triggers, filled from what the database already holds."""
    from ictui.store import search

    search.create_index(connection, fill=True)


def _filter_by_index(connection: sa.Connection) -> None:
    """Schema 6: the trigram index on incident titles (and the index of the incidents by
    their IC) that the list's filter looks words up in (store/title_index.py)."""
    from ictui.store import title_index

    title_index.create_index(connection, fill=True)


# MIGRATIONS[n] brings a database from version n - 1 to version n.
MIGRATIONS: dict[int, Callable[[sa.Connection], None]] = {
    2: _people_can_be_removed,
    3: _reopening_restarts_the_update_clock,
    4: _teams_can_be_paged,
    5: _search_everything,
    6: _filter_by_index,
}

# Every write bumps it within its own transaction: readers know whether what they hold is
# current (the cockpit's poll; the list it read before the store opened).
BUMP_REVISION = (
    sa.update(models.Meta)
    .where(col(models.Meta.key) == "revision")
    .values(value=sa.cast(sa.cast(models.Meta.value, sa.Integer) + 1, sa.String))
)


def read_version(connection: sa.Connection) -> int | None:
    """The schema version, or None for an empty database; raises for a foreign one."""
    if connection.dialect.name == "sqlite":
        driver = connection.connection.driver_connection
        assert driver is not None, "a connection in use is open"
        return versions.read_version(driver)
    tables = set(sa.inspect(connection).get_table_names())
    return versions.version_of(
        tables, lambda: connection.exec_driver_sql(versions.VERSION_QUERY).first(), "PostgreSQL database"
    )


def ensure_schema(engine: sa.Engine, *, create: bool = True, where: str = "") -> int:
    """Create or migrate the schema; returns the version the database had before.
    ``create``: set up an empty database (a command that only reads refuses it instead,
    naming it as ``where``)."""
    with engine.connect() as connection:
        version = read_version(connection)
    versions.refuse_newer(version)
    if version is None and not create:
        raise DatabaseError(
            f"there is no ictui database at {where or engine.url.render_as_string(hide_password=True)} yet; "
            "nothing was created. Check --db or $ICTUI_DB (commands that write, such as declare "
            "or the cockpit, set it up)"
        )
    if version == versions.SCHEMA_VERSION:
        return version
    with engine.begin() as connection:
        # Read again under the write lock: another process may have just done it.
        current = read_version(connection)
        if current is None:
            SQLModel.metadata.create_all(connection)
            from ictui.store import search, title_index

            search.create_index(connection, fill=False)
            title_index.create_index(connection, fill=False)
            connection.execute(
                sa.insert(models.Meta),
                [
                    {"key": "schema_version", "value": str(versions.SCHEMA_VERSION)},
                    {"key": "revision", "value": "0"},
                ],
            )
            if connection.dialect.name == "postgresql":
                _notify_on_revision(connection)
        else:
            for step in range(current + 1, versions.SCHEMA_VERSION + 1):
                MIGRATIONS[step](connection)
            connection.execute(
                sa.update(models.Meta)
                .where(col(models.Meta.key) == "schema_version")
                .values(value=str(versions.SCHEMA_VERSION))
            )
            connection.execute(BUMP_REVISION)
    return 0 if version is None else version


def _notify_on_revision(connection: sa.Connection) -> None:
    """PostgreSQL: every bump of the revision sends NOTIFY at commit (store/pg.py)."""
    from ictui.store import pg

    connection.exec_driver_sql(pg.NOTIFY_FUNCTION)
    connection.exec_driver_sql(pg.NOTIFY_TRIGGER)
