"""The outbox delivered to a fake Slack over real HTTP: channel, invites, announcement,
updates; and what happens when Slack limits, fails, goes away, or the app dies mid-way.
On a SQLite file and on a PostgreSQL server alike (tests/support/pg_server.py)."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from ictui.config import Settings
from ictui.domain.enums import EntryKind, IncidentRole, OutboxState, Severity, Status, UpdateState
from ictui.domain.errors import InvalidInput
from ictui.domain.views import IncidentView
from ictui.slack.outbox import EVENT_TYPE, deliver_pending, retry_failed
from ictui.store import Store
from support.fake_slack import BOT_USER, FakeSlack
from support.pg_server import database_for


@pytest.fixture
def slack_store(request: pytest.FixtureRequest, engine: str, tmp_path: Path) -> Iterator[Store]:
    """conftest_slack's store (a team and two people), on each engine in turn."""
    store = Store(database_for(request, engine, tmp_path, "slack.db"))
    store.add_team("payments", ["checkout", "billing"])
    store.add_person("Ana Ruiz", "ana@example.com", ["EM"], "payments")
    store.add_person("Bo Chen", "bo@example.com", ["engineer"], "payments")
    yield store
    store.close()


def db_argument(store: Store) -> str:
    """What --db says to reach the store's database from another process."""
    return store.server.url if store.on_server else str(store.path)


TITLE = "Checkout fails for EU customers"
CHANNEL = "incident-1-checkout-fails-for-eu-customers"


def declare(store: Store, severity: Severity = Severity.SEV2, title: str = TITLE) -> IncidentView:
    return store.declare(
        title, severity=severity, ic_email="ana@example.com", summary="Card payments time out", author="ana"
    )


def open_channel(
    fake: FakeSlack, store: Store, settings: Settings, severity: Severity = Severity.SEV3
) -> str:
    """An incident whose channel, topic, invites and announcement are done."""
    fake.add_user("ana", "ana@example.com", "Ana Ruiz")
    view = declare(store, severity)
    assert deliver_pending(store, settings).settled
    return store.incident(view.number).slack_channel_id


def posted_texts(fake: FakeSlack, channel: str) -> list[str]:
    return [m["text"] for m in fake.bot_messages(channel)]


def update_texts(fake: FakeSlack, channel: str) -> list[str]:
    return [t.split(": ", 1)[1] for t in posted_texts(fake, channel)]


def test_declare_creates_channel_sets_topic_invites_and_announces_each_step_on_the_timeline(
    fake_slack: FakeSlack, slack_settings: Settings, slack_store: Store
) -> None:
    ana = fake_slack.add_user("ana", "ana@example.com", "Ana Ruiz")
    bo = fake_slack.add_user("bo", "bo@example.com", "Bo Chen")
    view = declare(slack_store)
    slack_store.assign_role(view.number, IncidentRole.RESPONDER, "bo@example.com", author="ana")

    report = deliver_pending(slack_store, slack_settings)

    assert report.settled and report.failed == 0, report
    incident = slack_store.incident(view.number)
    assert incident.slack_channel_name == CHANNEL
    channel = fake_slack.channels[incident.slack_channel_id]
    assert channel.name == CHANNEL
    assert channel.topic == "SEV2 · investigating · IC Ana Ruiz"
    assert {ana, bo} <= channel.members
    [announcement] = fake_slack.bot_messages(fake_slack.rnd)  # type: ignore[attr-defined]
    assert f"<#{channel.id}>" in announcement["text"]
    for expected in ("SEV2", "Ana Ruiz", "Card payments time out", TITLE):
        assert expected in announcement["text"]
    steps = [e for e in slack_store.timeline(view.number) if e.kind is EntryKind.SLACK]
    assert [s.text for s in steps] == [
        f"Slack channel #{CHANNEL} created",
        "Channel topic set: SEV2 · investigating · IC Ana Ruiz",
        f"Invited to #{CHANNEL}: Ana Ruiz, Bo Chen",
        "Announced in #rnd",
    ]
    assert all(s.permalink for s in steps)
    assert steps[-1].permalink == fake_slack.permalink(fake_slack.rnd, announcement["ts"])  # type: ignore[attr-defined]
    methods = [c.method for c in fake_slack.calls if c.ok]
    assert (
        methods.index("conversations.create")
        < methods.index("conversations.setTopic")
        < methods.index("conversations.invite")
        < methods.index("chat.postMessage")
    )
    # Slack ids found by email are remembered: the next invitation needs no lookup.
    assert {p.email: p.slack_user_id for p in slack_store.people()}["bo@example.com"] == bo


def test_an_update_is_posted_once_tagged_and_mirrored_for_sev2(
    fake_slack: FakeSlack, slack_settings: Settings, slack_store: Store
) -> None:
    channel = open_channel(fake_slack, slack_store, slack_settings, Severity.SEV2)
    queued = slack_store.queue_update(1, "Rolled back the deploy; payments recover", author="ana")

    report = deliver_pending(slack_store, slack_settings)

    [message] = fake_slack.bot_messages(channel)
    assert "Rolled back the deploy; payments recover" in message["text"]
    assert message["metadata"]["event_type"] == EVENT_TYPE
    assert message["metadata"]["event_payload"]["item"] > 0
    update = slack_store.updates(1)[-1]
    assert update.state is UpdateState.SENT and update.attempts == 1
    assert update.permalink == fake_slack.permalink(channel, message["ts"]) == report.permalinks[queued.id]
    mirror = fake_slack.bot_messages(fake_slack.rnd)[-1]  # type: ignore[attr-defined]
    assert "Rolled back the deploy" in mirror["text"]
    assert f"<#{channel}>" in str(mirror["blocks"])
    assert slack_store.timeline(1)[-1].text == f"Status update posted to #{CHANNEL} and #rnd"


def test_a_sev3_update_stays_in_the_incident_channel_unless_mirrored(
    fake_slack: FakeSlack, slack_settings: Settings, slack_store: Store
) -> None:
    channel = open_channel(fake_slack, slack_store, slack_settings, Severity.SEV3)
    slack_store.queue_update(1, "Still looking", author="ana")
    slack_store.queue_update(1, "Found it", author="ana", mirror=True)

    deliver_pending(slack_store, slack_settings)

    assert update_texts(fake_slack, channel) == ["Still looking", "Found it"]
    broadcast = posted_texts(fake_slack, fake_slack.rnd)  # type: ignore[attr-defined]
    assert len(broadcast) == 2 and "Found it" in broadcast[1]


def test_a_taken_channel_name_gets_a_suffix(
    fake_slack: FakeSlack, slack_settings: Settings, slack_store: Store
) -> None:
    fake_slack.add_channel(CHANNEL)
    fake_slack.add_channel(f"{CHANNEL}-2")
    open_channel(fake_slack, slack_store, slack_settings)

    assert slack_store.incident(1).slack_channel_name == f"{CHANNEL}-3"
    assert [c.error for c in fake_slack.calls_to("conversations.create")] == ["name_taken", "name_taken", ""]


def test_a_channel_created_by_a_try_whose_answer_was_lost_is_adopted_not_doubled(
    fake_slack: FakeSlack, slack_settings: Settings, slack_store: Store
) -> None:
    fake_slack.add_user("ana", "ana@example.com", "Ana Ruiz")
    declare(slack_store)
    fake_slack.drop_reply_next("conversations.create")

    first = deliver_pending(slack_store, slack_settings)
    assert first.retrying == 1 and "dropped" in first.errors[0]
    assert deliver_pending(slack_store, slack_settings, max_seconds=5).settled

    assert [c.name for c in fake_slack.channels.values() if c.name.startswith("incident-")] == [CHANNEL]
    assert slack_store.incident(1).slack_channel_name == CHANNEL


def test_a_status_change_updates_the_topic(
    fake_slack: FakeSlack, slack_settings: Settings, slack_store: Store
) -> None:
    channel = open_channel(fake_slack, slack_store, slack_settings)
    slack_store.change_severity(1, Severity.SEV1, "ana")
    slack_store.change_status(1, Status.IDENTIFIED, "ana")

    assert deliver_pending(slack_store, slack_settings).settled
    assert fake_slack.channels[channel].topic == "SEV1 · identified · IC Ana Ruiz"


@pytest.mark.slow
def test_rate_limits_wait_for_retry_after(
    fake_slack: FakeSlack, slack_settings: Settings, slack_store: Store
) -> None:
    channel = open_channel(fake_slack, slack_store, slack_settings)
    slack_store.queue_update(1, "first", author="ana")
    slack_store.queue_update(1, "second", author="ana")
    fake_slack.calls.clear()
    fake_slack.rate_limit_every = 3

    assert deliver_pending(slack_store, slack_settings).settled

    calls = fake_slack.calls
    limited = [i for i, c in enumerate(calls) if c.status == 429]
    assert limited
    for i in limited:
        assert calls[i + 1].at - calls[i].at >= 1.0
    assert update_texts(fake_slack, channel) == ["first", "second"]


@pytest.mark.slow
def test_a_rate_limit_outlasting_the_retries_schedules_the_item_after_retry_after(
    fake_slack: FakeSlack, slack_settings: Settings, slack_store: Store
) -> None:
    open_channel(fake_slack, slack_store, slack_settings)
    slack_store.queue_update(1, "first", author="ana")
    fake_slack.rate_limit_next(3, retry_after=1)

    started = time.monotonic()
    report = deliver_pending(slack_store, slack_settings)

    assert report.retrying == 1 and "rate limiting" in report.errors[0]
    assert time.monotonic() - started >= 2.0  # two retries inside the call, each after Retry-After
    [item] = slack_store.outbox_items()
    assert item.state is OutboxState.PENDING and item.next_attempt_at is not None


def test_server_errors_are_retried_and_the_update_still_goes_out_once(
    fake_slack: FakeSlack, slack_settings: Settings, slack_store: Store
) -> None:
    channel = open_channel(fake_slack, slack_store, slack_settings)
    slack_store.queue_update(1, "first", author="ana")
    fake_slack.server_error_next(1, status=503)

    first = deliver_pending(slack_store, slack_settings)

    assert first.retrying == 1 and "503" in first.errors[0]
    update = slack_store.updates(1)[-1]
    assert update.state is UpdateState.QUEUED and update.attempts == 1 and "server error" in update.last_error
    assert deliver_pending(slack_store, slack_settings, max_seconds=5).settled
    assert update_texts(fake_slack, channel) == ["first"]
    assert slack_store.updates(1)[-1].state is UpdateState.SENT


def test_slack_down_then_back_delivers_each_update_exactly_once_in_order(
    fake_slack: FakeSlack, slack_settings: Settings, slack_store: Store
) -> None:
    channel = open_channel(fake_slack, slack_store, slack_settings)
    fake_slack.go_down()
    for text in ("one", "two", "three"):
        slack_store.queue_update(1, text, author="ana")

    down = deliver_pending(slack_store, slack_settings)

    assert down.delivered == 0 and down.pending == 3
    assert "connection refused" in down.errors[0]
    waiting = slack_store.outbox_items()
    assert [i.state for i in waiting] == [OutboxState.PENDING] * 3
    assert "waits for item" in waiting[1].waiting_for

    fake_slack.come_back()
    back = deliver_pending(slack_store, slack_settings, max_seconds=10)

    assert back.settled and back.delivered == 3
    assert update_texts(fake_slack, channel) == ["one", "two", "three"]


def test_a_reply_lost_after_slack_posted_is_found_in_history_not_posted_again(
    fake_slack: FakeSlack, slack_settings: Settings, slack_store: Store
) -> None:
    channel = open_channel(fake_slack, slack_store, slack_settings)
    slack_store.queue_update(1, "one", author="ana")
    slack_store.queue_update(1, "two", author="ana")
    fake_slack.drop_reply_next("chat.postMessage")

    first = deliver_pending(slack_store, slack_settings)
    assert first.delivered == 0 and update_texts(fake_slack, channel) == ["one"]
    assert [c.dropped for c in fake_slack.calls_to("chat.postMessage")][-1]

    assert deliver_pending(slack_store, slack_settings, max_seconds=5).settled
    assert update_texts(fake_slack, channel) == ["one", "two"]
    one = slack_store.updates(1)[0]
    assert one.state is UpdateState.SENT
    assert one.permalink == fake_slack.permalink(channel, fake_slack.bot_messages(channel)[0]["ts"])


def test_an_item_left_in_flight_by_a_dead_app_is_not_sent_again(
    fake_slack: FakeSlack, slack_settings: Settings, slack_store: Store
) -> None:
    channel = open_channel(fake_slack, slack_store, slack_settings)
    slack_store.queue_update(1, "one", author="ana")
    # The app marked the item in flight, Slack posted it, and the app died before its commit.
    work = slack_store.outbox_claim()
    assert work is not None
    ts = fake_slack.add_message(
        channel,
        "SEV3 #1 (investigating): one",
        user=BOT_USER,
        bot=True,
        metadata={
            "event_type": EVENT_TYPE,
            "event_payload": {
                "db": slack_store.outbox_instance(),
                "item": work.id,
                "part": "channel",
                "incident": 1,
            },
        },
    )
    posts_before = len(fake_slack.calls_to("chat.postMessage"))

    assert deliver_pending(slack_store, slack_settings).settled

    assert len(fake_slack.calls_to("chat.postMessage")) == posts_before
    assert slack_store.updates(1)[-1].permalink == fake_slack.permalink(channel, ts)


def test_another_databases_message_for_the_same_item_id_is_not_taken_for_ours(
    fake_slack: FakeSlack, slack_settings: Settings, slack_store: Store
) -> None:
    channel = open_channel(fake_slack, slack_store, slack_settings)
    slack_store.queue_update(1, "ours", author="ana")
    work = slack_store.outbox_claim()
    assert work is not None
    fake_slack.add_message(
        channel,
        "theirs",
        user=BOT_USER,
        bot=True,
        metadata={
            "event_type": EVENT_TYPE,
            "event_payload": {"db": "another-db", "item": work.id, "part": "channel", "incident": 1},
        },
    )

    assert deliver_pending(slack_store, slack_settings).settled
    assert posted_texts(fake_slack, channel)[-1].endswith("ours")


def test_killed_between_slacks_answer_and_the_commit_no_duplicate(
    fake_slack: FakeSlack, slack_settings: Settings, slack_store: Store, tmp_path: Path
) -> None:
    channel = open_channel(fake_slack, slack_store, slack_settings)
    slack_store.queue_update(1, "one", author="ana")
    fake_slack.stall(30)  # Slack does the work, then takes its time to answer
    env = {**os.environ, "SLACK_BOT_TOKEN": fake_slack.token, "SLACK_API_URL": fake_slack.url}
    process = subprocess.Popen(
        [sys.executable, "-m", "ictui", "--db", db_argument(slack_store), "outbox", "--deliver"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while not fake_slack.bot_messages(channel) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert update_texts(fake_slack, channel) == ["one"]
    finally:
        process.kill()
        process.wait()
    fake_slack.unstall()
    assert [i.state for i in slack_store.outbox_items()] == [OutboxState.IN_FLIGHT]

    assert deliver_pending(slack_store, slack_settings).settled

    assert update_texts(fake_slack, channel) == ["one"]
    assert slack_store.updates(1)[-1].state is UpdateState.SENT


def test_a_revoked_token_fails_plainly_and_loses_nothing(
    fake_slack: FakeSlack, slack_settings: Settings, slack_store: Store
) -> None:
    channel = open_channel(fake_slack, slack_store, slack_settings)
    slack_store.queue_update(1, "one", author="ana")
    slack_store.queue_update(1, "two", author="ana")
    fake_slack.revoke_token()

    report = deliver_pending(slack_store, slack_settings)

    assert "token was revoked" in report.stopped and report.failed == 1 and report.pending == 1
    first, second = slack_store.outbox_items()
    assert first.state is OutboxState.FAILED and "SLACK_BOT_TOKEN" in first.last_error
    assert second.state is OutboxState.PENDING and "waits for item" in second.waiting_for
    update = slack_store.updates(1)[0]
    assert update.state is UpdateState.FAILED and "revoked" in update.last_error
    assert "could not post a status update" in slack_store.timeline(1)[-1].text
    if not slack_store.on_server:
        for path in slack_store.path.parent.glob("slack.db*"):
            assert fake_slack.token.encode() not in path.read_bytes()

    fake_slack.revoked = False
    assert retry_failed(slack_store) == 1
    assert deliver_pending(slack_store, slack_settings).settled
    assert update_texts(fake_slack, channel) == ["one", "two"]


def test_a_deleted_channel_fails_the_update_plainly_and_keeps_it(
    fake_slack: FakeSlack, slack_settings: Settings, slack_store: Store
) -> None:
    open_channel(fake_slack, slack_store, slack_settings)
    slack_store.queue_update(1, "one", author="ana")
    fake_slack.fail_next("chat.postMessage", "channel_not_found")

    report = deliver_pending(slack_store, slack_settings)

    assert report.failed == 1 and report.stopped == ""
    update = slack_store.updates(1)[-1]
    assert update.state is UpdateState.FAILED
    assert (
        update.last_error
        == "the channel was not found (deleted, private, or misspelt in the config) (chat.postMessage: channel_not_found)"
    )
    assert retry_failed(slack_store) == 1 and deliver_pending(slack_store, slack_settings).settled


def test_the_bot_joins_a_broadcast_channel_it_is_not_in_and_tries_once_more(
    fake_slack: FakeSlack, slack_settings: Settings, slack_store: Store
) -> None:
    closed = fake_slack.add_channel("announcements", bot_member=False)
    settings = dataclasses.replace(slack_settings, broadcast_channel="#announcements")
    open_channel(fake_slack, slack_store, settings)

    assert [
        (c.method, c.error)
        for c in fake_slack.calls
        if c.method in ("chat.postMessage", "conversations.join")
    ] == [("chat.postMessage", "not_in_channel"), ("conversations.join", ""), ("chat.postMessage", "")]
    assert len(fake_slack.bot_messages(closed)) == 1


def test_a_missing_broadcast_channel_fails_with_a_plain_message(
    fake_slack: FakeSlack, slack_settings: Settings, slack_store: Store
) -> None:
    fake_slack.add_user("ana", "ana@example.com", "Ana Ruiz")
    declare(slack_store)
    settings = dataclasses.replace(slack_settings, broadcast_channel="#no-such-channel")

    report = deliver_pending(slack_store, settings)

    assert report.failed == 1
    [item] = [i for i in slack_store.outbox_items() if i.state is OutboxState.FAILED]
    assert item.action == "announce" and "no public channel named #no-such-channel" in item.last_error
    # The incident's own updates do not wait for the announcement.
    slack_store.queue_update(1, "one", author="ana", mirror=False)
    assert deliver_pending(slack_store, settings).delivered == 1
    assert update_texts(fake_slack, slack_store.incident(1).slack_channel_id) == ["one"]


def test_an_unknown_email_is_reported_on_the_timeline_and_is_not_fatal(
    fake_slack: FakeSlack, slack_settings: Settings, slack_store: Store
) -> None:
    open_channel(fake_slack, slack_store, slack_settings)
    slack_store.assign_role(1, IncidentRole.RESPONDER, "bo@example.com")  # no Slack account

    assert deliver_pending(slack_store, slack_settings).settled
    assert slack_store.timeline(1)[-1].text == "Not invited, no Slack account has the email: bo@example.com"


def test_without_a_token_nothing_is_attempted_and_items_wait(
    fake_slack: FakeSlack, slack_settings: Settings, slack_store: Store
) -> None:
    fake_slack.add_user("ana", "ana@example.com", "Ana Ruiz")
    declare(slack_store)
    slack_store.queue_update(1, "one", author="ana")
    offline = dataclasses.replace(slack_settings, slack_token="")

    report = deliver_pending(slack_store, offline)

    # The channel, its topic, the announcement and the update (the channel invites the IC).
    assert report.offline and report.summary() == "offline: 4 pending"
    assert fake_slack.calls == []
    assert deliver_pending(slack_store, slack_settings).settled


def test_text_over_slacks_limit_is_refused_before_anything_is_queued(
    fake_slack: FakeSlack, slack_settings: Settings, slack_store: Store
) -> None:
    open_channel(fake_slack, slack_store, slack_settings)
    items_before = len(slack_store.outbox_items(include_done=True))
    # 3,000 ampersands are 15,000 characters once escaped for Slack: over its 12,000.
    with pytest.raises(InvalidInput, match="Slack takes at most 12,000: shorten it by"):
        slack_store.queue_update(1, "&" * 3_000, author="ana")

    assert len(slack_store.outbox_items(include_done=True)) == items_before
    assert all(u.text != "&" * 3_000 for u in slack_store.updates(1))


def test_an_update_written_in_triage_waits_for_the_channel_made_when_declared(
    fake_slack: FakeSlack, slack_settings: Settings, slack_store: Store
) -> None:
    fake_slack.add_user("ana", "ana@example.com", "Ana Ruiz")
    slack_store.declare("Slow search", ic_email="ana@example.com", status=Status.TRIAGE)
    slack_store.queue_update(1, "Looking into it", author="ana")
    report = deliver_pending(slack_store, slack_settings)
    assert report.pending == 1
    assert "channel" in slack_store.outbox_items()[0].waiting_for

    slack_store.change_status(1, Status.INVESTIGATING, "ana")
    assert deliver_pending(slack_store, slack_settings).settled

    channel = slack_store.incident(1).slack_channel_id
    assert update_texts(fake_slack, channel) == ["Looking into it"]


def test_a_shared_note_is_posted_and_linked_from_its_entry(
    fake_slack: FakeSlack, slack_settings: Settings, slack_store: Store
) -> None:
    channel = open_channel(fake_slack, slack_store, slack_settings)
    entry = slack_store.add_entry(1, "Failover to the standby DB started", author="ana", shared=True)

    assert deliver_pending(slack_store, slack_settings).settled

    [message] = fake_slack.bot_messages(channel)
    assert "Failover to the standby DB started" in message["text"]
    [stored] = [e for e in slack_store.timeline(1) if e.id == entry.id]
    assert stored.permalink == fake_slack.permalink(channel, message["ts"])


def test_a_second_deliverer_stands_aside_while_one_is_running(
    fake_slack: FakeSlack, slack_settings: Settings, slack_store: Store
) -> None:
    declare(slack_store)
    with slack_store.delivery_lock() as mine:
        assert mine
        report = deliver_pending(slack_store, slack_settings)
    assert report.busy and "another ictui is delivering" in report.stopped
    assert fake_slack.calls == []


def test_a_run_stops_when_asked(fake_slack: FakeSlack, slack_settings: Settings, slack_store: Store) -> None:
    declare(slack_store)
    report = deliver_pending(slack_store, slack_settings, max_seconds=30, stop=lambda: True)
    assert report.delivered == 0 and fake_slack.calls_to("chat.postMessage") == []


def test_the_post_mortem_summary_is_posted_to_the_incident_channel(
    fake_slack: FakeSlack, slack_settings: Settings, slack_store: Store
) -> None:
    channel = open_channel(fake_slack, slack_store, slack_settings)
    slack_store.post_postmortem_summary(1)

    assert deliver_pending(slack_store, slack_settings).settled

    [message] = fake_slack.bot_messages(channel)
    assert message["text"].startswith("*Post-mortem of #1 Checkout fails for EU customers*")
    assert slack_store.timeline(1)[-1].text == f"Post-mortem summary posted to #{CHANNEL}"


def test_slack_is_slow_but_answers(
    fake_slack: FakeSlack, slack_settings: Settings, slack_store: Store
) -> None:
    channel = open_channel(fake_slack, slack_store, slack_settings)
    slack_store.queue_update(1, "one", author="ana")
    fake_slack.delay = 0.3
    assert deliver_pending(slack_store, slack_settings).settled
    assert update_texts(fake_slack, channel) == ["one"]


def test_the_update_check_names_the_limit(slack_store: Store) -> None:
    from ictui.slack.render import check_update_text

    # 12,000 characters of block text in all; the heading and context take their share.
    room = 12_000 - 300
    with pytest.raises(InvalidInput, match=r"shorten it by 1$"):
        check_update_text("a" * (room + 1))
    check_update_text("a" * room)
    with pytest.raises(InvalidInput, match=r"shorten it by 4$"):
        check_update_text("&" + "a" * (room - 1))


def test_a_bad_api_url_stops_the_run_with_a_plain_message(
    slack_settings: Settings, slack_store: Store
) -> None:
    declare(slack_store)
    settings = dataclasses.replace(slack_settings, slack_api_url="ftp://127.0.0.1/api/")

    report = deliver_pending(slack_store, settings)

    assert "SLACK_API_URL must start with https://" in report.stopped
    # A setting to fix, not an item Slack refused: nothing is marked failed. (The channel,
    # the announcement and the topic: the IC is invited with the channel's creation.)
    assert (report.failed, report.pending) == (0, 3)


def test_several_deliverers_at_once_post_each_update_exactly_once(
    fake_slack: FakeSlack, slack_settings: Settings, slack_store: Store
) -> None:
    """Three cockpits (or CLIs) delivering at the same moment: one of them delivers each
    item, the others stand aside; nothing is posted twice and nothing is left behind."""
    import threading

    channel = open_channel(fake_slack, slack_store, slack_settings)
    texts = [f"update {n}" for n in range(6)]
    for text in texts:
        slack_store.queue_update(1, text, author="ana")
    others = [Store(slack_store.server if slack_store.on_server else slack_store.path) for _ in range(2)]
    start = threading.Barrier(3)

    def deliver(store: Store) -> None:
        start.wait()
        for _ in range(3):
            deliver_pending(store, slack_settings)

    threads = [threading.Thread(target=deliver, args=(s,)) for s in [slack_store, *others]]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        deliver_pending(slack_store, slack_settings)  # whatever a busy round left: now
        assert update_texts(fake_slack, channel) == texts
        assert [u.state for u in slack_store.updates(1)] == [UpdateState.SENT] * len(texts)
        assert slack_store.outbox_summary().pending == 0
    finally:
        for store in others:
            store.close()
