"""What the IC sends is true: built from the incident as it is when sent, never twice by a slip.

The cockpit runs on a real SQLite file; "another terminal" is the test's own Store on the
same file; Slack is the fake Slack Web API on 127.0.0.1 through slack_sdk's WebClient.
"""

from __future__ import annotations

import asyncio
import time

import pytest

from ictui.config import Settings, load_settings
from ictui.domain.clock import now
from ictui.domain.enums import Severity, Status
from ictui.domain.templates import update_text
from ictui.slack.outbox import deliver_pending
from ictui.store import Store
from ictui.store.lazy import LazyStore
from ictui.tui.app import IctuiApp
from ictui.tui.screens.forms import ConfirmModal
from ictui.tui.widgets.composer import Composer
from support.cockpit import make_app, type_text, wait_for
from support.fake_slack import FakeSlack
from support.scenarios import frozen_clock, settle


def what_we_know(text: str) -> list[str]:
    lines = text.splitlines()
    start = lines.index("What we know:") + 1
    return [line for line in lines[start:] if line.startswith("- ")]


def test_what_we_know_leaves_out_the_tools_own_bookkeeping(
    fake_slack: FakeSlack, slack_settings: Settings, slack_store: Store
) -> None:
    number = slack_store.declare("Search is slow", severity=Severity.SEV1, ic_email="ana@example.com").number
    slack_store.add_note(number, "Latency doubled after the 14:02 deploy", author="ana")
    deliver_pending(slack_store, slack_settings, max_seconds=5)
    slack_store.queue_update(number, "first update", "ana")
    deliver_pending(slack_store, slack_settings, max_seconds=5)
    timeline = slack_store.timeline(number)
    # The bookkeeping is on the timeline (it is history) ...
    assert any(e.text.startswith("Announced in #rnd") for e in timeline)
    assert any(e.text.startswith("Status update posted") for e in timeline)
    # ... but not news for stakeholders.
    known = what_we_know(update_text(slack_store.incident(number), timeline, now()))
    assert known == ["- Latency doubled after the 14:02 deploy"]


def test_an_update_delivered_late_keeps_the_heading_it_was_written_under(
    fake_slack: FakeSlack, slack_settings: Settings, slack_store: Store
) -> None:
    number = slack_store.declare("Search is slow", severity=Severity.SEV2, ic_email="ana@example.com").number
    deliver_pending(slack_store, slack_settings, max_seconds=5)
    channel = slack_store.incident(number).slack_channel_id
    view = slack_store.incident(number)
    slack_store.queue_update(number, update_text(view, slack_store.timeline(number), now()), "ana")
    # Slack was away; meanwhile the incident moved on.
    slack_store.change_status(number, Status.IDENTIFIED, "ana")
    slack_store.change_severity(number, Severity.SEV1, "ana")
    deliver_pending(slack_store, slack_settings, max_seconds=5)
    [posted] = [m for m in fake_slack.messages(channel) if "investigating the cause" in m["text"]]
    heading = posted["blocks"][0]["text"]["text"]
    assert "SEV2 · Investigating" in heading, heading


async def test_an_untouched_template_goes_out_as_the_incident_is_when_sent(people_store: Store) -> None:
    store = people_store
    number = store.declare("Bank feed late", severity=Severity.SEV2).number
    for n in (1, 2, 3):
        store.add_note(number, f"note {n}", author="ana")
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert "- note 3" in app.screen.query_one(Composer).text
        # Another terminal writes, and the IC sends before the cockpit has looked.
        store.add_note(number, "note 4", author="bo")
        store.change_status(number, Status.IDENTIFIED, "bo")
        await pilot.press("ctrl+s")
        await settle(pilot)
        [update] = store.updates(number)
        assert update.text.splitlines()[0].endswith(": identified")
        assert "We have identified the cause" in update.text
        assert "- note 4" in update.text


@pytest.mark.slow
async def test_an_edited_update_warns_when_the_incident_changed_under_it(people_store: Store) -> None:
    store = people_store
    number = store.declare("Bank feed late", severity=Severity.SEV2).number
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("c", "ctrl+home")
        await type_text(pilot, "Still looking. ")
        await settle(pilot)
        store.change_status(number, Status.MONITORING, "bo")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)
        assert "investigating → monitoring" in str(app.screen.question)
        await pilot.press("n")
        await settle(pilot)
        assert store.updates(number) == []
        assert "Still looking." in app.screen.query_one(Composer).text  # nothing typed is lost
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        [update] = store.updates(number)
        assert update.text.startswith("Still looking.")


@pytest.mark.slow
async def test_after_a_send_the_composer_moves_on_and_a_repeat_is_asked_about(people_store: Store) -> None:
    store = people_store
    number = store.declare("Bank feed late", severity=Severity.SEV2).number
    app = make_app(store)
    with frozen_clock():  # the two sends in the same minute: the same template twice
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await pilot.press("c", "ctrl+home")
            await type_text(pilot, "Rolled back. ")
            await settle(pilot)
            edited = app.screen.query_one(Composer).text
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert [u.text for u in store.updates(number)] == [edited]
            composer = app.screen.query_one(Composer)
            # The composer empties, then shows the next template (read in a thread).
            await wait_for(pilot, lambda: composer.text.strip() != "")
            assert composer.text != edited and not composer.edited  # the next template
            # The slip: send, then ctrl+s again. The template that came next is
            # another text, but a second update within a minute of the first is asked about.
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert isinstance(app.screen, ConfirmModal)
            assert "went out at" in str(app.screen.question)
            await pilot.press("y")
            await settle(pilot)
            assert len(store.updates(number)) == 2
            await wait_for(pilot, lambda: composer.text.strip() != "")
            await pilot.press("escape", "c", "ctrl+s")
            await settle(pilot)
            assert isinstance(app.screen, ConfirmModal)
            assert "was sent at" in str(app.screen.question)
            await pilot.press("n")
            await settle(pilot)
            assert len(store.updates(number)) == 2
            await pilot.press("ctrl+s")
            await settle(pilot)
            await pilot.press("y")
            await settle(pilot)
            assert len(store.updates(number)) == 3


@pytest.mark.slow
async def test_a_draft_saved_slowly_never_comes_back_after_the_send(people_store: Store) -> None:
    """ctrl+s right after typing saves the draft and sends it: on a slow disk the save
    came second, made the text just sent a draft again, and the composer stayed empty."""
    store = people_store
    number = store.declare("Bank feed late", severity=Severity.SEV2).number
    opened = LazyStore(store.path)  # as `ictui` opens it (support.cockpit.make_app)
    save_draft = opened.save_draft

    def slow_disk(*args, **kwargs):  # type: ignore[no-untyped-def]
        time.sleep(0.5)
        return save_draft(*args, **kwargs)

    opened.save_draft = slow_disk  # type: ignore[method-assign]
    app = IctuiApp(opened, load_settings(), cursor_blink=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("c", "ctrl+home")
        await type_text(pilot, "Rolled back. ")
        await pilot.press("ctrl+s")  # before the autosave: the send saves the draft first
        await wait_for(pilot, lambda: len(store.updates(number)) == 1)
        composer = app.screen.query_one(Composer)
        await wait_for(pilot, lambda: composer.text.strip() != "")
        await asyncio.sleep(1.0)  # every save asked for has landed
        await settle(pilot)
        assert store.incident(number).draft in ("", None)  # the text sent is not a draft again
        assert store.updates(number)[0].text.startswith("Rolled back.")
        assert not composer.edited and not composer.text.startswith("Rolled back.")


@pytest.mark.slow
async def test_a_template_loaded_twice_in_a_row_still_follows_the_incident(people_store: Store) -> None:
    """The composer emptied after a send and refilled at once (two loads before either's
    change message came): the template is not the IC's text, and it follows the incident."""
    store = people_store
    number = store.declare("Bank feed late", severity=Severity.SEV2).number
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        composer = app.screen.query_one(Composer)
        composer.load(number, "")
        composer.load(number, "A template", template=True)
        await settle(pilot)
        assert not composer.edited
        store.change_status(number, Status.IDENTIFIED, "bo")
        await wait_for(pilot, lambda: "identified" in composer.text)
