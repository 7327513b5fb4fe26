"""The Slack light on the top line says the truth: refused, retrying, sending, connected.

The cockpit runs on a real SQLite file against the fake Slack on 127.0.0.1 (real HTTP,
slack_sdk's WebClient). The light is sampled while things go wrong: never "connected".
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from ictui.config import Settings
from ictui.domain.clock import now, to_local
from ictui.domain.slack_light import OutboxHealth, slack_light
from ictui.slack.outbox import deliver_pending
from ictui.store import Store
from ictui.tui.app import IctuiApp
from ictui.tui.widgets.status_bar import StatusBar
from support.cockpit import as_opened, screen_text, wait_for
from support.fake_slack import FakeSlack
from support.scenarios import settle


def light(app: IctuiApp) -> str:
    return str(app.screen.query_one(StatusBar).render())


def test_the_light_has_one_word_for_each_state() -> None:
    at = now()
    assert slack_light(False, OutboxHealth(pending=2), "", at).text.startswith("not set up")
    assert slack_light(True, OutboxHealth(), "", at).text == "connected"
    assert slack_light(True, OutboxHealth(pending=2), "", at).text == "sending 2"
    retrying = slack_light(
        True,
        OutboxHealth(
            pending=2, retrying=1, next_retry_at=at + timedelta(seconds=8), retry_error="Slack answered 503"
        ),
        "",
        at,
    )
    next_at = to_local(at + timedelta(seconds=8)).format("HH:mm:ss")
    assert retrying.text == f"retrying · 2 pending (Slack answered 503; next try at {next_at}, in 8s)"
    # Before Slack first answered, the light does not guess, even with nothing queued.
    assert slack_light(True, OutboxHealth(), "", at, answered=False).text == "checking"
    assert slack_light(True, OutboxHealth(), "invalid_auth", at, answered=False).word == "refused"
    # Items of an incident whose channel is not made yet are not being sent.
    waiting = slack_light(True, OutboxHealth(pending=1, no_channel=1), "", at)
    assert waiting.word == "waiting for the channel" and waiting.counts == "1 pending"
    mixed = slack_light(True, OutboxHealth(pending=3, no_channel=2), "", at)
    assert mixed.word == "sending 1" and "2 waiting for the channel" in mixed.counts
    refused = slack_light(
        True, OutboxHealth(failed=1, failed_error="not in channel (chat.postMessage: not_in_channel)"), "", at
    )
    assert refused.word == "refused" and "not_in_channel" in refused.text
    # The count comes before the why, which a narrow status bar cuts.
    assert refused.text.startswith("refused · 1 failed (")
    # Items held back behind a failed one are not being sent.
    held = slack_light(
        True, OutboxHealth(pending=3, failed=1, blocked=3, failed_error="token_revoked"), "", at
    )
    assert held.text == "refused · 3 pending · 1 failed (token_revoked)"
    some = slack_light(
        True, OutboxHealth(pending=3, failed=1, blocked=1, failed_error="token_revoked"), "", at
    )
    assert some.text == "sending 2 · 1 held back · 1 failed"


@pytest.mark.slow
async def test_a_revoked_token_is_refused_never_connected(
    fake_slack: FakeSlack, slack_settings: Settings, slack_store: Store
) -> None:
    number = slack_store.declare("Search is slow", ic_email="ana@example.com").number
    deliver_pending(slack_store, slack_settings, max_seconds=5)
    fake_slack.revoke_token()
    slack_store.queue_update(number, "We are on it")
    app = IctuiApp(as_opened(slack_store, slack_settings), slack_settings, cursor_blink=False)
    async with app.run_test(size=(160, 40)) as pilot:
        await wait_for(pilot, lambda: "refused" in light(app))
        for _ in range(15):  # three seconds of samples, across several delivery runs
            text = light(app)
            assert "connected" not in text
            assert "refused" in text and "SLACK_BOT_TOKEN" in text and "token_revoked)" in text
            await asyncio.sleep(0.2)
            await settle(pilot)
        await wait_for(pilot, lambda: "1 failed" in light(app))


@pytest.mark.slow
async def test_a_total_outage_says_retrying_with_the_count_never_connected(
    fake_slack: FakeSlack, slack_settings: Settings, slack_store: Store
) -> None:
    number = slack_store.declare("Search is slow", ic_email="ana@example.com").number
    deliver_pending(slack_store, slack_settings, max_seconds=5)
    fake_slack.server_error_next(100_000, status=503)
    slack_store.queue_update(number, "We are on it")
    slack_store.queue_update(number, "Still on it")
    app = IctuiApp(as_opened(slack_store, slack_settings), slack_settings, cursor_blink=False)
    async with app.run_test(size=(160, 40)) as pilot:
        await wait_for(pilot, lambda: "retrying" in light(app))
        for _ in range(15):
            text = light(app)
            assert "connected" not in text
            assert "retrying · 2 pending (Slack answered 503" in text and "next try at" in text
            await asyncio.sleep(0.2)
            await settle(pilot)


@pytest.mark.slow
async def test_an_update_sent_while_slack_refuses_says_it_waits_and_why(
    fake_slack: FakeSlack, slack_settings: Settings, slack_store: Store
) -> None:

    number = slack_store.declare("Search is slow", ic_email="ana@example.com").number
    deliver_pending(slack_store, slack_settings, max_seconds=5)
    fake_slack.revoke_token()
    slack_store.queue_update(number, "We are on it")
    app = IctuiApp(as_opened(slack_store, slack_settings), slack_settings, cursor_blink=False)
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await wait_for(pilot, lambda: "1 failed" in light(app))
        await pilot.press("c", "ctrl+home", *"Rollback", "ctrl+s")
        await settle(pilot)
        shown = screen_text(app)
        assert f"Update for #{number} queued in the outbox: Slack refuses" in shown
        assert "sending to Slack" not in shown
        assert [u.text for u in slack_store.updates(number)][-1].startswith("Rollback")
        # The update waits behind the failed one: the light never says it is being sent.
        await wait_for(pilot, lambda: "1 pending · 1 failed" in light(app))
        for _ in range(10):
            assert "sending" not in light(app) and light(app).count("refused") == 1
            await asyncio.sleep(0.2)
            await settle(pilot)
