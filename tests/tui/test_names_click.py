"""A name that is markup stays text wherever a name is shown: clicking it does nothing.

A person named ``[@click=app.quit]quit me[/]`` (from Slack, a CSV or ``people add``) and a
team named the same way: on every screen and form that shows a name, the mouse clicks
each place the name is drawn, and the cockpit is still running. Read as markup, the name
would be a link to ``app.quit``: one click would end the cockpit, skipping the question
about an unsent draft. A name ``[/]`` quoted in a refusal must not stop ctrl+s either.
"""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from textual.pilot import Pilot
from textual.widgets import Input

from ictui.config import Settings
from ictui.store import Store
from ictui.tui.app import IctuiApp
from ictui.tui.screens.cockpit import CockpitScreen
from ictui.tui.screens.forms import DeclareModal, RoleModal
from ictui.tui.screens.review import ReviewScreen
from ictui.tui.screens.roster import RosterScreen
from ictui.tui.screens.roster_forms import PersonModal, TeamModal
from ictui.tui.textual_compat import screen_lines
from support.cockpit import screen_text, wait_for
from support.scenarios import settle

PERSON = "[@click=app.quit]quit me[/]"
TEAM = "[@click=app.quit]quit team[/]"
WORDS = ("quit me", "quit team")
SIZE = (160, 50)


@pytest.fixture
def named_store(store: Store) -> Store:
    store.add_team(TEAM, ["checkout"])
    store.add_person(PERSON, "quit@example.com", ["EM"], TEAM)
    number = store.declare("Checkout fails", ic_email="quit@example.com", components=["checkout"]).number
    store.add_entry(number, "rolled back", author=PERSON)
    store.add_action_item(number, "Alert on checkout", owner=PERSON)
    return store


def places(pilot: Pilot) -> list[tuple[int, int]]:
    """Where the name's words are drawn on the screen now (column, row)."""
    found = []
    for y, line in enumerate(screen_lines(pilot.app.screen)):
        for word in WORDS:
            start = line.find(word)
            while start != -1:
                found.append((cell_len(line[:start]) + 2, y))
                start = line.find(word, start + 1)
    return found


async def click_every_name(pilot: Pilot, where: str) -> int:
    """Click each place the name is drawn on this screen; the cockpit must keep running."""
    screen = pilot.app.screen
    clicked = 0
    for x, y in places(pilot):
        if pilot.app.screen is not screen:
            break  # a click opened something: the places are another screen's
        await pilot.click(offset=(x, y))
        await settle(pilot)
        assert pilot.app.is_running and pilot.app.return_code is None, f"a click on a name in {where} quit"
        clicked += 1
    return clicked


async def back_to(pilot: Pilot, kind: type) -> None:
    """Escape from what the clicks opened (a select's list, a form) back to ``kind``."""
    for _ in range(5):
        if isinstance(pilot.app.screen, kind):
            return
        await pilot.press("escape")
        await settle(pilot)
    assert isinstance(pilot.app.screen, kind)


async def back_to_the_cockpit(pilot: Pilot) -> None:
    await back_to(pilot, CockpitScreen)


@pytest.mark.slow
async def test_clicking_a_name_that_is_markup_does_nothing_wherever_it_is_shown(named_store: Store) -> None:
    app = IctuiApp(named_store, Settings(user="ana"), cursor_blink=False)
    clicks: dict[str, int] = {}
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await wait_for(pilot, lambda: "Checkout fails" in screen_text(app))
        # The cockpit: the list's IC, the header, the timeline's author and role entry.
        assert PERSON in screen_text(app)
        clicks["cockpit"] = await click_every_name(pilot, "the cockpit")

        # Assigning a role: the people and their teams.
        await pilot.press("escape")
        await pilot.press("i")
        await wait_for(pilot, lambda: isinstance(app.screen, RoleModal))
        clicks["role picker"] = await click_every_name(pilot, "the role picker")
        await back_to_the_cockpit(pilot)

        # Declaring: the IC's select.
        await pilot.press("D")
        await wait_for(pilot, lambda: isinstance(app.screen, DeclareModal))
        await settle(pilot)
        clicks["declare form"] = await click_every_name(pilot, "the declare form")
        await back_to_the_cockpit(pilot)

        # The post-mortem review: the IC, the facilitator, the action item's owner.
        await pilot.press("p")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen))
        await settle(pilot)
        clicks["review"] = await click_every_name(pilot, "the review")
        await back_to_the_cockpit(pilot)

        # People and teams, the person's form and the team's, and the refusal that quotes
        # the name (the email is already theirs).
        await pilot.press("P")
        await wait_for(pilot, lambda: isinstance(app.screen, RosterScreen))
        await settle(pilot)
        clicks["people and teams"] = await click_every_name(pilot, "the people and teams screen")
        await pilot.press("escape")
        await back_to_the_cockpit(pilot)
        await pilot.press("P")
        await wait_for(pilot, lambda: isinstance(app.screen, RosterScreen))
        await settle(pilot)
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, PersonModal))
        await settle(pilot)
        clicks["person form"] = await click_every_name(pilot, "the person form")
        await back_to(pilot, RosterScreen)
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, PersonModal))
        app.screen.query_one("#name", Input).value = "Someone Else"
        app.screen.query_one("#email", Input).value = "quit@example.com"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen.query_one("#form-error").has_class("-shown"))
        await settle(pilot)
        assert f"already on the roster ({PERSON})" in str(app.screen.query_one("#form-error").render())
        clicks["refusal"] = await click_every_name(pilot, "the form's refusal")
        await back_to(pilot, RosterScreen)
        await pilot.press("tab", "e")
        await wait_for(pilot, lambda: isinstance(app.screen, TeamModal))
        await settle(pilot)
        clicks["team form"] = await click_every_name(pilot, "the team form")
        assert app.is_running
    # Every place was found and clicked: the words were on each screen.
    assert all(clicks.values()), clicks


@pytest.mark.slow
async def test_a_name_that_closes_markup_is_quoted_in_a_refusal_and_ctrl_s_still_works(store: Store) -> None:
    store.add_person("Bo [/]", "bo@example.com")
    app = IctuiApp(store, Settings(user="ana"), cursor_blink=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("P")
        await wait_for(pilot, lambda: isinstance(app.screen, RosterScreen))
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, PersonModal))
        app.screen.query_one("#name", Input).value = "Bo Two"
        app.screen.query_one("#email", Input).value = "bo@example.com"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen.query_one("#form-error").has_class("-shown"))
        await settle(pilot)
        assert "bo@example.com is already on the roster (Bo [/])" in str(
            app.screen.query_one("#form-error").render()
        )
        # The form is still there, and saves once the email is changed.
        app.screen.query_one("#email", Input).value = "bo2@example.com"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, RosterScreen))
    assert sorted(p.email for p in store.people()) == ["bo2@example.com", "bo@example.com"]
