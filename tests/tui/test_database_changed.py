"""A change in the database reaches every screen through one watcher (tui/changes.py):
another process writes, and the cockpit, the stats, the review and the outbox, open one
above the other, each show it; nothing written, nothing is read again but the revision,
by one reader, however many screens are open. On a SQLite file and on a PostgreSQL server."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Static
from textual.worker import get_current_worker

from ictui.config import load_settings
from ictui.store import Store
from ictui.store.lazy import LazyStore
from ictui.store.lazy_server import ServerLazyStore
from ictui.store.location import Server, parse
from ictui.tui.app import IctuiApp
from ictui.tui.changes import GROUP
from ictui.tui.screens.cockpit import CockpitScreen
from ictui.tui.screens.outbox import OutboxScreen
from ictui.tui.screens.review import ReviewScreen
from ictui.tui.screens.stats import StatsScreen
from ictui.tui.widgets.incident_list import IncidentList
from support.cli import cli_env, ictui, ok
from support.cockpit import screen_text, shows_within, wait_for
from support.pg_server import database_for
from support.scenarios import settle

# A deadline for "never", not a speed: the watcher reads the revision twice a second.
FOLLOWS_DEADLINE = 30.0


class CountedStore:
    """The cockpit's store, noting every call: its name and the worker group it ran in,
    and the most revision reads ever under way at once."""

    def __init__(self, store: Any) -> None:
        self._store = store
        self._lock = threading.Lock()
        self.calls: list[tuple[str, str]] = []
        self._reading = 0
        self.most_reading = 0

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._store, name)
        if not callable(value) or name.startswith("__"):
            return value

        def counted(*args: Any, **kwargs: Any) -> Any:
            try:
                group = get_current_worker().group
            except Exception:  # noqa: BLE001 - called on the event loop, not in a worker
                group = "event loop"
            with self._lock:
                self.calls.append((name, group))
                if name == "revision":
                    self._reading += 1
                    self.most_reading = max(self.most_reading, self._reading)
            try:
                return value(*args, **kwargs)
            finally:
                if name == "revision":
                    with self._lock:
                        self._reading -= 1

        return counted

    def mark(self) -> int:
        """From here on (``since``); the most reads at once counted afresh."""
        with self._lock:
            self.most_reading = self._reading
            return len(self.calls)

    def since(self, start: int) -> list[tuple[str, str]]:
        with self._lock:
            return self.calls[start:]


@pytest.fixture
def database(request: pytest.FixtureRequest, engine: str, tmp_path: Path) -> Path | str:
    """A database with one incident, on each engine in turn."""
    location = database_for(request, engine, tmp_path)
    store = Store(location)
    store.declare("Checkout times out")
    store.close()
    return location


def cockpit_on(location: Path | str) -> tuple[IctuiApp, CountedStore]:
    # The store as `ictui` opens it (cli/context.py), counted.
    place = parse(location)
    opened = ServerLazyStore(place) if isinstance(place, Server) else LazyStore(place)
    store = CountedStore(opened)
    return IctuiApp(store, load_settings(), cursor_blink=False), store  # type: ignore[arg-type]  (a counting proxy)


async def open_every_screen(pilot: Pilot, app: IctuiApp) -> tuple[CockpitScreen, StatsScreen, ReviewScreen]:
    """The cockpit, and above it the stats, the review of #1 and the outbox."""
    await settle(pilot)
    cockpit = app.screen
    assert isinstance(cockpit, CockpitScreen)
    stats, review = StatsScreen(), ReviewScreen(1)
    for screen in (stats, review, OutboxScreen()):
        await app.push_screen(screen)
        await settle(pilot)
    await wait_for(pilot, lambda: review.view is not None and "Checkout times out" in screen_text(app))
    return cockpit, stats, review


@pytest.mark.slow
async def test_what_another_process_writes_shows_on_every_open_screen(
    database: Path | str, tmp_path: Path
) -> None:
    app, _ = cockpit_on(database)
    async with app.run_test(size=(120, 40)) as pilot:
        cockpit, stats, review = await open_every_screen(pilot, app)

        def stats_title() -> str:
            return str(stats.query_one("#st-title", Static).render())

        def listed() -> list[str]:
            return [row.title for row in cockpit.query_one(IncidentList).window.rows]

        assert "· 1 incident" in stats_title()
        assert "#2" not in screen_text(app)

        # Another shell: a declare (the list, the stats, the outbox) and a note (the review).
        env = cli_env(tmp_path)
        ok(ictui(env, database, "declare", "Payments are slow"))
        ok(ictui(env, database, "note", "1", "Rolled back the deploy"))

        # The outbox, on top: the new incident's channel waits to be made.
        assert await shows_within(pilot, FOLLOWS_DEADLINE, lambda: "#2" in screen_text(app)), screen_text(app)
        # The screens under it followed too.
        assert await shows_within(pilot, FOLLOWS_DEADLINE, lambda: "· 2 incidents" in stats_title()), (
            stats_title()
        )
        assert await shows_within(
            pilot,
            FOLLOWS_DEADLINE,
            lambda: (
                review.view is not None
                and any(entry.text == "Rolled back the deploy" for entry in review.view.timeline)
            ),
        )
        assert await shows_within(pilot, FOLLOWS_DEADLINE, lambda: "Payments are slow" in listed()), listed()


@pytest.mark.slow
async def test_one_reader_of_the_revision_however_many_screens_are_open(database: Path | str) -> None:
    app, store = cockpit_on(database)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_every_screen(pilot, app)
        start = store.mark()

        def revision_reads() -> int:
            return sum(1 for name, _ in store.since(start) if name == "revision")

        # Nothing is written: the revision is read again and again, and nothing else.
        await wait_for(pilot, lambda: revision_reads() >= 6, seconds=FOLLOWS_DEADLINE)
        calls = store.since(start)
        assert {name for name, _ in calls} == {"revision"}, calls
        # Always by the app's watcher, one read at a time: no screen reads it for itself.
        assert {group for _, group in calls} == {GROUP}, calls
        assert store.most_reading == 1
