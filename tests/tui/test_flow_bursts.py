"""Keys in one burst while a form's write is on its way act on what the IC meant.

The keys are handed to the app all at once, as a terminal delivers a fast typist's burst,
and every call to the store first waits a random 0–300 ms (``store/slow.py``): the
declare's write, and the list and incident shown after it, come long after the keys.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import cast

import pytest
from textual import events

from ictui.config import load_settings
from ictui.domain.enums import EntryKind
from ictui.store import Store
from ictui.store.interface import StoreAPI
from ictui.store.slow import Delay, SlowStore
from ictui.tui.app import IctuiApp
from support.cockpit import wait_for
from support.scenarios import settle

pytestmark = pytest.mark.slow


def burst(app: IctuiApp, *keys: str) -> None:
    """Every key at once, before the app has handled the first one."""
    for key in keys:
        if len(key) == 1:
            event = events.Key("space" if key == " " else key, key)
        else:
            event = events.Key(key, "\r" if key == "enter" else None)
        app.post_message(event)


def typed(text: str) -> list[str]:
    return list(text)


def notes(store: Store, number: int) -> list[str]:
    """The notes of incident ``number`` ([] while it does not exist)."""
    if number not in {view.number for view in store.list_incidents()}:
        return []
    _, entries = store.incident_with_timeline(number)
    return [entry.text for entry in entries if entry.kind is EntryKind.NOTE]


@pytest.mark.parametrize("seed", [1, 2])
async def test_a_note_in_the_burst_after_a_declare_goes_to_the_new_incident(
    tmp_path: Path, seed: int
) -> None:
    store = Store(tmp_path / "ictui.db")
    store.declare("Login fails", author="ana")  # selected when the cockpit opens
    slow = cast("StoreAPI", SlowStore(store, Delay(0.3, seed)))
    app = IctuiApp(slow, load_settings(), cursor_blink=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.screen.state.view.number == 1
        burst(app, "D", *typed("Checkout fails"), "ctrl+s", "n", *typed("first words"), "enter")
        await wait_for(pilot, lambda: notes(store, 2) == ["first words"], seconds=30)
        assert [view.title for view in store.list_incidents() if view.number == 2] == ["Checkout fails"]
        assert notes(store, 1) == []
        assert app.screen.state.view.number == 2
    store.close()


async def test_keys_held_for_what_never_came_are_dropped_and_said_not_applied(tmp_path: Path) -> None:
    """A hold that lets go by itself (what the keys waited for never came) drops the keys:
    applied to the screen as it is, the letters of a note would be the list's commands."""
    store = Store(tmp_path / "ictui.db")
    for title in ("Login fails", "Checkout fails", "Search empty"):
        store.declare(title, author="ana")
    app = IctuiApp(store, load_settings(), cursor_blink=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        before = app.screen.state.view.number
        app.typeahead.hold("a form that never opens", seconds=0.2, what="The form did not open")
        burst(app, "j", "j", "n", *typed("lost"), "enter")
        await wait_for(pilot, lambda: app.typeahead.idle)
        await settle(pilot)
        said = [n.message for n in app._notifications]
        assert any("The form did not open" in m and "8 keys" in m and "not applied" in m for m in said), said
        assert app.screen.state.view.number == before  # the j's did not move the cursor
        assert all(notes(store, number) == [] for number in (1, 2, 3))
        # The keyboard is the IC's again.
        burst(app, "j")
        await wait_for(pilot, lambda: app.screen.state.view.number != before)
    store.close()


async def test_a_stalled_event_loop_never_sends_a_key_on_before_the_one_before_it_is_handled(
    tmp_path: Path,
) -> None:
    """The loop held for seconds (a loaded laptop, a collection) between a key's routing and
    its handling: the next keys still wait for it, however long it took."""
    store = Store(tmp_path / "ictui.db")
    store.declare("Login fails", author="ana")
    store.declare("Checkout fails", author="ana")
    app = IctuiApp(store, load_settings(), cursor_blink=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        number = app.screen.state.view.number
        dispatch = app.typeahead._dispatch

        async def stall_before_n(event: events.Event) -> None:
            # Ahead of the key in the queue of the widget it goes to: the loop is held
            # after the key was routed, before it is handled.
            if isinstance(event, events.Key) and event.key == "n":
                (app.focused or app.screen).call_later(lambda: time.sleep(2.5))
            await dispatch(event)

        app.typeahead._dispatch = stall_before_n
        burst(app, "n", *typed("after a stall"), "enter")
        await wait_for(pilot, lambda: notes(store, number) == ["after a stall"], seconds=30)
        assert app.typeahead.given_up == 0
        assert notes(store, 3 - number) == []
    store.close()
