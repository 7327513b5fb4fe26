"""People and teams in the cockpit: the P screen, the command palette, the assign picker's
new person, and what a fresh database's cockpit says. Real app, real SQLite file."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, OptionList

from ictui.config import load_settings
from ictui.domain.enums import EntryKind
from ictui.store import Store
from ictui.store.lazy import LazyStore
from ictui.tui.app import IctuiApp
from ictui.tui.screens.forms import ConfirmModal, RoleModal
from ictui.tui.screens.roster import RosterScreen
from ictui.tui.screens.roster_forms import PersonModal, TeamModal
from ictui.tui.widgets.incident_list import EMPTY_ROSTER_HINT, IncidentList
from support.scenarios import frozen_clock, settle


def make_app(path: Path) -> IctuiApp:
    return IctuiApp(LazyStore(path), load_settings(), cursor_blink=False)


async def type_into(pilot: Pilot, field: str, text: str) -> None:
    pilot.app.screen.query_one(f"#{field}", Input).focus()
    await pilot.press(*["space" if c == " " else c for c in text])


def lines(pilot: Pilot, widget: type | str) -> list[str]:
    found = pilot.app.screen.query_one(widget)  # type: ignore[call-overload]
    return [found.render_line(y).text for y in range(found.size.height)]


async def test_a_fresh_database_says_in_one_line_how_to_add_people_and_teams(store: Store) -> None:
    app = make_app(store.path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        shown = lines(pilot, IncidentList)
        assert shown[1].startswith("No incidents yet — D declares one")
        assert shown[2].startswith(EMPTY_ROSTER_HINT)
        assert EMPTY_ROSTER_HINT.startswith("P adds people and teams")


@pytest.mark.slow
async def test_people_and_teams_are_added_edited_and_removed_on_the_P_screen(store: Store) -> None:
    app = make_app(store.path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("P")
        await settle(pilot)
        assert isinstance(app.screen, RosterScreen)
        assert "Nobody yet" in str(app.screen.query_one("#roster-status").render())

        await pilot.press("A")
        await settle(pilot)
        assert isinstance(app.screen, TeamModal)
        await type_into(pilot, "name", "Web Platform")
        await type_into(pilot, "parts", "shared UI; performance")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, RosterScreen)
        assert [(t.name, t.components) for t in store.teams()] == [
            ("Web Platform", ("shared UI", "performance"))
        ]

        await pilot.press("a")
        await settle(pilot)
        assert isinstance(app.screen, PersonModal)
        await type_into(pilot, "name", "Dana Kim")
        await type_into(pilot, "email", "dana@example.com")
        app.screen.query_one("#team").value = "Web Platform"
        await type_into(pilot, "roles", "tech lead")
        await pilot.press("ctrl+s")
        await settle(pilot)
        [dana] = store.people()
        assert (dana.name, dana.email, dana.team, dana.roles) == (
            "Dana Kim",
            "dana@example.com",
            "Web Platform",
            ("tech lead",),
        )
        people = app.screen.query_one("#people", OptionList)
        assert "Dana Kim" in str(people.get_option_at_index(0).prompt)

        # The team's parts: tab to the teams, e, and the parts field is focused.
        await pilot.press("tab", "e")
        await settle(pilot)
        assert isinstance(app.screen, TeamModal) and app.screen.focused.id == "parts"
        app.screen.query_one("#parts", Input).value = "shared UI; performance; navigation bar"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert store.teams()[0].components == ("shared UI", "performance", "navigation bar")

        # Removing asks first; the person leaves the roster.
        await pilot.press("tab", "x")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("y")
        await settle(pilot)
        assert store.people() == [] and [p.removed for p in store.people(include_removed=True)] == [True]


@pytest.mark.slow
async def test_a_refused_form_stays_open_with_what_was_typed(store: Store) -> None:
    store.add_person("Ana Ruiz", "ana@example.com")
    app = make_app(store.path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("P")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        await type_into(pilot, "name", "Ana Two")
        await type_into(pilot, "email", "ANA@example.com")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, PersonModal)
        error = app.screen.query_one("#form-error")
        assert error.has_class("-shown") and "already on the roster" in str(error.render())
        assert app.screen.query_one("#name", Input).value == "Ana Two"

        app.screen.query_one("#email", Input).value = "not an email"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "is not an email address" in str(app.screen.query_one("#email-error").render())
        assert [p.name for p in store.people()] == ["Ana Ruiz"]


@pytest.mark.slow
async def test_the_command_palette_opens_people_and_teams(store: Store) -> None:
    app = make_app(store.path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"people and teams")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RosterScreen)


@pytest.mark.slow
async def test_the_assign_picker_adds_someone_new_by_name_and_email(store: Store) -> None:
    store.add_person("Ana Ruiz", "ana@example.com")
    number = store.declare("Checkout down", ic_email="ana@example.com").number
    app = make_app(store.path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        assert isinstance(app.screen, RoleModal)
        await type_into(pilot, "new-name", "Nia Obi")
        await type_into(pilot, "new-email", "nia@example.com")
        await pilot.press("enter")
        await settle(pilot)
    assert [p.email for p in store.people()] == ["ana@example.com", "nia@example.com"]
    view = store.incident(number)
    assert view.ic is not None and view.ic.name == "Nia Obi"
    roles = [e.text for e in store.timeline(number) if e.kind is EntryKind.ROLE]
    assert roles == ["IC: Ana Ruiz", "IC: Ana Ruiz → Nia Obi"]


@pytest.mark.slow
async def test_the_assign_picker_refuses_a_malformed_email_where_it_was_typed(store: Store) -> None:
    store.add_person("Ana Ruiz", "ana@example.com")
    store.declare("Checkout down")
    app = make_app(store.path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await settle(pilot)
        await type_into(pilot, "new-name", "Nia")
        await type_into(pilot, "new-email", "nia@")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, RoleModal)
        assert "is not an email address" in str(app.screen.query_one("#new-email-error").render())
    assert [p.name for p in store.people()] == ["Ana Ruiz"]


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["wide", "small"])
def test_snapshot_of_a_fresh_database(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    with frozen_clock():
        Store(tmp_path / "fresh.db").close()
        assert snap_compare(make_app(tmp_path / "fresh.db"), terminal_size=size, run_before=settle)


@pytest.mark.slow
@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["wide", "small"])
def test_snapshot_of_an_empty_roster(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    async def open_roster(pilot: Pilot) -> None:
        await settle(pilot)
        await pilot.press("P")
        await settle(pilot)

    with frozen_clock():
        Store(tmp_path / "fresh.db").close()
        assert snap_compare(make_app(tmp_path / "fresh.db"), terminal_size=size, run_before=open_roster)


@pytest.mark.slow
@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["wide", "small"])
@pytest.mark.parametrize("keys", [("a",), ("tab", "e")], ids=["add-person", "edit-team"])
def test_snapshot_of_the_roster_forms(
    snap_compare, tmp_path: Path, keys: tuple[str, ...], size: tuple[int, int]
) -> None:
    from support.scenarios import demo_app

    async def open_form(pilot: Pilot) -> None:
        await settle(pilot)
        for key in ("P", *keys):
            await pilot.press(key)
            await settle(pilot)

    with frozen_clock():
        assert snap_compare(demo_app(tmp_path / "demo.db"), terminal_size=size, run_before=open_form)
