"""Databases made by earlier versions open; databases ictui cannot know are refused, untouched."""

from __future__ import annotations

import hashlib
import re
import sqlite3
from pathlib import Path

import pendulum
import pytest
import sqlalchemy as sa

from ictui.domain.enums import KeyEvent, Status
from ictui.domain.incident_filter import IncidentFilter
from ictui.store import DatabaseError, Store, migrations, versions
from ictui.store.lazy import LazyStore
from ictui.store.migrations import read_version
from ictui.store.versions import SCHEMA_VERSION
from support.dumps import DUMPS, load_dump


def folder_state(folder: Path) -> dict[str, str]:
    """Every file in the folder and a digest of its bytes."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def schema_version(store: Store) -> int | None:
    with store.engine.connect() as connection:
        return read_version(connection)


def test_the_first_schema_version_has_a_fixture() -> None:
    assert DUMPS and DUMPS[0].name == "schema_v1.sql"
    assert DUMPS[-1].name == f"schema_v{SCHEMA_VERSION}.sql", (
        "a new schema version needs its fixture: run tests/fixtures/make_schema_fixture.py"
    )


@pytest.mark.parametrize("dump", DUMPS, ids=lambda p: p.stem)
def test_a_database_made_by_an_earlier_version_opens_with_its_data_intact(dump: Path, tmp_path: Path) -> None:
    made_by = int(re.findall(r"\d+", dump.name)[0])
    store = Store(load_dump(dump, tmp_path / "old.db"))
    try:
        assert store.migrated_from == made_by
        assert schema_version(store) == SCHEMA_VERSION

        rows = store.list_incidents()
        assert [(r.number, r.title, r.status) for r in rows] == [
            (2, "Icon misaligned in Safari", Status.TRIAGE),
            (1, "Slow app load times", Status.RESOLVED),
        ]
        view = store.incident(1)
        assert view.ic is not None and view.ic.name == "Marcus Chen"
        assert view.declared_at == pendulum.datetime(2026, 11, 24, 9, 0)
        assert view.resolved_at == pendulum.datetime(2026, 11, 24, 9, 30)
        # Three working days after the resolution: at its hour then, at 10:00 local since schema 2.
        scheduled = {1: pendulum.datetime(2026, 11, 27, 9, 30)}.get(
            made_by, pendulum.datetime(2026, 11, 27, 9, 0)
        )
        assert view.postmortem_scheduled_at == scheduled
        assert [u.text for u in view.updates] == ["We are investigating slow load times."]
        impact = [e for e in store.timeline(1) if e.key_event == KeyEvent.IMPACT_STARTED]
        assert [(e.text, e.occurred_at) for e in impact] == [
            ("p95 page load up from 2 s to 9 s", pendulum.datetime(2026, 11, 24, 8, 20))
        ]
        assert [p.name for p in store.people()] == ["Marcus Chen"]
        # The list's filter finds what the database held (by the index the migration built).
        assert [r.number for r in store.list_page(IncidentFilter.parse("SAFARI"), 10)] == [2]
        assert [r.number for r in store.list_page(IncidentFilter.parse("load marcus"), 10)] == [1]

        # And it is a working database, not a museum piece.
        store.add_entry(1, "Opened after an upgrade")
        assert store.declare("After the upgrade").number == 3
        assert [r.number for r in store.list_page(IncidentFilter.parse("upgrade"), 10)] == [3]
    finally:
        store.close()


def test_a_migration_step_runs_once_in_one_transaction(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = load_dump(DUMPS[-1], tmp_path / "old.db")  # the current schema; the next one is made up
    ran: list[int] = []

    def add_a_column(connection: sa.Connection) -> None:
        ran.append(1)
        connection.exec_driver_sql("ALTER TABLE incident ADD COLUMN customer_count INTEGER")

    monkeypatch.setattr(versions, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    monkeypatch.setitem(migrations.MIGRATIONS, SCHEMA_VERSION + 1, add_a_column)
    store = Store(path)
    assert (store.migrated_from, schema_version(store), ran) == (SCHEMA_VERSION, SCHEMA_VERSION + 1, [1])
    store.close()
    Store(path).close()  # already at the new version: not run again
    assert ran == [1]


def test_a_failing_migration_leaves_the_database_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = load_dump(DUMPS[-1], tmp_path / "old.db")  # the current schema; the next one is made up

    def half_done(connection: sa.Connection) -> None:
        connection.exec_driver_sql("ALTER TABLE incident ADD COLUMN customer_count INTEGER")
        raise sa.exc.OperationalError("ALTER TABLE", {}, Exception("disk I/O error"))

    monkeypatch.setattr(versions, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    monkeypatch.setitem(migrations.MIGRATIONS, SCHEMA_VERSION + 1, half_done)
    with pytest.raises(DatabaseError):
        Store(path)
    monkeypatch.undo()
    store = Store(path)
    assert schema_version(store) == SCHEMA_VERSION
    with store.engine.connect() as connection:
        columns = {c["name"] for c in sa.inspect(connection).get_columns("incident")}
    assert "customer_count" not in columns
    assert len(store.list_incidents()) == 2
    store.close()


def test_a_database_from_a_newer_version_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "newer.db"
    Store(path).close()
    connection = sqlite3.connect(path)
    connection.execute(
        "UPDATE ictui_meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION + 1),)
    )
    connection.commit()
    connection.close()
    before = folder_state(tmp_path)
    with pytest.raises(DatabaseError) as caught:
        Store(path)
    message = str(caught.value)
    assert "newer ictui" in message and "untouched" in message and "\n" not in message
    assert folder_state(tmp_path) == before


def test_a_file_that_is_not_sqlite_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(b"incident notes\n\x00\xffnot a database\n")
    before = folder_state(tmp_path)
    with pytest.raises(DatabaseError, match="not an ictui database"):
        Store(path)
    assert folder_state(tmp_path) == before


def test_another_apps_sqlite_database_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "crm.db"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    connection.execute("INSERT INTO customers (name) VALUES ('Acme Corp')")
    connection.commit()
    connection.close()
    before = folder_state(tmp_path)
    with pytest.raises(DatabaseError, match="not an ictui database"):
        Store(path)
    assert folder_state(tmp_path) == before
    connection = sqlite3.connect(path)
    assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    connection.close()


@pytest.mark.parametrize("opener", [Store, LazyStore], ids=["store", "cockpit"])
def test_a_damaged_database_is_refused_in_one_line(tmp_path: Path, opener: type) -> None:
    path = tmp_path / "ictui.db"
    Store(path).close()
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode = DELETE")  # everything into the file itself
    (root,) = connection.execute("SELECT rootpage FROM sqlite_master WHERE name = 'ictui_meta'").fetchone()
    (page_size,) = connection.execute("PRAGMA page_size").fetchone()
    connection.close()
    data = bytearray(path.read_bytes())
    data[(root - 1) * page_size : root * page_size] = b"\xee" * page_size  # the page of the schema version
    path.write_bytes(bytes(data))
    with pytest.raises(
        DatabaseError, match=r"is damaged \(SQLite: database disk image is malformed\); nothing was written"
    ):
        opener(path)


def test_a_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match="directory"):
        Store(tmp_path)
