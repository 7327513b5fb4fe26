"""The stats and review screens follow the database: what another process writes shows
within a second, and nothing the IC is typing is overwritten by it."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import OptionList, Static, TextArea

from ictui.config import load_settings
from ictui.domain.enums import Severity
from ictui.store import Store
from ictui.tui.app import IctuiApp
from ictui.tui.screens.review import AUTOSAVE_SECONDS, ReviewScreen
from ictui.tui.screens.stats import StatsScreen
from support.cockpit import shows_within
from support.scenarios import frozen_clock, select_incident, settle

# The screens follow the database by themselves (a poll every half second): this is a
# deadline for "never", not a speed.
FOLLOWS_DEADLINE = 30.0

# Closed, its post-mortem held, two action items.
NUMBER = 37


@pytest.fixture(autouse=True)
def frozen():
    with frozen_clock():
        yield


async def test_the_stats_follow_a_declare_made_elsewhere(db: Path) -> None:
    app = IctuiApp(Store(db), load_settings(), cursor_blink=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("g")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, StatsScreen)

        def title() -> str:
            return str(screen.query_one("#st-title", Static).render())

        assert " incidents" in title()
        before = int(title().split(" · ")[-1].split()[0])
        other = Store(db)  # a second connection, as the CLI in another shell
        other.declare("Checkout times out", severity=Severity.SEV2)
        other.close()
        assert await shows_within(pilot, FOLLOWS_DEADLINE, lambda: f"· {before + 1} incidents" in title()), (
            title()
        )


@pytest.mark.slow
async def test_the_review_follows_what_others_write_and_keeps_what_the_ic_types(db: Path) -> None:
    app = IctuiApp(Store(db), load_settings(), cursor_blink=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await select_incident(pilot, NUMBER)
        await pilot.press("p")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        items = screen.query_one("#pm-actions", OptionList)
        count = items.option_count
        mine = screen.query_one("#sec-root_cause", TextArea)
        mine.focus()
        await pilot.press("end", *"X", "Y")  # typed, not yet saved (the pause is longer)
        typed = mine.text

        scribe = Store(db)  # the scribe, in another shell
        scribe.add_action_item(NUMBER, "Alert on duplicate charges", owner="", author="scribe")
        scribe.save_postmortem(NUMBER, kudos="Thanks to Dana for the fast rollback", root_cause="theirs")

        assert await shows_within(pilot, FOLLOWS_DEADLINE, lambda: items.option_count == count + 1)
        kudos = screen.query_one("#sec-kudos", TextArea)
        assert await shows_within(
            pilot, FOLLOWS_DEADLINE, lambda: kudos.text == "Thanks to Dana for the fast rollback"
        )
        # The section the IC is typing in keeps the IC's text, and it is what is saved.
        assert mine.text == typed
        # Saved once the IC pauses: waited for, however late a busy machine's timer fires.
        await pilot.pause(AUTOSAVE_SECONDS)
        assert await shows_within(
            pilot, FOLLOWS_DEADLINE, lambda: scribe.postmortem(NUMBER).root_cause == typed
        )
        assert scribe.postmortem(NUMBER).kudos == "Thanks to Dana for the fast rollback"
        assert mine.text == typed
        scribe.close()
