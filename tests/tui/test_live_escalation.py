"""With an app-level token, a report written in the escalation channel reaches an open
cockpit as a notice, pushed over Socket Mode (the fake Slack's WebSocket)."""

from __future__ import annotations

import dataclasses

import pytest

from ictui.config import Settings
from ictui.store import Store
from ictui.tui.app import IctuiApp
from ictui.tui.widgets.status_bar import StatusBar
from support.cockpit import as_opened, screen_text, wait_for
from support.fake_slack import FakeSlack


@pytest.mark.slow
async def test_a_new_escalation_report_reaches_an_open_cockpit(
    fake_slack: FakeSlack, slack_settings: Settings, slack_store: Store
) -> None:
    settings = dataclasses.replace(slack_settings, slack_app_token=fake_slack.app_token)
    bo = fake_slack.add_user("bo", "bo@example.com", "Bo Chen")
    app = IctuiApp(as_opened(slack_store, settings), settings, cursor_blink=False)
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await wait_for(pilot, lambda: fake_slack.socket_mode.connected() == 1, seconds=15)
        fake_slack.post_live(fake_slack.support, "Checkout returns 502 for EU cards", user=bo)  # type: ignore[attr-defined]
        await wait_for(
            pilot, lambda: "Bo Chen: Checkout returns 502 for EU cards — E lists it" in screen_text(app)
        )
        assert "New in #engineering-support" in screen_text(app)
        # The top line counts the reports not looked at yet, until E shows them.
        await wait_for(pilot, lambda: "1 new report (E)" in screen_text(app))
        await pilot.press("E")
        await wait_for(
            pilot, lambda: "new report" not in app.screen_stack[1].query_one(StatusBar).render().plain
        )
