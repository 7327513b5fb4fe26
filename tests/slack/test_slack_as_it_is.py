"""Slack as real workspaces are, end to end through slack_sdk and the fake Slack: a refused
item dropped or edited, a guest IC, a workspace where only admins create channels, an
archived channel, chat.postMessage's HTTP-200 rate_limited, Slack's 12,000-character cap.
Each leaves the incident announced and its later updates delivered."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ictui.config import Settings
from ictui.domain.enums import EntryKind, OutboxState, UpdateState
from ictui.domain.errors import InvalidInput
from ictui.slack.outbox import deliver_pending
from ictui.store import Store
from support.fake_slack import FakeSlack


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store(tmp_path / "real.db")
    opened.add_person("Ana Ruiz", "ana@example.com", ["EM"])
    opened.add_person("Gus Guest", "gus@partner.example", ["engineer"])
    yield opened
    opened.close()


def declare(store: Store) -> None:
    store.declare("Checkout fails", ic_email="ana@example.com", summary="Cards time out", author="ana")


def open_incident(fake: FakeSlack, store: Store, settings: Settings) -> str:
    fake.add_user("ana", "ana@example.com", "Ana Ruiz")
    declare(store)
    assert deliver_pending(store, settings).settled
    return store.incident(1).slack_channel_id


def texts(fake: FakeSlack, channel: str) -> list[str]:
    return [m["text"].split(": ", 1)[1] for m in fake.bot_messages(channel)]


def slack_steps(store: Store) -> list[str]:
    return [e.text for e in store.timeline(1) if e.kind is EntryKind.SLACK]


# ---------------------------------------------------------------------- nothing waits for ever


def test_a_refused_update_holds_the_next_back_until_dropped_and_the_light_says_why(
    fake_slack: FakeSlack, slack_settings: Settings, store: Store
) -> None:
    channel = open_incident(fake_slack, store, slack_settings)
    store.queue_update(1, "Investigating", author="ana")
    store.queue_update(1, "Mitigated", author="ana")
    fake_slack.fail_next("chat.postMessage", "invalid_blocks")

    deliver_pending(store, slack_settings)

    refused, held = store.outbox_items()
    assert refused.state is OutboxState.FAILED and held.state is OutboxState.PENDING
    health = store.outbox_health()
    [why] = health.held
    assert (why.item_id, why.incident_number, why.waiting) == (refused.id, 1, 1)
    from ictui.domain.slack_light import held_back_for, slack_light

    assert held_back_for(health, 1).startswith(
        f"#1's updates held behind item {refused.id}: Slack refused the message layout"
    )
    assert "d drops it" in held_back_for(health, 1)
    assert held_back_for(health, 2) == ""
    light = slack_light(True, health, "", refused.created_at)
    assert f"held behind item {refused.id}" in light.text

    assert store.outbox_drop(refused.id, author="ana") == f"item {refused.id} (post a status update)"

    assert deliver_pending(store, slack_settings).settled
    assert texts(fake_slack, channel) == ["Mitigated"]
    assert (
        store.updates(1)[0].state is UpdateState.FAILED and "dropped by ana" in store.updates(1)[0].last_error
    )
    assert any(
        f"ana dropped outbox item {refused.id}" in line and "invalid_blocks" in line
        for line in [e.text for e in store.timeline(1)]
    )
    assert store.outbox_health().held == ()


def test_a_refused_update_edited_is_sent_again_in_its_place(
    fake_slack: FakeSlack, slack_settings: Settings, store: Store
) -> None:
    channel = open_incident(fake_slack, store, slack_settings)
    store.queue_update(1, "Investigating", author="ana")
    store.queue_update(1, "Mitigated", author="ana")
    fake_slack.fail_next("chat.postMessage", "msg_blocks_too_long")
    deliver_pending(store, slack_settings)
    refused = store.outbox_items()[0]
    assert store.outbox_item_text(refused.id) == "Investigating"

    with pytest.raises(InvalidInput, match="too long for Slack"):
        store.outbox_edit(refused.id, "&" * 3_000, author="ana")
    store.outbox_edit(refused.id, "Investigating the card processor", author="ana")

    assert deliver_pending(store, slack_settings).settled
    assert texts(fake_slack, channel) == ["Investigating the card processor", "Mitigated"]
    assert any("ana edited outbox item" in e.text for e in store.timeline(1))


def test_an_item_in_flight_or_done_cannot_be_dropped(
    fake_slack: FakeSlack, slack_settings: Settings, store: Store
) -> None:
    open_incident(fake_slack, store, slack_settings)
    done = store.outbox_items(include_done=True)[0]
    with pytest.raises(InvalidInput, match="done already"):
        store.outbox_drop(done.id)
    with pytest.raises(InvalidInput, match="no outbox item"):
        store.outbox_drop(999)


def test_a_failed_announcement_or_note_never_holds_updates_back(
    fake_slack: FakeSlack, slack_settings: Settings, store: Store
) -> None:
    channel = open_incident(fake_slack, store, slack_settings)
    store.add_entry(1, "Failover started", author="ana", shared=True)
    store.queue_update(1, "Mitigated", author="ana")
    fake_slack.fail_next("chat.postMessage", "invalid_blocks")

    report = deliver_pending(store, slack_settings)

    assert report.failed == 1 and report.pending == 0
    assert texts(fake_slack, channel) == ["Mitigated"]


# ---------------------------------------------------------------------- rate_limited, HTTP 200


def test_chat_post_messages_http_200_rate_limited_is_retried_not_final(
    fake_slack: FakeSlack, slack_settings: Settings, store: Store
) -> None:
    channel = open_incident(fake_slack, store, slack_settings)
    store.queue_update(1, "Mitigated", author="ana")
    fake_slack.post_rate_limited_next(1)

    first = deliver_pending(store, slack_settings)

    assert first.retrying == 1 and first.failed == 0
    assert [c.status for c in fake_slack.calls_to("chat.postMessage")][-1] == 200
    assert deliver_pending(store, slack_settings, max_seconds=10).settled
    assert texts(fake_slack, channel) == ["Mitigated"]


# ---------------------------------------------------------------------- Slack's real cap


def test_an_update_of_any_length_is_refused_at_once_or_delivered(
    fake_slack: FakeSlack, slack_settings: Settings, store: Store
) -> None:
    channel = open_incident(fake_slack, store, slack_settings)
    with pytest.raises(InvalidInput, match="shorten it by"):
        store.queue_update(1, "x" * 15_000, author="ana")
    # The longest that fits, in many sections, is taken by a Slack that enforces 12,000.
    longest = ("word " * 2_400)[:11_500].strip()
    store.queue_update(1, longest, author="ana")
    store.queue_update(1, "Mitigated", author="ana")

    assert deliver_pending(store, slack_settings).settled
    assert texts(fake_slack, channel)[-1] == "Mitigated"
    assert len(fake_slack.bot_messages(channel)[0]["blocks"]) > 4


def test_the_fake_slack_refuses_blocks_over_12000_characters(fake_slack: FakeSlack) -> None:
    from slack_sdk import WebClient
    from slack_sdk.errors import SlackApiError

    client = WebClient(token=fake_slack.token, base_url=fake_slack.url)
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "a" * 2_500}} for _ in range(5)]
    with pytest.raises(SlackApiError) as refused:
        client.chat_postMessage(channel=fake_slack.rnd, text="t", blocks=blocks)  # type: ignore[attr-defined]
    assert refused.value.response["error"] == "msg_blocks_too_long"
    assert client.chat_postMessage(channel=fake_slack.rnd, text="t", blocks=blocks[:4])["ok"]  # type: ignore[attr-defined]


def test_a_long_pin_is_stored_capped_and_what_we_know_stays_short(store: Store) -> None:
    from ictui.domain.clock import now
    from ictui.domain.slack_text import slack_length
    from ictui.domain.templates import KNOWN_TOTAL, known_facts, update_text

    declare(store)
    outcome = store.upsert_slack_entry(
        1,
        slack_ts="1700000000.000100",
        text="&" * 60_000,
        author="Bo",
        at=now(),
        permalink="https://x.slack.com/archives/C1/p1",
    )
    assert outcome == "added"
    pinned = next(e for e in store.timeline(1) if e.author == "Bo")
    assert len(pinned.text) < 5_000 and pinned.text.endswith("[cut: the whole message is in Slack]")
    for n in range(5):
        store.add_entry(1, "a" * 5_000 + str(n), author="ana")
    facts = known_facts(store.timeline(1))
    assert facts and sum(slack_length(f) for f in facts) <= KNOWN_TOTAL
    # The one-key update built on them is one Slack takes.
    text = update_text(store.incident(1), store.timeline(1), now())
    store.queue_update(1, text, author="ana")


# ---------------------------------------------------------------------- no hidden incident


def test_a_guest_ic_is_not_invited_but_the_channel_announcement_and_updates_go(
    fake_slack: FakeSlack, slack_settings: Settings, store: Store
) -> None:
    fake_slack.add_user("gus", "gus@partner.example", "Gus Guest", guest=True)
    fake_slack.add_user("bo", "bo@example.com", "Bo Chen", uninvitable=True)
    store.add_person("Bo Chen", "bo@example.com", ["engineer"])
    store.declare("Checkout fails", ic_email="gus@partner.example", author="ana")
    from ictui.domain.enums import IncidentRole

    store.assign_role(1, IncidentRole.RESPONDER, "bo@example.com", author="ana")
    store.queue_update(1, "Investigating", author="ana")

    report = deliver_pending(store, slack_settings)

    assert report.settled and report.failed == 0, report
    channel = store.incident(1).slack_channel_id
    assert texts(fake_slack, channel) == ["Investigating"]
    assert len(fake_slack.bot_messages(fake_slack.rnd)) == 1  # type: ignore[attr-defined]
    refusal = next(s for s in slack_steps(store) if s.startswith("Slack refused to invite"))
    assert "Gus Guest (user_is_restricted" in refusal and "Bo Chen (cant_invite" in refusal


def test_where_only_admins_create_channels_the_incident_is_announced_and_updated_in_broadcast(
    fake_slack: FakeSlack, slack_settings: Settings, store: Store, tmp_path: Path
) -> None:
    fake_slack.add_user("ana", "ana@example.com", "Ana Ruiz")
    fake_slack.restrict_channel_creation = True
    declare(store)
    store.queue_update(1, "Investigating", author="ana")

    report = deliver_pending(store, slack_settings)

    assert report.settled and report.failed == 0, report
    rnd = fake_slack.rnd  # type: ignore[attr-defined]
    announcement, update = fake_slack.bot_messages(rnd)
    assert "Updates: in this channel" in announcement["text"]
    assert update["text"].endswith("Investigating")
    assert fake_slack.channels[rnd].topic == ""  # never the broadcast channel's topic
    refused = next(
        s for s in slack_steps(store) if s.startswith("Slack refused to create the incident channel")
    )
    assert "restricted_action" in refused and "updates go to #rnd" in refused
    # A SEV1/2 update is not posted twice in the same channel.
    assert len(fake_slack.calls_to("chat.postMessage", ok_only=True)) == 2
    from ictui.slack.doctor import admin_requests

    [ask] = admin_requests(store)
    assert "restricted_action" in ask and "create channels" in ask


def test_an_archived_incident_channel_is_unarchived_when_slack_lets_the_bot(
    fake_slack: FakeSlack, slack_settings: Settings, store: Store
) -> None:
    channel = open_incident(fake_slack, store, slack_settings)
    fake_slack.archive(channel)
    fake_slack.bot_can_unarchive = True
    store.queue_update(1, "Mitigated", author="ana")

    assert deliver_pending(store, slack_settings).settled
    assert texts(fake_slack, channel) == ["Mitigated"]
    assert any(s.endswith("unarchived") for s in slack_steps(store))


def test_an_archived_incident_channel_the_bot_cannot_unarchive_tells_the_ic(
    fake_slack: FakeSlack, slack_settings: Settings, store: Store
) -> None:
    channel = open_incident(fake_slack, store, slack_settings)
    fake_slack.archive(channel)
    store.queue_update(1, "Mitigated", author="ana")

    report = deliver_pending(store, slack_settings)

    [item] = store.outbox_items()
    assert report.failed == 1
    assert "is archived (is_archived) and Slack does not let the bot unarchive it" in item.last_error
    assert f"--retry {item.id}" in item.last_error


# ---------------------------------------------------------------------- Why 8


def test_a_title_in_another_script_keeps_its_words_in_the_channel_name(
    fake_slack: FakeSlack, slack_settings: Settings, store: Store
) -> None:
    fake_slack.add_user("ana", "ana@example.com", "Ana Ruiz")
    store.declare("決済が失敗する", ic_email="ana@example.com", author="ana")

    assert deliver_pending(store, slack_settings).settled
    assert store.incident(1).slack_channel_name == "incident-1-決済が失敗する"


def test_invitations_are_split_by_slacks_per_call_limit(
    fake_slack: FakeSlack, slack_settings: Settings, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ictui.domain.enums import IncidentRole
    from ictui.slack import channel_steps

    monkeypatch.setattr(channel_steps, "INVITE_CHUNK", 2)
    fake_slack.add_user("ana", "ana@example.com", "Ana Ruiz")
    store.declare("Checkout fails", ic_email="ana@example.com", author="ana")
    for n in range(4):
        store.add_person(f"Person {n}", f"p{n}@example.com", ["engineer"])
        fake_slack.add_user(f"p{n}", f"p{n}@example.com", f"Person {n}")
        store.assign_role(1, IncidentRole.RESPONDER, f"p{n}@example.com", author="ana")

    assert deliver_pending(store, slack_settings).settled
    calls = fake_slack.calls_to("conversations.invite", ok_only=True)
    assert all(len(c.params["users"].split(",")) <= 2 for c in calls)
    channel = fake_slack.channels[store.incident(1).slack_channel_id]
    assert len(channel.members) >= 5


@pytest.mark.parametrize(
    "url, allowed",
    [
        ("https://slack.com/api/", True),
        ("http://127.0.0.1:9999/api/", True),
        ("http://[::1]:9999/api/", True),
        ("http://localhost:9999/api/", True),
        ("http://slack.example.com/api/", False),
        ("ftp://127.0.0.1/api/", False),
        ("slack.com/api", False),
    ],
)
def test_the_api_url_carries_the_token_only_over_https_or_to_this_machine(url: str, allowed: bool) -> None:
    from ictui.slack.client import SlackFailure, check_api_url

    if allowed:
        check_api_url(url)
    else:
        with pytest.raises(SlackFailure, match="must start with https://"):
            check_api_url(url)


def test_the_fake_slack_refuses_more_than_1000_invitees_in_one_call(fake_slack: FakeSlack) -> None:
    from slack_sdk import WebClient
    from slack_sdk.errors import SlackApiError

    client = WebClient(token=fake_slack.token, base_url=fake_slack.url)
    with pytest.raises(SlackApiError) as refused:
        client.conversations_invite(channel=fake_slack.rnd, users=",".join(f"U{n:08d}" for n in range(1001)))  # type: ignore[attr-defined]
    assert refused.value.response["error"] == "too_many_users"
