"""Nothing anyone writes is read as markup: every screen and notification shows it as typed.

Titles, notes, names, teams, parts, Slack messages, outbox errors, paths and the
messages of database errors are full of markup here ("[/]" alone used to end the
cockpit with a MarkupError) and of escape sequences. Each screen is walked with the
keyboard; what it draws must hold the markup literally and no control character.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
import sqlalchemy.exc
from textual.pilot import Pilot
from textual.widgets import Input, OptionList

from ictui.config import Settings
from ictui.domain.enums import Severity
from ictui.domain.text import clean_line
from ictui.domain.views import IncidentView
from ictui.store import Store
from ictui.tui.app import IctuiApp
from ictui.tui.screens.escalations import EscalationScreen
from ictui.tui.screens.forms import DeclareModal, EditEntryModal, RoleModal
from ictui.tui.screens.outbox import OutboxScreen
from ictui.tui.screens.postmortem_forms import ActionItemModal, ExportModal
from ictui.tui.screens.review import ReviewScreen
from ictui.tui.screens.stats import StatsScreen
from ictui.tui.shown import plain, shown
from support.cockpit import as_opened, screen_text, type_text, wait_for
from support.fake_slack import FakeSlack
from support.scenarios import settle

# Markup of each kind Textual reads: a tag that closes nothing (the crash), a style, an
# action, a link. Short, so that it fits the narrowest column it is shown in.
MARKUP = "[/][b]B[/b]"
ACTION = "[@click=app.quit]Q[/]"
CONTROLS = "\x1b[2J\x1b]0;pwned\x07\x9b31m"
RAW_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")
SIZE = (160, 50)


def hostile(word: str) -> str:
    return f"{word} {MARKUP}{CONTROLS}"


def assert_literal(app: IctuiApp, *expected: str) -> str:
    text = screen_text(app)
    raw = [line for line in text.splitlines() if RAW_CONTROL.search(line)]
    assert not raw, f"a control character reached the screen: {raw}"
    for part in expected:
        assert part in text, f"{part!r} is not on the {type(app.screen).__name__} as typed"
    return text


@pytest.fixture
def hostile_store(store: Store) -> Store:
    """Markup in everything a person, Slack or the database can put in an incident."""
    store.add_team(hostile("Ops"), [hostile("db")])
    store.add_person(hostile("Ana"), "ana@example.com", ["EM"], clean_line(hostile("Ops")))
    store.add_person("Bo Chen", "bo@example.com", ["engineer"], clean_line(hostile("Ops")))
    number = store.declare(
        hostile("Checkout"),
        ic_email="ana@example.com",
        summary=hostile("summary"),
        author=hostile("eve"),
        components=[hostile("db")],
    ).number
    store.add_entry(number, hostile("note") + ACTION, author=hostile("bo"))
    store.save_draft(number, hostile("draft"), "ana")
    store.add_action_item(number, hostile("item"), owner=hostile("dana"), description=hostile("why"))
    store.save_postmortem(number, summary=hostile("sum"), root_cause=hostile("cause"))
    return store


def app_on(store: Store, settings: Settings | None = None) -> IctuiApp:
    return IctuiApp(store, settings or Settings(user="ana"), cursor_blink=False)


async def wait_screen(pilot: Pilot, kind: type) -> None:
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, kind))


@pytest.mark.slow
async def test_the_cockpit_and_its_forms_show_markup_as_typed(hostile_store: Store) -> None:
    app = app_on(hostile_store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        # The list, the header, the timeline (the entry's author and text), the draft.
        assert_literal(
            app, f"Checkout {MARKUP}", f"Ana {MARKUP}", f"note {MARKUP}{ACTION}", "bo [/]", f"draft {MARKUP}"
        )

        # Declare: the IC's name and the affected parts; a title with "[/]" in it.
        await pilot.press("D")
        await wait_screen(pilot, DeclareModal)
        assert_literal(app, f"Ana {MARKUP}", f"db {MARKUP}")
        await type_text(pilot, "Crash test [/] title")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: len(hostile_store.list_incidents()) == 2)
        await settle(pilot)
        assert_literal(app, "Declared #2 Crash test [/] title")
        assert app.is_running

        # Roles: people and their teams as options.
        await pilot.press("i")
        await wait_screen(pilot, RoleModal)
        assert_literal(app, f"Ana {MARKUP}", f"Ops {MARKUP}")
        await pilot.press("escape")
        await settle(pilot)

        # A time that cannot be read is quoted in the message under the field.
        await pilot.press("tab", "e")
        await wait_screen(pilot, EditEntryModal)
        app.screen.query_one("#when", Input).value = "[/] at [b]noon[/b]"
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert_literal(app, "cannot read '[/] at [b]noon[/b]' as a time")
        assert app.is_running


@pytest.mark.slow
async def test_the_review_its_forms_and_the_export_show_markup_as_typed(
    hostile_store: Store, tmp_path: Path
) -> None:
    folder = tmp_path / "exports [bold]B[@click=app.quit]"
    folder.mkdir()
    app = app_on(hostile_store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("p")
        await wait_screen(pilot, ReviewScreen)
        await settle(pilot)
        # The title, how it surfaced, the action item (title and owner).
        assert_literal(app, f"Checkout {MARKUP}", f"item {MARKUP}", f"dana {MARKUP}")

        # A due date that cannot be read, quoted under its field.
        await pilot.press("a")
        await wait_screen(pilot, ActionItemModal)
        app.screen.query_one("#ai-title", Input).value = "Alert"
        app.screen.query_one("#ai-due", Input).value = "[/]soon"
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert_literal(app, "Cannot read '[/]soon' as a date")
        await pilot.press("escape")
        await settle(pilot)

        # A folder that is not one, then one with markup in its name: the paths written.
        await pilot.press("ctrl+e")
        await wait_screen(pilot, ExportModal)
        field = app.screen.query_one("#folder", Input)
        field.value = "[/]missing"
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert_literal(app, "[/]missing is not a folder")
        field.value = str(folder)
        await settle(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: any(folder.iterdir()))
        await settle(pilot)
        assert_literal(app, "Exported", "[bold]B[@click=app.quit]/postmortem-1-")

        # Stats: open action items by owner.
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("g")
        await wait_screen(pilot, StatsScreen)
        await settle(pilot)
        assert_literal(app, f"dana {MARKUP}")
        assert app.is_running


async def test_why_an_outbox_item_waits_is_shown_as_slack_said_it(hostile_store: Store) -> None:
    hostile_store.queue_update(1, "Fix deployed", author="ana")
    work = hostile_store.outbox_claim()
    assert work is not None
    hostile_store.outbox_failed(
        work.id, "Slack refused it (chat.postMessage: [/]bad_[b]B[/b])", permanent=True
    )
    app = app_on(hostile_store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await wait_screen(pilot, OutboxScreen)
        await settle(pilot)
        assert_literal(app, "[/]bad_[b]B[/b]")


@pytest.mark.slow
async def test_escalations_from_slack_are_listed_imported_and_refused_as_written(
    fake_slack: FakeSlack, slack_settings: Settings, slack_store: Store
) -> None:
    carla = fake_slack.add_user("carla", "carla@example.com", hostile("Carla"))
    fake_slack.add_message(fake_slack.support, hostile("Acme [/] sees 502s"), user=carla)  # type: ignore[attr-defined]
    app = app_on(as_opened(slack_store, slack_settings), slack_settings)  # type: ignore[arg-type]
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("E")
        await wait_for(pilot, lambda: isinstance(app.screen, EscalationScreen) and bool(app.screen.messages))
        assert_literal(app, f"Carla {MARKUP}", f"Acme [/] sees 502s {MARKUP}")

        # Slack's error, which quotes its code, is said on the screen.
        fake_slack.fail_next("conversations.history", "[/]odd_[b]error[/b]")
        await pilot.press("r")
        await settle(pilot)
        assert_literal(app, "[/]odd_[b]error[/b]")

        await pilot.press("r")
        await wait_for(pilot, lambda: bool(app.screen.messages))
        app.screen.query_one(OptionList).highlighted = 0
        await pilot.press("enter")
        await wait_for(pilot, lambda: not isinstance(app.screen, EscalationScreen))
        await settle(pilot)
        assert_literal(app, "Triage #1 started from 'Acme [/] sees 502s")
        assert app.is_running


class FailingStore(Store):
    """The real store, whose severity changes fail the way SQLAlchemy reports a locked
    database: its message quotes the SQL, brackets and all."""

    def change_severity(self, number: int, new: Severity, author: str = "", reason: str = "") -> IncidentView:
        raise sqlalchemy.exc.OperationalError(
            "UPDATE incident SET title=? WHERE number=?",
            ("[/]", number),
            sqlite3.OperationalError("database is locked"),
        )


@pytest.mark.slow
async def test_a_database_error_quoting_sql_is_a_notification(tmp_path: Path) -> None:
    store = FailingStore(tmp_path / "failing.db")
    store.declare("Slow checkout")
    app = app_on(store)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("v")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert_literal(app, "[SQL: UPDATE incident SET title=? WHERE number=?]", "[parameters: ('[/]', 1)]")
        assert app.is_running
    store.close()


def test_the_helper_keeps_the_text_and_drops_only_controls() -> None:
    text = f"a {MARKUP} {ACTION}\n\tb{CONTROLS}c"
    assert plain(text) == f"a {MARKUP} {ACTION}\n\tbc"
    assert shown(text).plain == plain(text)
    assert shown(text, "bold").plain == plain(text)
