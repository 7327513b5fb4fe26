"""Nothing Slack refuses keeps an incident's updates waiting in the cockpit: the Slack
light and the incident header say they are held and why; in the outbox screen, d drops
the refused item (asking first) and e edits it and sends it again."""

from __future__ import annotations

import re

import pytest

from ictui.config import Settings
from ictui.domain.enums import OutboxState
from ictui.slack.outbox import deliver_pending
from ictui.store import Store
from ictui.tui.app import IctuiApp
from ictui.tui.widgets.incident_header import IncidentHeader
from ictui.tui.widgets.status_bar import StatusBar
from support.cockpit import as_opened, screen_text, type_text, wait_for
from support.fake_slack import FakeSlack
from support.scenarios import settle


def held_incident(fake_slack: FakeSlack, slack_settings: Settings, slack_store: Store) -> tuple[int, str]:
    number = slack_store.declare("Search is slow", ic_email="ana@example.com").number
    deliver_pending(slack_store, slack_settings, max_seconds=5)
    slack_store.queue_update(number, "Investigating", author="ana")
    slack_store.queue_update(number, "Mitigated", author="ana")
    fake_slack.fail_next("chat.postMessage", "invalid_blocks")
    deliver_pending(slack_store, slack_settings)
    return number, slack_store.incident(number).slack_channel_id


def light(app: IctuiApp) -> str:
    return app.screen.query_one(StatusBar).light.text


@pytest.mark.slow
async def test_held_updates_are_explained_then_dropped_from_the_outbox_screen(
    fake_slack: FakeSlack, slack_settings: Settings, slack_store: Store
) -> None:
    number, channel = held_incident(fake_slack, slack_settings, slack_store)
    refused = slack_store.outbox_items()[0]
    app = IctuiApp(as_opened(slack_store, slack_settings), slack_settings, cursor_blink=False)
    async with app.run_test(size=(200, 40)) as pilot:
        await wait_for(pilot, lambda: f"held behind item {refused.id}" in light(app))
        assert "Slack refused the message layout" in light(app) and "d drops it" in light(app)
        header = app.screen.query_one(IncidentHeader)
        await wait_for(pilot, lambda: f"updates held behind item {refused.id}" in str(header.render()))

        await pilot.press("o")
        await wait_for(pilot, lambda: "d drops the item" in screen_text(app))
        await wait_for(pilot, lambda: re.search(rf"\b{refused.id}\s+▶", screen_text(app)) is not None)
        await pilot.press("d")
        await wait_for(pilot, lambda: "Drop it (y)" in screen_text(app))
        await pilot.press("y")
        await wait_for(pilot, lambda: not slack_store.outbox_items(), seconds=15)
        await settle(pilot)
    assert [m["text"].split(": ", 1)[1] for m in fake_slack.bot_messages(channel)] == ["Mitigated"]
    assert any(f"dropped outbox item {refused.id}" in e.text for e in slack_store.timeline(number))


@pytest.mark.slow
async def test_a_refused_update_is_edited_in_the_outbox_screen_and_sent_again(
    fake_slack: FakeSlack, slack_settings: Settings, slack_store: Store
) -> None:
    _, channel = held_incident(fake_slack, slack_settings, slack_store)
    app = IctuiApp(as_opened(slack_store, slack_settings), slack_settings, cursor_blink=False)
    async with app.run_test(size=(200, 40)) as pilot:
        await wait_for(pilot, lambda: "held behind" in light(app))
        await pilot.press("o")
        await wait_for(pilot, lambda: "▶" in screen_text(app))
        await pilot.press("e")
        await wait_for(pilot, lambda: "and send it again" in screen_text(app))
        await pilot.press("end")
        await type_text(pilot, " the search cluster")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not slack_store.outbox_items(), seconds=15)
        await settle(pilot)
    assert [m["text"].split(": ", 1)[1] for m in fake_slack.bot_messages(channel)] == [
        "Investigating the search cluster",
        "Mitigated",
    ]
    assert all(i.state is OutboxState.DONE for i in slack_store.outbox_items(include_done=True))
