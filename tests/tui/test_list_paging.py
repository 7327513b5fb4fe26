"""The cockpit's list on a database of 5,000 incidents: read a window at a time.

Whatever the IC does (a row at a time, a page, the ends, the scrollbar, a filter), the
row under the cursor is the incident the full list has at that place, the right-hand
side follows it, and the list never holds more than a few pages of rows.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from ictui.config import load_settings
from ictui.domain.enums import Severity
from ictui.domain.incident_filter import IncidentFilter, searchable
from ictui.store import Store
from ictui.store.lazy import LazyStore
from ictui.store.seed import seed_generated
from ictui.tui.app import IctuiApp
from ictui.tui.widgets.incident_list import IncidentList
from ictui.tui.widgets.list_pages import MAX_PAGES, PAGE_SIZE
from support.cockpit import type_text, wait_for
from support.scenarios import settle

pytestmark = pytest.mark.slow  # 5,000 incidents seeded for each test

INCIDENTS = 5_000
HELD_AT_MOST = MAX_PAGES * PAGE_SIZE


def screen_lines(widget: IncidentList) -> list[str]:
    """The list's lines as drawn on screen, the header first."""
    return [widget.render_line(y).text for y in range(widget.scrollable_content_region.height)]


def placeholders(widget: IncidentList) -> list[str]:
    """The lines on screen of rows not read yet."""
    return [line for line in screen_lines(widget)[1:] if line.split()[:1] == ["…"]]


def cursor_line(widget: IncidentList) -> str:
    """The list's line drawn under the cursor."""
    return screen_lines(widget)[widget.cursor - widget.scroll_offset.y + widget.HEADER_LINES]


async def check_under_cursor(pilot: Any, app: IctuiApp, widget: IncidentList, numbers: list[int]) -> None:
    await wait_for(pilot, lambda: widget.selected_number is not None and app.typeahead.idle)
    expected = numbers[widget.cursor]
    assert widget.selected_number == expected
    assert cursor_line(widget).split()[0] == f"#{expected}"
    assert widget.held_rows <= HELD_AT_MOST
    await wait_for(pilot, lambda: app.screen.state is not None and app.screen.state.view.number == expected)


async def test_scrolling_five_thousand_incidents_shows_the_right_row_and_holds_few(tmp_path: Path) -> None:
    path = tmp_path / "ictui.db"
    store = Store(path)
    seed_generated(store, INCIDENTS, entries_per_incident=0, updates_per_incident=0)
    rows = store.list_incidents()
    numbers = [row.number for row in rows]
    store.close()
    app = IctuiApp(LazyStore(path), load_settings(), cursor_blink=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.screen.query_one(IncidentList).total_count == len(rows))
        widget = app.screen.query_one(IncidentList)
        assert widget.shown_count == len(rows)
        await check_under_cursor(pilot, app, widget, numbers)
        for keys in (
            ["pagedown"] * 12,  # past the pages read first, a page at a time
            ["j"] * 50,
            ["end"],
            ["k"] * 70,
            ["pageup"] * 5,
            ["home"],
            ["pagedown"] * 3,
        ):
            await pilot.press(*keys)
            await check_under_cursor(pilot, app, widget, numbers)
        assert widget.cursor == 3 * widget.page_height
        # The scrollbar dragged to the middle: the rows there are read and shown.
        widget.scroll_to(y=len(numbers) // 2, animate=False, force=True)
        await settle(pilot)
        await wait_for(pilot, lambda: not placeholders(widget))
        top = widget.scroll_offset.y
        shown = [line.split()[0] for line in screen_lines(widget)[1 : widget.page_height + 1]]
        assert shown == [f"#{n}" for n in numbers[top : top + widget.page_height]]
        assert widget.held_rows <= HELD_AT_MOST
        # Clicked there: the cursor is on the row clicked.
        await pilot.click(IncidentList, offset=(5, 4))
        await check_under_cursor(pilot, app, widget, numbers)
        assert widget.cursor == top + 3

        # A filter runs in the database; the cursor goes through the filtered list.
        await pilot.press("slash")
        await type_text(pilot, "sev1 4")
        await pilot.press("enter")
        flt = IncidentFilter.parse("sev1 4")
        filtered = [rows[i].number for i in flt.select(rows, [searchable(row) for row in rows])]
        await wait_for(pilot, lambda: widget.shown_count == len(filtered))
        for keys in (["home"], ["pagedown"] * 2, ["j"] * 3, ["end"]):
            await pilot.press(*keys)
            await check_under_cursor(pilot, app, widget, filtered)
        assert all(f"#{n}" in "\n".join(screen_lines(widget)) for n in filtered[-5:])


async def test_the_selection_stays_on_its_incident_when_others_are_declared(tmp_path: Path) -> None:
    path = tmp_path / "ictui.db"
    store = Store(path)
    seed_generated(store, 600, entries_per_incident=0, updates_per_incident=0)
    total = len(store.list_incidents())
    app = IctuiApp(LazyStore(path), load_settings(), cursor_blink=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.screen.query_one(IncidentList).total_count == total)
        widget = app.screen.query_one(IncidentList)
        await pilot.press(*["pagedown"] * 9)
        await wait_for(pilot, lambda: widget.selected_number is not None and app.typeahead.idle)
        chosen = widget.selected_number
        # Another terminal declares three: they go on top; the cursor stays on its incident.
        for title in ("Checkout down", "Logins slow", "Search empty"):
            store.declare(title, severity=Severity.SEV2, author="bo")
        await wait_for(pilot, lambda: widget.total_count == total + 3)
        await settle(pilot)
        assert widget.selected_number == chosen
        assert cursor_line(widget).split()[0] == f"#{chosen}"
        assert app.screen.state.view.number == chosen
    store.close()


async def test_a_filter_typed_in_a_burst_shows_what_its_last_key_selects(tmp_path: Path) -> None:
    path = tmp_path / "ictui.db"
    store = Store(path)
    seed_generated(store, INCIDENTS, entries_per_incident=0, updates_per_incident=0)
    rows = store.list_incidents()
    store.close()
    # A word of a title in the middle of the list, and a second word that narrows it.
    word = max(rows[INCIDENTS // 2].title.split(), key=len).lower()
    text = f"{word} sev:2,3"
    flt = IncidentFilter.parse(text)
    filtered = [rows[i].number for i in flt.select(rows, [searchable(row) for row in rows])]
    assert len(filtered) > 3
    app = IctuiApp(LazyStore(path), load_settings(), cursor_blink=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.screen.query_one(IncidentList).total_count == len(rows))
        widget = app.screen.query_one(IncidentList)
        # Each key a new filter while the one before it is being read; then keys for the
        # filtered list, which wait for it.
        await pilot.press("slash")
        await type_text(pilot, text)
        await pilot.press("enter", "j", "j")
        await wait_for(pilot, lambda: widget.shown_count == len(filtered) and app.typeahead.idle)
        await check_under_cursor(pilot, app, widget, filtered)
        await pilot.press("end")
        await check_under_cursor(pilot, app, widget, filtered)
        assert widget.selected_number == filtered[-1]
