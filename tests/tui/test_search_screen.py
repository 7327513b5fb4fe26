"""Search everything from the cockpit: ctrl+f opens the search screen, the words typed find
incidents by any of their texts (the filter's words carried over), Enter opens the one
chosen; the search is read off the event loop. On SQLite and on PostgreSQL; and
snapshots at 120x40 and 80x24 with the frozen clock."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from textual.widgets import Input, OptionList

from ictui.domain.enums import Status
from ictui.store import Store
from ictui.tui.screens.search import PAUSE_SECONDS, SearchScreen
from ictui.tui.widgets.timeline import TimelineView
from support.cockpit import make_app, screen_text, type_text, wait_for
from support.scenarios import SIZES, demo_app, frozen_clock, settle


@pytest.fixture
def store(any_store: Store) -> Store:
    store = any_store
    store.declare("Checkout errors", author="ana")
    store.add_entry(1, "Graphs first\nThe payment processor times out after 30 s", author="ana")
    store.declare("Payment processor down", author="ana")
    store.declare("Login slow", author="ana")
    store.change_status(3, Status.RESOLVED, "ana", "fixed")
    store.save_postmortem(3, root_cause="A stale [b]markup[/b] cache\nin the session store")
    return store


def _options(app: object) -> list[str]:
    options = app.screen.query_one("#se-results", OptionList)  # type: ignore[attr-defined]
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def _typed(pilot: object, text: str) -> None:
    await type_text(pilot, text)  # type: ignore[arg-type]
    await pilot.pause(PAUSE_SECONDS * 2)  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]


async def test_ctrl_f_finds_incidents_by_any_text_and_enter_opens_one(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+f")
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen)
        await _typed(pilot, "payment processor")
        found = _options(app)
        assert [line.split()[0] for line in found] == ["#2", "#1"]  # the title first, then the note
        assert "The payment processor times out after 30 s" in found[1]
        assert "Graphs first" not in found[1]  # the line that matched, not the whole note

        await pilot.press("down", "down", "enter")
        await settle(pilot)
        cockpit = app.screen
        assert not isinstance(cockpit, SearchScreen)
        assert cockpit.number == 1  # type: ignore[attr-defined]
        assert isinstance(app.focused, TimelineView)


async def test_the_filters_words_carry_over_and_markup_is_text(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await type_text(pilot, "stale")
        await settle(pilot)
        await pilot.press("ctrl+f")
        await pilot.pause(PAUSE_SECONDS * 2)
        await settle(pilot)
        assert app.screen.query_one("#se-query", Input).value == "stale"
        [hit] = _options(app)
        assert hit.startswith("#3") and "post-mortem" in hit and "A stale [b]markup[/b] cache" in hit
        assert "A stale [b]markup[/b] cache" in screen_text(app)

        # Enter on the words opens the best match; the list's filter is cleared for it.
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.number == 3  # type: ignore[attr-defined]
        assert app.screen.query_one("#filter", Input).value == ""


@pytest.mark.parametrize("text", ['"(', "NEAR(x", "*", "'; --", "AND OR NOT"])
async def test_operators_and_punctuation_are_only_text(store: Store, text: str) -> None:
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+f")
        await _typed(pilot, text)
        assert isinstance(app.screen, SearchScreen)
        assert _options(app) == []
        shown = screen_text(app)
        assert "No incident holds" in shown or "Type words to find" in shown
        await pilot.press("escape")
        await settle(pilot)
        assert not isinstance(app.screen, SearchScreen)


@pytest.mark.slow
async def test_the_search_is_read_off_the_event_loop(store: Store) -> None:
    """While the database takes its time, the screen still answers every key."""
    app = make_app(store)
    gate = threading.Event()
    threads: list[threading.Thread] = []
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        opened = app.store
        search = opened.search  # type: ignore[union-attr]

        def held_search(text: str, limit: int = 50) -> list:  # type: ignore[type-arg]
            threads.append(threading.current_thread())
            gate.wait(30)
            return search(text, limit)

        opened.search = held_search  # type: ignore[method-assign, union-attr]
        await pilot.press("ctrl+f")
        await type_text(pilot, "payment")
        await wait_for(pilot, lambda: threads)  # held in its thread
        await type_text(pilot, " processor")
        assert app.screen.query_one("#se-query", Input).value == "payment processor"
        gate.set()
        await pilot.pause(PAUSE_SECONDS * 2)
        await wait_for(pilot, lambda: len(_options(app)) == 2)
        assert threading.main_thread() not in threads


@pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
def test_snapshot(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:  # type: ignore[no-untyped-def]
    async def search(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        await pilot.press("ctrl+f")
        await _typed(pilot, "deploy")
        pilot.app.clear_notifications()
        await settle(pilot)

    with frozen_clock():
        app = demo_app(tmp_path / "demo.db")
        assert snap_compare(app, terminal_size=size, run_before=search)


async def test_enter_typed_ahead_of_the_results_opens_the_best_match(store: Store) -> None:
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+f")
        await settle(pilot)
        await type_text(pilot, "login")
        await pilot.press("enter")  # before the pause that starts the search
        await wait_for(pilot, lambda: not isinstance(app.screen, SearchScreen))
        assert app.screen.number == 3  # type: ignore[attr-defined]
