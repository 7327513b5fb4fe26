"""Which schema a file holds, read with SQLite alone: whether it can be opened as it is.

The cockpit opens a current database without the database layer (store/lazy.py);
only a file to create or migrate needs it (store/migrations.py).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ictui.store.files import DatabaseError, read_only_uri

SCHEMA_VERSION = 6
META_TABLE = "ictui_meta"


VERSION_QUERY = f"SELECT value FROM {META_TABLE} WHERE key = 'schema_version'"


def read_version(connection: sqlite3.Connection) -> int | None:
    """The schema version, or None for an empty file; raises for a foreign database."""
    tables = {
        name
        for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
        )
    }
    return version_of(tables, lambda: connection.execute(VERSION_QUERY).fetchone(), "SQLite file")


def version_of(tables: set[str], read: Callable[[], Any], kind: str) -> int | None:
    """The version given the database's tables and how to read the version's row."""
    if META_TABLE not in tables:
        if tables:
            raise DatabaseError(f"this {kind} is not an ictui database; left untouched")
        return None
    row = read()
    if row is None:
        raise DatabaseError("this database has no schema version; left untouched")
    return int(row[0])


def check_known(path: Path) -> int | None:
    """Refuse a foreign or newer database having only read it: nothing beside it is created
    and nothing in it, or in its WAL, is changed. Returns its version (None if empty or
    unreadable: a damaged file is left to the opening, which says so)."""
    try:
        connection = sqlite3.connect(read_only_uri(path), uri=True)
    except sqlite3.Error:
        return None
    try:
        version = read_version(connection)
    except sqlite3.DatabaseError:
        return None
    finally:
        connection.close()
    refuse_newer(version)
    return version


def refuse_newer(version: int | None) -> None:
    if version is not None and version > SCHEMA_VERSION:
        raise DatabaseError(
            f"this database was made by a newer ictui (schema {version}; this one knows up to "
            f"{SCHEMA_VERSION}); upgrade ictui to open it. The file was left untouched."
        )
