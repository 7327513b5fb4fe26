"""A note typed while the server is down stays a note of its own, and is saved once it is back.

The cockpit runs on a real PostgreSQL server, which goes away (an outage) while the IC
types three notes, closes the note line and waits. Each note waits in order, said on
screen ("3 notes not saved yet"), is tried again, and is stored once the server is back:
three entries in the order typed, none joined to another.
"""

from __future__ import annotations

import pytest

from ictui.store import Store
from support.cockpit import make_app, screen_text, type_text, wait_for
from support.scenarios import settle


@pytest.mark.slow
async def test_notes_typed_during_an_outage_are_saved_apart_in_order(pg_cluster, pg_url: str) -> None:  # type: ignore[no-untyped-def]
    store = Store(pg_url)
    number = store.declare("Payments time out", author="ana").number
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(
            pilot, lambda: app.screen.state is not None and app.screen.state.view.number == number, 30
        )
        await pilot.press("n")
        await settle(pilot)
        pg_cluster.pause()
        try:
            for text in ("STOP-1", "STOP-2", "STOP-3"):
                await type_text(pilot, text)
                await pilot.press("enter")
            await wait_for(pilot, lambda: "3 notes not saved yet" in screen_text(app), 30)
            await pilot.press("escape")  # the line closed: the notes still wait, and it says so
            await settle(pilot)
            assert "notes not saved yet" in screen_text(app)
            await pilot.press("q")  # quitting now would lose them: asked, and "n" stays
            await wait_for(pilot, lambda: "could not be saved yet" in screen_text(app), 10)
            await pilot.press("n")
            await settle(pilot)
        finally:
            pg_cluster.resume()
        await wait_for(pilot, lambda: "not saved yet" not in screen_text(app), 60)
    notes = [e.text for e in Store(pg_url).timeline(number) if e.kind.name == "NOTE"]
    assert notes == ["STOP-1", "STOP-2", "STOP-3"]
