"""Messages marked in Slack reaching the timeline, and triages started from escalations."""

from __future__ import annotations

import pytest

from ictui.config import Settings
from ictui.domain.enums import EntryKind, EntrySource, KeyEvent, Severity, Status
from ictui.domain.errors import InvalidInput
from ictui.slack.escalation import fetch_escalations, import_escalation, triage_title
from ictui.slack.outbox import deliver_pending
from ictui.slack.sync import message_time, sync_active, sync_incident
from ictui.store import Store
from support.fake_slack import BOT_USER, FakeSlack


@pytest.fixture
def channel(fake_slack: FakeSlack, slack_settings: Settings, slack_store: Store) -> str:
    """Incident #1 with its channel made in the fake Slack."""
    fake_slack.add_user("ana", "ana@example.com", "Ana Ruiz")
    slack_store.declare("Checkout fails", severity=Severity.SEV2, ic_email="ana@example.com", author="ana")
    assert deliver_pending(slack_store, slack_settings).settled
    return slack_store.incident(1).slack_channel_id


def slack_entries(store: Store) -> list:
    return [
        e
        for e in store.timeline(1)
        if e.source is EntrySource.SLACK and e.kind is EntryKind.SLACK and e.author != "slack"
    ]


def test_pinned_and_pushpinned_messages_reach_the_timeline_once(
    fake_slack: FakeSlack, slack_settings: Settings, slack_store: Store, channel: str
) -> None:
    bo = fake_slack.add_user("bo", "bo@example.com", "Bo Chen")
    ana = next(u.id for u in fake_slack.users.values() if u.email == "ana@example.com")
    failover = fake_slack.add_message(channel, f"Primary DB failed over, <@{ana}> is on it", user=bo)
    fake_slack.react(channel, failover, "pushpin")
    fake_slack.add_message(channel, "anyone for coffee?", user=bo)
    rollback = fake_slack.add_message(channel, "Rollback done & verified", user=ana)
    fake_slack.pin(channel, rollback)
    fake_slack.react(channel, fake_slack.add_message(channel, "thumbs only", user=bo), "+1")

    first = sync_incident(slack_store, slack_settings, 1)
    second = sync_incident(slack_store, slack_settings, 1)

    assert (first.added, second.added, second.unchanged) == (2, 0, 2)
    entries = slack_entries(slack_store)
    assert [(e.text, e.author) for e in entries] == [
        ("Primary DB failed over, @Ana Ruiz is on it", "Bo Chen"),
        ("Rollback done & verified", "Ana Ruiz"),
    ]
    assert entries[0].occurred_at == message_time(failover)
    assert entries[0].permalink == fake_slack.permalink(channel, failover)
    assert entries[1].permalink == fake_slack.permalink(channel, rollback)


def test_an_edit_in_slack_updates_the_entry_and_keeps_its_history(
    fake_slack: FakeSlack, slack_settings: Settings, slack_store: Store, channel: str
) -> None:
    ts = fake_slack.add_message(channel, "Root cause: expired cert", user=BOT_USER.replace("BOT", "HUM"))
    fake_slack.pin(channel, ts)
    sync_incident(slack_store, slack_settings, 1)
    fake_slack.edit_message(channel, ts, "Root cause: expired intermediate cert")

    report = sync_incident(slack_store, slack_settings, 1)

    assert report.updated == 1
    [entry] = slack_entries(slack_store)
    assert entry.text == "Root cause: expired intermediate cert" and entry.edited
    assert [h.old_text for h in slack_store.entry_history(entry.id)] == ["Root cause: expired cert"]


def test_ictuis_own_messages_and_slack_notices_are_not_pulled_back(
    fake_slack: FakeSlack, slack_settings: Settings, slack_store: Store, channel: str
) -> None:
    slack_store.queue_update(1, "We are rolling back", author="ana")
    deliver_pending(slack_store, slack_settings)
    [posted] = fake_slack.bot_messages(channel)
    fake_slack.pin(channel, posted["ts"])
    join = fake_slack.add_message(channel, "<@U1> has joined the channel", subtype="channel_join")
    fake_slack.react(channel, join, "pushpin")

    assert sync_incident(slack_store, slack_settings, 1).added == 0


def test_sync_active_polls_every_incident_with_a_channel(
    fake_slack: FakeSlack, slack_settings: Settings, slack_store: Store, channel: str
) -> None:
    slack_store.declare("Still in triage", status=Status.TRIAGE)
    fake_slack.pin(channel, fake_slack.add_message(channel, "Mitigated by scaling out"))

    reports = sync_active(slack_store, slack_settings)

    assert [(r.number, r.added) for r in reports] == [(1, 1)]


def test_sync_needs_a_channel_and_a_token(slack_settings: Settings, slack_store: Store) -> None:
    slack_store.declare("Still in triage", status=Status.TRIAGE)
    with pytest.raises(InvalidInput, match="no Slack channel yet"):
        sync_incident(slack_store, slack_settings, 1)


def test_escalations_follow_the_cursor_and_skip_slack_notices(
    fake_slack: FakeSlack, slack_settings: Settings, slack_store: Store
) -> None:
    support = fake_slack.support  # type: ignore[attr-defined]
    carla = fake_slack.add_user("carla", "carla@example.com", "Carla Support")
    for n in range(1, 4):
        fake_slack.add_message(support, f"Customer {n}: export is stuck", user=carla)
    for _ in range(4):
        fake_slack.add_message(support, "someone joined", subtype="channel_join")
    fake_slack.add_message(support, "Customer 4: cannot log in\nsince 9:00, SSO", user=carla)

    messages = fetch_escalations(slack_settings, limit=3, store=slack_store)

    assert [m.title for m in messages] == [
        "Customer 4: cannot log in",
        "Customer 3: export is stuck",
        "Customer 2: export is stuck",
    ]
    assert all(m.author == "Carla Support" for m in messages)
    pages = fake_slack.calls_to("conversations.history")
    assert len(pages) == 3 and pages[1].params.get("cursor")


def test_importing_an_escalation_starts_a_triage_from_the_message_once(
    fake_slack: FakeSlack, slack_settings: Settings, slack_store: Store
) -> None:
    support = fake_slack.support  # type: ignore[attr-defined]
    carla = fake_slack.add_user("carla", "carla@example.com", "Carla Support")
    ts = fake_slack.add_message(
        support, "ACME says invoices show <https://x.example|wrong totals> since 8:00", user=carla
    )
    link = fake_slack.permalink(support, ts)

    view = import_escalation(slack_store, slack_settings, link, author="ana")

    assert (
        view.status is Status.TRIAGE
        and view.title == "ACME says invoices show wrong totals (https://x.example) since 8:00"
    )
    assert view.reported_at == message_time(ts)
    first = slack_store.timeline(view.number)[0]
    assert (first.author, first.permalink, first.key_event) == ("Carla Support", link, KeyEvent.DETECTED)
    assert first.text.startswith("ACME says invoices show wrong totals")
    assert [m.imported_as for m in fetch_escalations(slack_settings, store=slack_store)] == [view.number]
    with pytest.raises(InvalidInput, match=f"already imported as #{view.number}"):
        import_escalation(slack_store, slack_settings, ts)


def test_an_escalation_by_ts_comes_from_the_escalation_channel(
    fake_slack: FakeSlack, slack_settings: Settings, slack_store: Store
) -> None:
    ts = fake_slack.add_message(fake_slack.support, "Search is slow")  # type: ignore[attr-defined]
    assert import_escalation(slack_store, slack_settings, ts).title == "Search is slow"
    with pytest.raises(InvalidInput, match="neither a message ts"):
        import_escalation(slack_store, slack_settings, "yesterday's message")


def test_triage_titles_are_the_first_line_cut_at_a_word() -> None:
    assert triage_title("\n\nDown!\nmore") == "Down!"
    assert triage_title("") == "Escalation from Slack"
    long = triage_title("word " * 40)
    assert len(long) <= 80 and long.endswith("word…")


def test_history_is_read_from_the_incidents_start_only(
    fake_slack: FakeSlack, slack_settings: Settings, slack_store: Store, channel: str
) -> None:
    from ictui.slack.sync import OLDEST_MARGIN_SECONDS

    sync_incident(slack_store, slack_settings, 1)
    [call] = fake_slack.calls_to("conversations.history")[-1:]
    started = slack_store.incident(1).as_row().started_at.timestamp()
    assert float(call.params["oldest"]) == pytest.approx(started - OLDEST_MARGIN_SECONDS, abs=0.01)
    assert call.params["channel"] == channel


def test_one_poller_per_database_decided_by_a_lease(
    fake_slack: FakeSlack, slack_settings: Settings, slack_store: Store, channel: str
) -> None:
    from ictui.slack.sync import Poller

    other = Store(slack_store.server if slack_store.on_server else slack_store.path)
    try:
        first, second = Poller(slack_store, slack_settings, "one"), Poller(other, slack_settings, "two")
        before = len(fake_slack.calls_to("conversations.history"))
        first.poll()
        second.poll()
        assert first.holding and not second.holding
        assert len(fake_slack.calls_to("conversations.history")) == before + 1
        # The holder lets go (its cockpit closed): the other takes over at its next turn.
        first.close()
        second.poll()
        assert second.holding
        assert len(fake_slack.calls_to("conversations.history")) == before + 2
    finally:
        other.close()


def test_a_lapsed_lease_is_taken_over_on_either_engine(any_store: Store) -> None:
    revision = any_store.revision()
    assert any_store.hold_lease("slack-poll", "dead-cockpit", 0.0)
    assert any_store.hold_lease("slack-poll", "live-cockpit", 60.0)
    assert not any_store.hold_lease("slack-poll", "third", 60.0)
    assert any_store.hold_lease("slack-poll", "live-cockpit", 60.0)  # renewed by its holder
    any_store.release_lease("slack-poll", "third")  # not its lease: nothing happens
    assert not any_store.hold_lease("slack-poll", "third", 60.0)
    any_store.release_lease("slack-poll", "live-cockpit")
    assert any_store.hold_lease("slack-poll", "third", 60.0)
    assert any_store.revision() == revision  # cockpits do not reload for a lease


def test_a_rate_limited_poll_never_sleeps_and_leaves_slack_alone_for_retry_after(
    fake_slack: FakeSlack, slack_settings: Settings, slack_store: Store, channel: str
) -> None:
    import time

    from ictui.slack.sync import Poller

    poller = Poller(slack_store, slack_settings, "one")
    fake_slack.rate_limit_next(1, retry_after=30)
    started = time.monotonic()

    assert poller.poll() == ""

    assert time.monotonic() - started < 10  # not the 30 s Slack asked for
    assert poller.quiet_until >= started + 29
    calls = len(fake_slack.calls)
    poller.poll()
    assert len(fake_slack.calls) == calls  # Slack is left alone until then
