"""What a screen or an export shows follows the database and counts only what happened."""

from __future__ import annotations

import io

from rich.console import Console

from ictui.config import Settings
from ictui.domain import exports
from ictui.domain.clock import now
from ictui.domain.enums import Severity, Status
from ictui.domain.outbox import CREATE_CHANNEL, POST_UPDATE, Delivered
from ictui.store import Store
from ictui.tui.app import IctuiApp
from ictui.tui.screens.escalations import EscalationScreen
from ictui.tui.screens.outbox import OutboxScreen
from ictui.tui.widgets.incident_header import IncidentHeader
from support.cockpit import as_opened, make_app, wait_for
from support.fake_slack import FakeSlack
from support.scenarios import settle


def shown(widget) -> str:  # type: ignore[no-untyped-def]
    """The text a Static shows, as a terminal prints it."""
    console = Console(width=200, record=True, file=io.StringIO())
    console.print(widget.content)
    return console.export_text()


def deliver_all(store: Store) -> None:
    """Slack's part, played through the store's outbox API (as the demo does)."""
    while (work := store.outbox_claim()) is not None:
        if work.action == CREATE_CHANNEL:
            store.outbox_checkpoint(work.id, {"channel_id": "C0TEST"}, channel=("C0TEST", "incident-1-x"))
        message = (f"1700000000.{work.id:06d}", "") if work.action == POST_UPDATE else None
        store.outbox_delivered(work.id, Delivered(update_message=message))


async def test_the_header_says_the_post_mortem_was_held_once_it_was(people_store: Store) -> None:
    store = people_store
    number = store.declare("Checkout broken", severity=Severity.SEV2).number
    store.change_status(number, Status.RESOLVED, "ana")
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        header = app.screen.query_one(IncidentHeader)
        assert "post-mortem due" in str(header.render())
        await pilot.press("p")
        await settle(pilot)
        await pilot.press("h")
        await settle(pilot)
        await pilot.press("escape")
        await wait_for(pilot, lambda: "post-mortem held" in str(header.render()))
        assert "post-mortem due" not in str(header.render())


async def test_the_outbox_screen_follows_deliveries_made_elsewhere(people_store: Store) -> None:
    store = people_store
    store.declare("Checkout broken", severity=Severity.SEV2)
    app = make_app(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, OutboxScreen)
        items = app.screen.query_one("#outbox-items")
        assert "pending" in shown(items)
        deliver_all(store)  # `ictui outbox` in another terminal
        await wait_for(pilot, lambda: "Nothing waits" in shown(items), seconds=3)


async def test_the_escalations_screen_opens_on_the_newest_report(
    fake_slack: FakeSlack, slack_settings: Settings, slack_store: Store
) -> None:
    carla = fake_slack.add_user("carla", "carla@example.com", "Carla Support")
    fake_slack.add_message(fake_slack.support, "Acme: the app takes 30 s to load", user=carla)  # type: ignore[attr-defined]
    app = IctuiApp(as_opened(slack_store, slack_settings), slack_settings, cursor_blink=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("E")
        await wait_for(pilot, lambda: isinstance(app.screen, EscalationScreen) and bool(app.screen.messages))
        assert str(app.screen.query_one("#escalations-status").render()) == "1 recent report"
        await pilot.press("enter")  # as documented: no need to move the cursor first
        await wait_for(pilot, lambda: not isinstance(app.screen, EscalationScreen))
        [row] = slack_store.list_incidents()
        assert row.title == "Acme: the app takes 30 s to load"


def test_the_post_mortem_counts_only_updates_that_were_delivered(store: Store) -> None:
    number = store.declare("Checkout broken", severity=Severity.SEV2).number
    store.queue_update(number, "We are looking into it")  # Slack never took it
    store.change_status(number, Status.RESOLVED, "ana")
    document = exports.markdown(store.postmortem(number))
    assert "0 updates sent" in document and "1st update" not in document


def test_a_delivered_update_counts_when_it_reached_slack(store: Store) -> None:
    number = store.declare("Checkout broken", severity=Severity.SEV2).number
    store.queue_update(number, "We are looking into it")
    deliver_all(store)
    sent_at = store.updates(number)[0].sent_at
    store.change_status(number, Status.RESOLVED, "ana")
    view = store.postmortem(number)
    assert "1 update sent" in exports.markdown(view)
    assert [i.end for i in view.intervals][:1] == [sent_at] and sent_at <= now()
