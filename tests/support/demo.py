"""The demo database, seeded once per test module with the clock frozen, copied per test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from textual.pilot import Pilot

from ictui.config import load_settings
from ictui.demo import seed_demo
from ictui.store import Store
from ictui.tui.app import IctuiApp
from ictui.tui.screens.review import ReviewScreen
from support.scenarios import frozen_clock, select_incident, settle

# Closed, its post-mortem held, two action items: the demo's richest post-mortem.
REVIEWED = 37


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo, seeded once for the module (it is the slow part) and copied by each test."""
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


def review_app(db: Path) -> IctuiApp:
    """The cockpit on ``db`` through a plain Store (the review tests write beside it)."""
    return IctuiApp(Store(db), load_settings(), cursor_blink=False)


async def open_review(pilot: Pilot, number: int = REVIEWED) -> ReviewScreen:
    """Select incident ``number`` and open its post-mortem with p."""
    await settle(pilot)
    await select_incident(pilot, number)
    await pilot.press("p")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, ReviewScreen)
    return screen
