"""``ictui recover``: what can still be read of a damaged database, saved into a new file.

SQLite's own ``.recover`` needs a sqlite3 tool built with extensions that many systems
lack; this needs the standard library alone. The damaged file is read through a
read-only SQLite connection (never written, nothing made beside it); each table is read
from both ends of its row order, so that a damaged page loses only the rows on it and
what the scan cannot get past. The copy has the damaged file's own schema.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import NamedTuple

from ictui.store import search, title_index
from ictui.store.files import DatabaseError, create_file, read_only_uri


class Salvaged(NamedTuple):
    rows: dict[str, int]  # rows saved, by table
    damaged_tables: list[str]  # tables with rows that could not be read


def salvage(source: Path, target: Path) -> Salvaged:
    if target.exists():
        raise DatabaseError(f"{target} already exists; choose a new file for what is recovered")
    try:
        reader = sqlite3.connect(read_only_uri(source), uri=True)
    except sqlite3.Error as exc:
        raise DatabaseError(f"cannot read {source}: {exc}") from exc
    try:
        try:
            schema = reader.execute(
                "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY type = 'index', rowid"
            ).fetchall()
        except sqlite3.DatabaseError as exc:
            raise DatabaseError(f"{source}: even the list of its tables cannot be read ({exc})") from exc
        create_file(target)
        try:
            return _copy(reader, schema, target)
        except BaseException:
            for suffix in ("", "-journal"):
                try:
                    os.unlink(f"{target}{suffix}")
                except OSError:
                    pass
            raise
    finally:
        reader.close()


def _copy(reader: sqlite3.Connection, schema: list[tuple[str, str, str]], target: Path) -> Salvaged:
    writer = sqlite3.connect(target, isolation_level=None)
    try:
        writer.execute("PRAGMA foreign_keys = OFF")  # a row's parent may be on a lost page
        writer.execute("BEGIN")
        rows: dict[str, int] = {}
        damaged: list[str] = []
        indexed = titles_indexed = False
        for kind, name, sql in schema:
            if name.startswith("sqlite_"):
                continue  # SQLite's own (sqlite_sequence): made as the rows go in
            if kind == "table" and search.is_index_table(name):
                # The search index: made with its own tables, and filled from the rows
                # saved below (it holds nothing they do not).
                if name == search.TABLE:
                    writer.execute(sql)
                    indexed = True
                continue
            if kind == "table" and title_index.is_index_table(name):
                if name == title_index.TABLE:  # the same for the titles' trigram index
                    writer.execute(sql)
                    titles_indexed = True
                continue
            if kind == "table":
                writer.execute(sql)
                saved, complete = _copy_table(reader, writer, name)
                rows[name] = saved
                if not complete:
                    damaged.append(name)
            elif kind in ("index", "trigger", "view"):
                writer.execute(sql)
        if indexed:
            search.refill_sqlite(writer)
        if titles_indexed:
            title_index.refill_sqlite(writer)
        writer.execute("COMMIT")
        return Salvaged(rows, damaged)
    finally:
        writer.close()


def _copy_table(reader: sqlite3.Connection, writer: sqlite3.Connection, table: str) -> tuple[int, bool]:
    """Copy ``table``'s readable rows; returns how many, and whether that is all of them."""
    quoted = '"' + table.replace('"', '""') + '"'
    try:
        columns = [row[1] for row in reader.execute(f"PRAGMA table_info({quoted})")]
    except sqlite3.DatabaseError:
        return 0, False
    names = ", ".join('"' + c.replace('"', '""') + '"' for c in columns)
    insert = f"INSERT OR IGNORE INTO {quoted} (rowid, {names}) VALUES ({', '.join('?' * (len(columns) + 1))})"
    saved = 0
    last = None
    complete = True
    try:
        for row in reader.execute(f"SELECT rowid, {names} FROM {quoted} ORDER BY rowid"):
            writer.execute(insert, row)
            saved += 1
            last = row[0]
        return saved, True
    except sqlite3.DatabaseError:
        complete = False
    # From the other end, down to the last row read from this one.
    after = "" if last is None else f"WHERE rowid > {int(last)}"
    try:
        for row in reader.execute(f"SELECT rowid, {names} FROM {quoted} {after} ORDER BY rowid DESC"):
            saved += writer.execute(insert, row).rowcount
    except sqlite3.DatabaseError:
        pass
    return saved, complete
