"""Fixtures of the store tests (an empty store, ``store``, is in tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ictui.demo import seed_demo
from ictui.store import Store
from support.pg_server import database_for


@pytest.fixture
def demo_store(tmp_path: Path) -> Iterator[Store]:
    """The demo data set, seeded into a fresh file."""
    opened = Store(tmp_path / "demo.db")
    seed_demo(opened)
    yield opened
    opened.close()


@pytest.fixture
def demo_database(request: pytest.FixtureRequest, engine: str, tmp_path: Path) -> Path | str:
    """The demo's organisation and incidents, on each engine (a file, or a server's URL)."""
    where = database_for(request, engine, tmp_path)
    store = Store(where)
    try:
        seed_demo(store)
    finally:
        store.close()
    return where
