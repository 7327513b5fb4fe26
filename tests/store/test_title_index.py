"""The titles' trigram index that the list's filter uses: built for databases made before
it, rebuilt in a recovered file, and on a PostgreSQL server where ictui may not create
extensions, left out without failing (the filter then reads every title, as correct)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from ictui.domain.incident_filter import IncidentFilter
from ictui.store import Store
from ictui.store.migrations import MIGRATIONS, _filter_by_index
from ictui.store.salvage import salvage
from support.pg_server import Cluster

INDEX_SCHEMA = next(version for version, step in MIGRATIONS.items() if step is _filter_by_index)


def numbers(store: Store, text: str) -> list[int]:
    return [row.number for row in store.list_page(IncidentFilter.parse(text), 50)]


def pg_indexes(store: Store) -> set[str]:
    with store.engine.connect() as connection:
        return {name for (name,) in connection.exec_driver_sql("SELECT indexname FROM pg_indexes")}


def test_a_server_database_made_before_the_index_gets_it_when_it_opens(pg_url: str) -> None:
    store = Store(pg_url)
    number = store.declare("Payments time out", author="ana").number
    store.declare("Search is slow", author="ana")
    with store._writer.begin() as connection:  # as schema 5 left it
        connection.exec_driver_sql("DROP INDEX ix_incident_title_trgm")
        connection.exec_driver_sql("DROP INDEX ix_incident_ic_id")
        connection.exec_driver_sql(
            f"UPDATE ictui_meta SET value = '{INDEX_SCHEMA - 1}' WHERE key = 'schema_version'"
        )
    assert "ix_incident_title_trgm" not in pg_indexes(store)
    store.close()
    reopened = Store(pg_url)
    try:
        assert reopened.migrated_from == INDEX_SCHEMA - 1
        assert {"ix_incident_title_trgm", "ix_incident_ic_id"} <= pg_indexes(reopened)
        assert numbers(reopened, "PAYMENTS out") == [number]
    finally:
        reopened.close()


def test_a_server_that_refuses_the_extension_still_filters(
    pg_cluster: Cluster, pg_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    # A role that owns its tables but may not create extensions in the database.
    name = pg_url.rsplit("/", 1)[1]
    pg_cluster.admin("DROP ROLE IF EXISTS limited_owner")
    pg_cluster.admin("CREATE ROLE limited_owner LOGIN")
    pg_cluster.admin("REVOKE CREATE ON DATABASE " + name + " FROM PUBLIC")
    pg_cluster.admin("GRANT CREATE, USAGE ON SCHEMA public TO limited_owner", database=name)
    url = pg_url.replace("//postgres@", "//limited_owner@")
    try:
        with caplog.at_level(logging.WARNING, logger="ictui.store.title_index"):
            store = Store(url)
        try:
            warnings = [r for r in caplog.records if r.name == "ictui.store.title_index"]
            assert len(warnings) == 1 and "pg_trgm" in warnings[0].getMessage()
            assert "ix_incident_title_trgm" not in pg_indexes(store)
            number = store.declare("Payments time out", author="ana").number
            store.declare("Search is slow", author="ana")
            assert numbers(store, "payments") == [number]
            assert numbers(store, "ou") == [number]
        finally:
            store.close()
        caplog.clear()
        Store(url).close()  # said once: opened again, nothing more to say
        assert not [r for r in caplog.records if r.name == "ictui.store.title_index"]
    finally:
        pg_cluster.drop_database(pg_url)
        pg_cluster.admin("DROP ROLE IF EXISTS limited_owner")


def test_a_recovered_database_filters_what_was_saved(tmp_path: Path) -> None:
    store = Store(tmp_path / "ictui.db")
    number = store.declare("Payments time out", author="ana").number
    store.declare("Search is slow", author="ana")
    store.close()
    salvage(tmp_path / "ictui.db", tmp_path / "recovered.db")
    recovered = Store(tmp_path / "recovered.db")
    try:
        assert numbers(recovered, "payments") == [number]
        later = recovered.declare("Checkout payments fail", author="ana").number  # and it follows writes
        assert numbers(recovered, "payments") == [later, number]
    finally:
        recovered.close()
