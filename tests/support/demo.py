"""The demo's post-mortem in the cockpit: its app, and the review screen opened on it.

The demo database itself (the ``seeded`` and ``db`` fixtures) is in tests/tui/conftest.py.
"""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot

from ictui.config import load_settings
from ictui.store import Store
from ictui.tui.app import IctuiApp
from ictui.tui.screens.review import ReviewScreen
from support.scenarios import select_incident, settle

# Closed, its post-mortem held, two action items: the demo's richest post-mortem.
REVIEWED = 37


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
