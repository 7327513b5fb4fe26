"""Slack's events over Socket Mode, through slack_sdk's own client and the fake Slack's
WebSocket: a report in the escalation channel, a pin or a :pushpin:, `/incident note`,
each pushed by Slack (no polling) and acknowledged; one listener per database."""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable, Iterator

import pytest

from ictui.config import Settings
from ictui.slack.live import EscalationReport, LiveEvents
from ictui.slack.outbox import deliver_pending
from ictui.store import Store
from support.fake_slack import FakeSlack


@pytest.fixture
def live_settings(fake_slack: FakeSlack, slack_settings: Settings) -> Settings:
    return dataclasses.replace(slack_settings, slack_app_token=fake_slack.app_token)


def within(seconds: float, condition: Callable[[], object]) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return bool(condition())


@pytest.fixture
def listening(
    slack_store: Store, live_settings: Settings, fake_slack: FakeSlack
) -> Iterator[tuple[LiveEvents, list[EscalationReport]]]:
    reports: list[EscalationReport] = []
    live = LiveEvents(slack_store, live_settings, "cockpit-a", reports.append)
    stop = threading.Event()
    thread = threading.Thread(target=live.run, args=(stop,), daemon=True)
    thread.start()
    assert live.connected.wait(10)
    assert within(5, lambda: fake_slack.socket_mode.connected() == 1)
    yield live, reports
    stop.set()
    thread.join(10)


def open_incident(fake: FakeSlack, store: Store, settings: Settings) -> str:
    fake.add_user("ana", "ana@example.com", "Ana Ruiz")
    store.declare("Checkout fails", ic_email="ana@example.com", author="ana")
    assert deliver_pending(store, settings).settled
    return store.incident(1).slack_channel_id


def test_a_report_in_the_escalation_channel_arrives_within_a_second(
    fake_slack: FakeSlack, listening: tuple[LiveEvents, list[EscalationReport]]
) -> None:
    _, reports = listening
    bo = fake_slack.add_user("bo", "bo@example.com", "Bo Chen")
    ts, envelope = fake_slack.post_live(fake_slack.support, "Checkout returns 502 for EU cards", user=bo)  # type: ignore[attr-defined]

    assert within(10, lambda: reports)
    assert reports == [EscalationReport(ts, "Bo Chen", "Checkout returns 502 for EU cards")]
    assert fake_slack.socket_mode.wait_ack(envelope) is not None
    # Pushed by Slack, not polled: the escalation channel's history was never read.
    assert not [
        c
        for c in fake_slack.calls_to("conversations.history")
        if c.params.get("channel") == fake_slack.support
    ]  # type: ignore[attr-defined]


def test_a_pushpin_and_a_pin_land_on_the_timeline_within_a_second(
    fake_slack: FakeSlack,
    slack_settings: Settings,
    slack_store: Store,
    listening: tuple[LiveEvents, list[EscalationReport]],
) -> None:
    channel = open_incident(fake_slack, slack_store, slack_settings)
    first = fake_slack.add_message(channel, "DB failover started at 14:02")
    second = fake_slack.add_message(channel, "Rollback done")

    fake_slack.react_live(channel, first)
    fake_slack.pin_live(channel, second)

    def texts() -> list[str]:
        return [e.text for e in slack_store.timeline(1)]

    assert within(10, lambda: {"DB failover started at 14:02", "Rollback done"} <= set(texts()))
    # Pushed, not polled: no page of the channel's history was read, only the marked message.
    assert all(
        c.params.get("limit") in (1, "1")
        for c in fake_slack.calls_to("conversations.history")
        if c.params.get("channel") == channel
    )


def test_incident_note_in_slack_adds_a_note_and_answers(
    fake_slack: FakeSlack,
    slack_settings: Settings,
    slack_store: Store,
    listening: tuple[LiveEvents, list[EscalationReport]],
) -> None:
    channel = open_incident(fake_slack, slack_store, slack_settings)
    bo = fake_slack.add_user("bo", "bo@example.com", "Bo Chen")

    envelope = fake_slack.socket_mode.slash_command("/incident", "note cache flushed on eu-1", channel, bo)

    ack = fake_slack.socket_mode.wait_ack(envelope, 10)
    assert ack is not None and ack["payload"]["text"] == "Noted on #1's timeline."
    entry = next(e for e in slack_store.timeline(1) if e.text == "cache flushed on eu-1")
    assert entry.author == "Bo Chen"
    status = fake_slack.socket_mode.wait_ack(
        fake_slack.socket_mode.slash_command("/incident", "status", channel, bo)
    )
    assert (
        status is not None
        and status["payload"]["text"] == "#1 Checkout fails: SEV3, investigating, IC Ana Ruiz."
    )
    elsewhere = fake_slack.socket_mode.wait_ack(
        fake_slack.socket_mode.slash_command("/incident", "note hi", fake_slack.rnd, bo)  # type: ignore[attr-defined]
    )
    assert elsewhere is not None and "not an incident's channel" in elsewhere["payload"]["text"]


def test_one_listener_per_database(
    fake_slack: FakeSlack,
    slack_store: Store,
    live_settings: Settings,
    listening: tuple[LiveEvents, list[EscalationReport]],
) -> None:
    other = Store(slack_store.path)
    second = LiveEvents(other, live_settings, "cockpit-b", lambda report: None)
    stop = threading.Event()
    thread = threading.Thread(target=second.run, args=(stop,), daemon=True)
    thread.start()
    try:
        time.sleep(0.5)
        assert not second.connected.is_set() and fake_slack.socket_mode.connected() == 1
    finally:
        stop.set()
        thread.join(10)
        other.close()


def test_doctor_checks_the_app_level_token(fake_slack: FakeSlack, live_settings: Settings) -> None:
    from ictui.slack.doctor import run_doctor

    fake_slack.scopes |= {"commands", "reactions:read"}
    checks = {c.name: c for c in run_doctor(live_settings)}
    assert checks["live events"].ok and "Socket Mode" in checks["live events"].detail
    wrong = dataclasses.replace(live_settings, slack_app_token="xapp-wrong")
    refused = {c.name: c for c in run_doctor(wrong)}["live events"]
    assert not refused.ok and "invalid_auth" in refused.detail and "xapp-wrong" not in refused.detail
    missing = {c.name: c for c in run_doctor(dataclasses.replace(live_settings, slack_app_token=""))}
    assert missing["live events"].ok and "polled" in missing["live events"].detail
