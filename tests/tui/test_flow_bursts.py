"""Keys in one burst while a form's write is on its way act on what the IC meant.

The keys are handed to the app all at once, as a terminal delivers a fast typist's burst,
and every call to the store first waits a random 0–300 ms (``store/slow.py``): the
declare's write, and the list and incident shown after it, come long after the keys.
"""

from __future__ import annotations

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
