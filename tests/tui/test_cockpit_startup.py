"""The cockpit shows the list while the database layer loads, and keeps up with a held key.

Speed itself is measured by the benchmark (python -m bench); these tests check what the
changes made for it must not break: what is shown, and which incident an action hits.
"""

from __future__ import annotations

import threading
from functools import partial
from pathlib import Path
from typing import Any

import pendulum
import pytest

from ictui.config import load_settings
from ictui.store import Store
from ictui.store.bulk_reads import ListRead, read_incident_list
from ictui.store.seed import seed_generated
from ictui.tui.app import FIRST_ROWS, IctuiApp
from ictui.tui.screens.cockpit import CockpitScreen
from ictui.tui.textual_compat import screen_lines
from ictui.tui.widgets.incident_list import IncidentList
from ictui.tui.widgets.timeline import TimelineView
from support.cockpit import wait_for
from support.scenarios import settle


def three_incidents(path: Path) -> None:
    store = Store(path)
    for title in ("Login fails", "Export times out", "Bank feed late"):
        store.declare(title, author="ana")
    store.close()


@pytest.mark.slow
async def test_the_list_shows_before_the_store_opens_and_the_store_takes_over(tmp_path: Path) -> None:
    path = tmp_path / "ictui.db"
    three_incidents(path)
    release = threading.Event()

    def open_store() -> Store:
        release.wait(timeout=10)  # the database layer "still importing"
        return Store(path)

    app = IctuiApp(
        open_store, load_settings(), cursor_blink=False, peek=lambda limit: read_incident_list(path, limit)
    )
    async with app.run_test(size=(120, 40)) as pilot:
        incidents = await listed(pilot, app, 3)
        assert app.store is None
        assert [incidents.selected_number, incidents.total_count] == [3, 3]
        # Nothing to act on yet: the incident itself comes with the store.
        await pilot.press("n")
        assert app.screen.state is None

        release.set()
        await incident_loaded(pilot, app)
        assert app.store is not None
        assert app.screen.state.view.number == 3
        assert app.screen.query_one(TimelineView).selected_entry.text.startswith("Declared")


@pytest.mark.slow
async def test_the_newest_screenful_shows_first_then_every_incident(tmp_path: Path) -> None:
    """Before the store opens, the newest screenful is read and shown (never every
    incident: the store then reads the list a window at a time)."""
    path = tmp_path / "ictui.db"
    store = Store(path)
    seed_generated(store, incidents=FIRST_ROWS + 40, entries_per_incident=1, updates_per_incident=0)
    total = len(store.list_incidents())
    newest = store.list_incidents()[0].number
    store.close()
    release = threading.Event()
    reads: list[int | None] = []

    def peek(limit: int | None) -> ListRead | None:
        read = read_incident_list(path, limit)
        reads.append(limit)
        return read

    def open_store() -> Store:
        release.wait(timeout=10)  # the database layer "still loading"
        return Store(path)

    app = IctuiApp(open_store, load_settings(), cursor_blink=False, peek=peek)
    async with app.run_test(size=(120, 40)) as pilot:
        incidents = await listed(pilot, app, FIRST_ROWS)
        assert incidents.selected_number == newest
        await pilot.press("j", "j")
        # Typed before the database is open: held (and said), not lost.
        assert app.typeahead.waiting == 2
        release.set()
        await listed(pilot, app, total)
        await wait_for(pilot, lambda: app.typeahead.idle)
        # The keys went, in order, once the cockpit showed the database.
        assert incidents.selected_number == newest - 2
        assert reads == [FIRST_ROWS]


@pytest.mark.slow
async def test_the_whole_list_read_first_is_read_again_only_if_the_database_changed(tmp_path: Path) -> None:
    path = tmp_path / "ictui.db"
    three_incidents(path)
    release = threading.Event()

    def open_store() -> Store:
        release.wait(timeout=10)
        if write_first:  # another terminal declares between the first read and the store
            other = Store(path)
            other.declare("Reports empty", author="bo")
            other.close()
        return Store(path)

    for write_first in (False, True):
        release.clear()
        app = IctuiApp(
            open_store, load_settings(), cursor_blink=False, peek=partial(read_incident_list, path)
        )
        async with app.run_test(size=(120, 40)) as pilot:
            incidents = await listed(pilot, app, 3)
            first_read = incidents.window
            release.set()
            await incident_loaded(pilot, app)
            if write_first:
                assert incidents.total_count == 4 and incidents.window.rows[0].title == "Reports empty"
            else:
                assert incidents.window is first_read  # not read a second time
            assert app.screen.state is not None


async def incident_loaded(pilot: Any, app: IctuiApp) -> None:
    """Until the store has opened and the cockpit shows an incident read through it."""
    for _ in range(200):
        await pilot.pause(0.02)
        if app.screen.state is not None:
            break
    await settle(pilot)


async def listed(pilot: Any, app: IctuiApp, count: int) -> IncidentList:
    """The cockpit's list once it shows ``count`` incidents (the cockpit comes after a first frame)."""
    for _ in range(250):
        await pilot.pause(0.02)
        if isinstance(app.screen, CockpitScreen) and app.screen.is_mounted:
            incidents = app.screen.query_one(IncidentList)
            if incidents.total_count == count:
                return incidents
    raise AssertionError(f"the list never showed {count} incidents")


@pytest.mark.slow
async def test_a_held_key_ends_on_the_incident_under_the_cursor(tmp_path: Path) -> None:
    store = Store(tmp_path / "ictui.db")
    for number in range(1, 31):
        store.declare(f"Incident {number}", author="ana")
    app = IctuiApp(store, load_settings(), cursor_blink=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for _ in range(12):  # faster than anyone reads: loads wait for the cursor to stop
            await pilot.press("j")
        await pilot.pause(0.3)
        await settle(pilot)
        assert app.screen.query_one(IncidentList).selected_number == 18
        assert app.screen.state.view.number == 18
        assert app.screen.query_one(TimelineView).selected_entry.text == "Declared SEV3 incident: Incident 18"
    store.close()


async def test_an_action_waits_for_the_incident_under_the_cursor(tmp_path: Path) -> None:
    store = Store(tmp_path / "ictui.db")
    for title in ("Login fails", "Export times out"):
        store.declare(title, author="ana")
    app = IctuiApp(store, load_settings(), cursor_blink=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert screen.state.view.number == 2
        # The cursor is on #1, whose load has not come back: #2 is still shown. The note
        # line is not opened on #2: it opens once #1 is shown, for #1.
        screen.set_reactive(type(screen).number, 1)
        await pilot.press("n")
        assert not (screen.query_one("#note-input").has_focus and screen.state.view.number == 2)
        await settle(pilot)
        assert screen.state.view.number == 1
        assert screen.query_one("#note-input").has_focus
    store.close()


async def test_the_list_clock_redraws_the_lines_whose_times_changed(tmp_path: Path) -> None:
    """The next update is due in 59 minutes, then, a few seconds later, in 58: on screen."""
    store = Store(tmp_path / "ictui.db")
    started = pendulum.now("UTC")
    with pendulum.travel_to(started, freeze=True):
        store.declare("Login fails", author="ana")
        store.declare("Export times out", author="ana")
    app = IctuiApp(store, load_settings(), cursor_blink=False)
    with pendulum.travel_to(started.add(seconds=58), freeze=True):
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            incidents = app.screen.query_one(IncidentList)

            def list_rows() -> list[str]:
                # What the screen holds: lines not redrawn come from the widget's cache.
                lines = screen_lines(app.screen)
                return [line for line in lines if line.startswith(("#1 ", "#2 "))]

            incidents.tick()
            await pilot.pause()
            assert all("in 59m" in row for row in list_rows())
            pendulum.travel_to(started.add(seconds=61), freeze=True)
            incidents.tick()
            await pilot.pause()
            rows = list_rows()
            assert len(rows) == 2 and all("in 59m" not in row and "in 58m" in row for row in rows)
    store.close()
