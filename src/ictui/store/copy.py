"""Every row of one ictui database into another, empty one: ``ictui copy-to URL``.

How a team moves its SQLite file to a shared PostgreSQL server (or a server's data back
into a file). The source is read in one read transaction (one state of it, while others
may go on writing); the target is written in one write transaction, table by table in the
order their foreign keys need, ids kept, then checked row count by row count before it
commits: a copy is whole or not made. The target's id sequences are moved past the copied
ids (PostgreSQL), and its Slack instance name is the source's, so that the outbox still
recognises the messages it posted before the move.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlmodel import SQLModel, col

from ictui.domain.errors import InvalidInput
from ictui.store import tables as m
from ictui.store.base import StoreBase
from ictui.store.files import DatabaseError
from ictui.store.migrations import BUMP_REVISION

_CHUNK = 1000
# Rows that make a database "in use": copying into one would mix two teams' records.
_DATA_TABLES = ("incident", "person", "team", "outboxitem")
_KEPT_META = ("slack_instance",)


@dataclass(frozen=True)
class Copied:
    rows: dict[str, int]

    @property
    def incidents(self) -> int:
        return self.rows.get("incident", 0)


def copy_database(source: StoreBase, target: StoreBase) -> Copied:
    """Copy ``source``'s rows into ``target``, which must hold none; all or nothing."""
    if same_database(source.path, target.path):
        raise InvalidInput("the source and the target are the same database; nothing was copied")
    tables = [t for t in SQLModel.metadata.sorted_tables if t.name != m.Meta.__tablename__]
    copied: dict[str, int] = {}
    with source.engine.connect() as reading, reading.begin(), target._writer.begin() as writing:
        for name in _DATA_TABLES:
            if writing.execute(sa.select(sa.func.count()).select_from(sa.table(name))).scalar():
                raise InvalidInput(
                    f"{target.path} already holds {name}s: copy into a new, empty database; nothing was copied"
                )
        for table in tables:
            copied[table.name] = _copy_table(reading, writing, table)
        for key in _KEPT_META:
            value = reading.execute(sa.select(col(m.Meta.value)).where(col(m.Meta.key) == key)).scalar()
            if value is not None:
                writing.execute(sa.delete(m.Meta).where(col(m.Meta.key) == key))
                writing.execute(sa.insert(m.Meta).values(key=key, value=value))
        if writing.dialect.name == "postgresql":
            for table in tables:
                if "id" in table.c and table.c.id.autoincrement:
                    writing.exec_driver_sql(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                        f"COALESCE((SELECT max(id) FROM {table.name}), 1), "
                        f"(SELECT max(id) FROM {table.name}) IS NOT NULL)"
                    )
        for table in tables:
            there = writing.execute(sa.select(sa.func.count()).select_from(table)).scalar()
            if there != copied[table.name]:
                raise DatabaseError(
                    f"the copy of {table.name} has {there} rows, not {copied[table.name]}; nothing was copied"
                )
        writing.execute(BUMP_REVISION)
    return Copied(copied)


def same_database(one: object, other: object) -> bool:
    if isinstance(one, Path) and isinstance(other, Path):
        return one.resolve() == other.resolve()
    return str(one) == str(other)


def _copy_table(reading: sa.Connection, writing: sa.Connection, table: sa.Table) -> int:
    order = [c for c in table.primary_key.columns]
    result = reading.execution_options(yield_per=_CHUNK).execute(sa.select(table).order_by(*order))
    count = 0
    for rows in result.partitions(_CHUNK):
        batch = [dict(row._mapping) for row in rows]
        writing.execute(sa.insert(table), batch)
        count += len(batch)
    return count
