"""The footer: the focused pane's keys on one line, each a button."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot

from ictui.config import Settings
from ictui.store import Store
from ictui.tui.app import IctuiApp
from ictui.tui.widgets.footer import KeysFooter
from support.scenarios import settle


def footer_line(pilot: Pilot) -> str:
    footer = pilot.app.screen.query_one(KeysFooter)
    return "".join(segment.text for segment in footer.render_line(0))


def descriptions(pilot: Pilot) -> list[str]:
    return [item.description for item in pilot.app.screen.query_one(KeysFooter).items]


@pytest.mark.slow
async def test_the_footer_shows_the_keys_of_the_focused_pane(store: Store) -> None:
    store.declare("Search is slow")
    app = IctuiApp(store, Settings(user="ana"), cursor_blink=False)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        assert "Open" in descriptions(pilot) and "Edit entry" not in descriptions(pilot)  # the list
        await pilot.press("tab")
        await settle(pilot)
        assert "Edit entry" in descriptions(pilot) and "Open" not in descriptions(pilot)  # the timeline
        await pilot.press("c")
        await settle(pilot)
        assert "Send update" in descriptions(pilot) and "Edit entry" not in descriptions(pilot)
        line = footer_line(pilot)
        assert "^s Send update" in line and line.rstrip().endswith("^p palette")


async def test_keys_that_do_not_fit_are_left_out_whole(store: Store) -> None:
    store.declare("Search is slow")
    app = IctuiApp(store, Settings(user="ana"), cursor_blink=False)
    async with app.run_test(size=(50, 24)) as pilot:
        await settle(pilot)
        line = footer_line(pilot)
        assert len(line) == 50
        left, right = line.split("▏")
        # The way to every other key stays on screen, on the right.
        assert right.split() == ["?", "Help", "^p", "palette"]
        keys = [
            item
            for item in app.screen.query_one(KeysFooter).items
            if item.description not in ("Help", "palette")
        ]
        shown = [item for item in keys if item.description in left]
        assert 1 < len(shown) < len(keys)
        # What is drawn is whole keys and whole words: nothing ends in a cut word.
        assert left.rstrip().endswith(shown[-1].description)


async def test_a_click_on_a_key_presses_it(store: Store) -> None:
    store.declare("Search is slow")
    app = IctuiApp(store, Settings(user="ana"), cursor_blink=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        x = footer_line(pilot).index("Filter")
        assert await pilot.click(KeysFooter, offset=(x, 0))
        await settle(pilot)
        assert app.focused is not None and app.focused.id == "filter"


async def test_in_a_text_field_the_footer_shows_only_keys_that_work_there(store: Store) -> None:
    """In the composer z and / are letters: the footer says f11 maximises, and f1 helps."""
    store.declare("Search is slow")
    app = IctuiApp(store, Settings(user="ana"), cursor_blink=False)
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        line = footer_line(pilot)
        assert "/ Filter" in line and "? Help" in line  # the list
        assert "Maximise" in descriptions(pilot)  # z, left out of the line for room
        await pilot.press("c")
        await settle(pilot)
        line = footer_line(pilot)
        assert "f11 Maximise" in line and "z Maximise" not in line
        assert "/ Filter" not in line and "f1 Help" in line
        await pilot.press("f11")  # what the footer says works
        await settle(pilot)
        assert app.screen.maximized is not None and app.screen.maximized.id == "composer"
        assert "f11 Maximise" in footer_line(pilot)  # the footer stays on a maximised pane
        composer = app.screen.query_one("#composer")
        before = composer.text.count("z")
        await pilot.press("z")
        await settle(pilot)
        assert composer.text.count("z") == before + 1  # typed, not a command
        assert app.screen.maximized is not None  # and the pane stays maximised
