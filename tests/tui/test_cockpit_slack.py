"""The cockpit with Slack: through the real WebClient, against the fake Slack on loopback."""

from __future__ import annotations

import pytest

from ictui.config import Settings
from ictui.domain.enums import Status, UpdateState
from ictui.store import Store
from ictui.tui.app import IctuiApp
from ictui.tui.screens.escalations import EscalationScreen
from ictui.tui.widgets.incident_header import IncidentHeader
from ictui.tui.widgets.status_bar import StatusBar
from support.cockpit import as_opened, type_text, wait_for
from support.fake_slack import FakeSlack
from support.scenarios import settle


@pytest.mark.slow
async def test_declaring_opens_the_channel_and_announces_it(
    fake_slack: FakeSlack, slack_settings: Settings, slack_store: Store
) -> None:
    app = IctuiApp(as_opened(slack_store, slack_settings), slack_settings, cursor_blink=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("D")
        await settle(pilot)
        await type_text(pilot, "Checkout is down")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: slack_store.incident(1).slack_channel_name != "")
        assert slack_store.incident(1).slack_channel_name == "incident-1-checkout-is-down"
        announcements = [m for m in fake_slack.messages(fake_slack.rnd) if "Checkout is down" in m["text"]]  # type: ignore[attr-defined]
        assert len(announcements) == 1
        await wait_for(
            pilot,
            lambda: "#incident-1-checkout-is-down" in str(app.screen.query_one(IncidentHeader).render()),
        )
        assert "connected" in str(app.screen.query_one(StatusBar).render())


@pytest.mark.slow
async def test_slack_down_mid_incident_loses_and_duplicates_nothing(
    fake_slack: FakeSlack, slack_settings: Settings, slack_store: Store
) -> None:
    number = slack_store.declare("Search is slow", ic_email="ana@example.com").number
    app = IctuiApp(as_opened(slack_store, slack_settings), slack_settings, cursor_blink=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: slack_store.incident(number).slack_channel_id != "")
        channel = slack_store.incident(number).slack_channel_id
        fake_slack.go_down()
        await pilot.press("c")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("escape", "s")
        await settle(pilot)
        app.screen.query_one("OptionList").highlighted = 0  # identified
        await pilot.press("enter")
        await settle(pilot)
        # The cockpit stays usable while Slack is away: a note is stored at once.
        await pilot.press("n")
        await type_text(pilot, "still typing")
        await pilot.press("enter")
        await settle(pilot)
        assert any(e.text == "still typing" for e in slack_store.timeline(number))
        assert slack_store.incident(number).status is Status.IDENTIFIED
        [update] = slack_store.updates(number)
        assert update.state is not UpdateState.SENT
        fake_slack.come_back()
        # Backoff after the failed tries decides when it goes: seconds, bounded here generously.
        await wait_for(pilot, lambda: slack_store.updates(number)[0].state is UpdateState.SENT, seconds=60)
        posted = [
            m for m in fake_slack.messages(channel) if "Search is slow" in m["text"] and "Status" in m["text"]
        ]
        assert len(posted) == 1


@pytest.mark.slow
async def test_escalations_start_a_triage_from_a_report(
    fake_slack: FakeSlack, slack_settings: Settings, slack_store: Store
) -> None:
    carla = fake_slack.add_user("carla", "carla@example.com", "Carla Support")
    fake_slack.add_message(fake_slack.support, "Acme: the app takes 30 s to load", user=carla)  # type: ignore[attr-defined]
    app = IctuiApp(as_opened(slack_store, slack_settings), slack_settings, cursor_blink=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("E")
        await wait_for(pilot, lambda: isinstance(app.screen, EscalationScreen) and bool(app.screen.messages))
        app.screen.query_one("OptionList").highlighted = 0
        await pilot.press("enter")
        await wait_for(pilot, lambda: not isinstance(app.screen, EscalationScreen))
        [row] = slack_store.list_incidents()
        assert row.status is Status.TRIAGE and row.title == "Acme: the app takes 30 s to load"
        assert app.screen.number == row.number
        first = slack_store.timeline(row.number)[0]
        assert first.author == "Carla Support" and first.permalink
