"""Every error code in ictui's table (slack/errors.py), answered by the fake Slack through
the real slack_sdk over HTTP, does what its class says: retried codes are tried again and
go out once; a refused token stops the run; admin, final and bug codes fail that one item
with words a person can act on; a code about one invitee never fails the channel."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ictui.config import Settings
from ictui.domain.enums import EntryKind, OutboxState
from ictui.slack.errors import ADMIN, BUG, ERRORS, FINAL, PART, RETRY, TOKEN, classify
from ictui.slack.outbox import deliver_pending
from ictui.store import Store
from support.fake_slack import FakeSlack

# Codes ictui answers itself rather than failing the item.
RECOVERED = {
    "not_in_channel": "joins the channel, then posts",
    "already_in_channel": "the person is there already",
    "cant_invite_self": "the bot is there already",
}


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = Store(tmp_path / "codes.db")
    opened.add_person("Ana Ruiz", "ana@example.com", ["EM"])
    yield opened
    opened.close()


def open_incident(fake: FakeSlack, store: Store, settings: Settings) -> str:
    fake.add_user("ana", "ana@example.com", "Ana Ruiz")
    store.declare("Checkout fails", ic_email="ana@example.com", summary="Cards time out", author="ana")
    assert deliver_pending(store, settings).settled
    return store.incident(1).slack_channel_id


def by_kind(*kinds: str) -> list[str]:
    return sorted(code for code, c in ERRORS.items() if c.kind in kinds and code not in RECOVERED)


def test_the_table_classifies_the_codes_the_issue_names() -> None:
    for code in (
        "ratelimited",
        "rate_limited",
        "internal_error",
        "fatal_error",
        "service_unavailable",
        "request_timeout",
    ):
        assert classify(code).kind == RETRY, code
    for code in ("restricted_action", "missing_scope", "not_allowed_token_type", "ekm_access_denied"):
        assert classify(code).kind == ADMIN, code
        assert "Slack admin" in classify(code).words or "Slack app" in classify(code).words, code
    for code in ("invalid_blocks", "msg_too_long", "msg_blocks_too_long"):
        assert classify(code).kind == FINAL, code
    for code in ("user_is_restricted", "cant_invite", "user_not_found"):
        assert classify(code).kind == PART, code
    # A code Slack adds later is final for its item: it never blocks for ever, nor loops.
    assert classify("some_new_code").kind == FINAL


@pytest.mark.parametrize("code", by_kind(RETRY))
def test_a_retried_code_is_tried_again_and_the_update_goes_out_once(
    code: str, fake_slack: FakeSlack, slack_settings: Settings, store: Store
) -> None:
    channel = open_incident(fake_slack, store, slack_settings)
    store.queue_update(1, "Rolled back", author="ana")
    fake_slack.fail_next("chat.postMessage", code)

    first = deliver_pending(store, slack_settings)

    assert first.failed == 0 and first.retrying == 1
    [item] = store.outbox_items()
    assert item.state is OutboxState.PENDING and item.next_attempt_at is not None
    assert deliver_pending(store, slack_settings, max_seconds=10).settled
    assert [m["text"].endswith("Rolled back") for m in fake_slack.bot_messages(channel)] == [True]


@pytest.mark.parametrize("code", by_kind(TOKEN))
def test_a_refused_token_stops_the_run_and_says_what_to_do(
    code: str, fake_slack: FakeSlack, slack_settings: Settings, store: Store
) -> None:
    open_incident(fake_slack, store, slack_settings)
    store.queue_update(1, "one", author="ana")
    store.queue_update(1, "two", author="ana")
    fake_slack.fail_next("chat.postMessage", code)
    posts_before = len(fake_slack.calls_to("chat.postMessage"))

    report = deliver_pending(store, slack_settings)

    assert report.stopped == store.outbox_items()[0].last_error
    assert classify(code).words in report.stopped
    assert len(fake_slack.calls_to("chat.postMessage")) == posts_before + 1  # nothing more was tried


@pytest.mark.parametrize("code", by_kind(ADMIN, FINAL, BUG))
def test_an_admin_or_final_code_fails_that_item_in_words_and_can_be_dropped(
    code: str, fake_slack: FakeSlack, slack_settings: Settings, store: Store
) -> None:
    channel = open_incident(fake_slack, store, slack_settings)
    store.queue_update(1, "one", author="ana")
    store.queue_update(1, "two", author="ana")
    fake_slack.fail_next("chat.postMessage", code)

    report = deliver_pending(store, slack_settings)

    assert report.failed == 1 and not report.stopped
    first, second = store.outbox_items()
    assert first.state is OutboxState.FAILED
    expected = "scope" if code == "missing_scope" else classify(code).words
    if code == "is_archived":
        expected = "archived"
    assert expected in first.last_error and code in first.last_error
    assert "which Slack refused" in second.waiting_for
    # Nothing waits for ever: dropping it lets the next update go.
    store.outbox_drop(first.id, author="ana")
    assert deliver_pending(store, slack_settings).settled
    assert [m["text"].split(": ", 1)[1] for m in fake_slack.bot_messages(channel)] == ["two"]


@pytest.mark.parametrize("code", [*by_kind(PART), "already_in_channel", "restricted_action"])
def test_a_code_about_one_invitee_never_fails_the_channel(
    code: str, fake_slack: FakeSlack, slack_settings: Settings, store: Store
) -> None:
    fake_slack.add_user("ana", "ana@example.com", "Ana Ruiz")
    fake_slack.fail_next("conversations.invite", code)
    store.declare("Checkout fails", ic_email="ana@example.com", author="ana")

    report = deliver_pending(store, slack_settings)

    assert report.settled and report.failed == 0, report
    incident = store.incident(1)
    assert incident.slack_channel_id
    steps = [e.text for e in store.timeline(1) if e.kind is EntryKind.SLACK]
    assert any(s.startswith("Announced in #rnd") for s in steps)
    if code not in RECOVERED:
        assert any(s.startswith("Slack refused to invite: Ana Ruiz") and code in s for s in steps), steps


def test_recovered_codes_are_handled_without_failing(
    fake_slack: FakeSlack, slack_settings: Settings, store: Store
) -> None:
    channel = open_incident(fake_slack, store, slack_settings)
    store.queue_update(1, "one", author="ana")
    fake_slack.fail_next("chat.postMessage", "not_in_channel")

    assert deliver_pending(store, slack_settings).settled
    assert len(fake_slack.bot_messages(channel)) == 1
    assert fake_slack.calls_to("conversations.join", ok_only=True)
