"""Schema versions and the forward migrations between them.

A fresh database gets the current schema straight from the models. An older one is
brought forward one step at a time, in one transaction. A newer one is refused and
left untouched: an old ictui must not guess at a schema it does not know.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import SQLModel

from ictui.domain import models
from ictui.store.engine import DatabaseError, has_table, peek, user_tables

SCHEMA_VERSION = 1

# MIGRATIONS[n] brings a database from version n - 1 to version n.
MIGRATIONS: dict[int, Callable[[sa.Connection], None]] = {}

# Every write bumps it within its own transaction: readers know whether what they hold is
# current (the cockpit's poll; the list it read before the store opened).
BUMP_REVISION = (
    sa.update(models.Meta)
    .where(models.Meta.key == "revision")
    .values(value=sa.cast(sa.cast(models.Meta.value, sa.Integer) + 1, sa.String))
)


def read_version(connection: sa.Connection) -> int | None:
    """The schema version, or None for an empty file; raises for a foreign database."""
    if not has_table(connection, models.Meta.__tablename__):
        if user_tables(connection):
            raise DatabaseError("this SQLite file is not an ictui database; left untouched")
        return None
    row = connection.execute(
        sa.select(models.Meta.value).where(models.Meta.key == "schema_version")
    ).scalar()
    if row is None:
        raise DatabaseError("this database has no schema version; left untouched")
    return int(row)


def check_known(path: Path) -> None:
    """Refuse a foreign or newer database having only read it: nothing beside it is created
    and nothing in it, or in its WAL, is changed. (A damaged file is left to the opening.)"""
    engine = peek(path)
    try:
        with engine.connect() as connection:
            version = read_version(connection)
    except sa.exc.DatabaseError:
        return
    finally:
        engine.dispose()
    _refuse_newer(version)


def ensure_schema(engine: sa.Engine) -> int:
    """Create or migrate the schema; returns the version the database had before."""
    with engine.connect() as connection:
        version = read_version(connection)
    _refuse_newer(version)
    if version == SCHEMA_VERSION:
        return version
    with engine.begin() as connection:
        # Read again under the write lock: another process may have just done it.
        current = read_version(connection)
        if current is None:
            SQLModel.metadata.create_all(connection)
            connection.execute(
                sa.insert(models.Meta),
                [
                    {"key": "schema_version", "value": str(SCHEMA_VERSION)},
                    {"key": "revision", "value": "0"},
                ],
            )
        else:
            for step in range(current + 1, SCHEMA_VERSION + 1):
                MIGRATIONS[step](connection)
            connection.execute(
                sa.update(models.Meta)
                .where(models.Meta.key == "schema_version")
                .values(value=str(SCHEMA_VERSION))
            )
            connection.execute(BUMP_REVISION)
    return 0 if version is None else version


def _refuse_newer(version: int | None) -> None:
    if version is not None and version > SCHEMA_VERSION:
        raise DatabaseError(
            f"this database was made by a newer ictui (schema {version}; this one knows up to "
            f"{SCHEMA_VERSION}); upgrade ictui to open it. The file was left untouched."
        )
