"""Fixtures of the cockpit's Pilot tests: a small team, and the demo database."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ictui.demo import seed_demo
from ictui.store import Store
from support.scenarios import frozen_clock


@pytest.fixture
def people_store(store: Store) -> Store:
    """A team and two people on it: enough to declare with an IC and suggest owners."""
    store.add_team("Web Platform", ["navigation bar", "performance"])
    store.add_person("Ana Ruiz", "ana@example.com", ["EM"], "Web Platform")
    store.add_person("Tester", "tester@example.com", ["EM"], "Web Platform")
    return store


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo, seeded once for the module with the clock frozen (it is the slow part)."""
    path = tmp_path_factory.mktemp("seeded") / "demo.db"
    with frozen_clock():
        store = Store(path)
        seed_demo(store)
        store.close()
    return path


@pytest.fixture
def db(seeded: Path, tmp_path: Path) -> Path:
    """A fresh copy of the demo database for one test."""
    return Path(shutil.copy(seeded, tmp_path / "demo.db"))
