"""Paging through the outbox to a fake PagerDuty on 127.0.0.1, with PagerDuty's own client:
a page arrives once through outages, is on the record, and is resolved with the incident."""

from __future__ import annotations

from datetime import timedelta

import pytest

from ictui.config import Settings
from ictui.domain.clock import now, pinned
from ictui.domain.enums import OutboxState, Severity, Status
from ictui.domain.outbox import CREATE_CHANNEL
from ictui.domain.paging import PageState
from ictui.paging.delivery import deliver_pages, refresh_acknowledgements
from ictui.store import Store
from support.fake_pagerduty import OTHER_KEY, ROUTING_KEY, FakePagerDuty


@pytest.fixture
def paged(store: Store) -> Store:
    store.add_team("Payments", ["card payments"], pagerduty_key=ROUTING_KEY)
    store.add_person("Marcus Chen", "marcus@example.com", ["EM"], "Payments")
    store.declare(
        "Card payments declined",
        severity=Severity.SEV1,
        components=["card payments"],
        ic_email="marcus@example.com",
        author="Marcus",
    )
    return store


def _page_items(store: Store) -> list:
    return [i for i in store.outbox_items(include_done=True) if i.action in ("page", "resolve_page")]


def test_a_page_reaches_the_teams_service_once_with_the_incident_in_it(
    paged: Store, fake: FakePagerDuty, settings: Settings
) -> None:
    paged.queue_page(1, "payments", "card payments declined", author="Marcus")
    report = deliver_pages(paged, settings)

    assert report.delivered == 1 and report.pending == 0
    (event,) = fake.accepted("trigger")
    body = event.body
    assert body["routing_key"] == ROUTING_KEY
    assert body["payload"]["summary"] == "#1 [SEV1] Card payments declined: card payments declined"
    assert body["payload"]["severity"] == "critical"
    assert "ictui" in body["payload"]["source"] and "Marcus Chen" in body["payload"]["source"]
    (page,) = paged.pages(1)
    assert page.state is PageState.TRIGGERED and body["dedup_key"] == page.dedup_key
    texts = [e.text for e in paged.timeline(1)]
    assert "Paged Payments on-call: card payments declined" in texts
    assert any(t.startswith("PagerDuty: Payments on-call paged") for t in texts)


def test_the_severity_maps_to_pagerdutys_and_the_slack_channel_is_linked(
    paged: Store, fake: FakePagerDuty, settings: Settings
) -> None:
    paged.change_severity(1, Severity.SEV3, "Marcus")
    paged.outbox_checkpoint(1, {}, channel=("C0PAY0001", "incident-1-card-payments"))
    paged.queue_page(1, "Payments", author="Marcus")
    deliver_pages(paged, settings)

    (event,) = fake.accepted("trigger")
    assert event.body["payload"]["severity"] == "warning"
    assert event.body["payload"]["summary"] == "#1 [SEV3] Card payments declined"
    assert event.body["links"] == [
        {"href": "https://slack.com/app_redirect?channel=C0PAY0001", "text": "#incident-1-card-payments"}
    ]


def test_paging_the_same_team_again_reuses_the_open_alert(
    paged: Store, fake: FakePagerDuty, settings: Settings
) -> None:
    paged.queue_page(1, "Payments", "first", author="Marcus")
    paged.queue_page(1, "Payments", "still down", author="Marcus")
    deliver_pages(paged, settings)

    assert len(fake.accepted("trigger")) == 2
    (alert,) = fake.alerts
    assert alert.triggers == 2


def test_pagerduty_down_the_page_waits_with_the_reason_and_then_arrives_once(
    paged: Store, fake: FakePagerDuty, settings: Settings
) -> None:
    fake.fail_next(1, status=503)
    paged.queue_page(1, "Payments", author="Marcus")
    report = deliver_pages(paged, settings)

    assert report.delivered == 0 and report.pending == 1
    summary = paged.paging_summary()
    assert summary.pending == 1 and "503" in summary.last_error
    (page,) = paged.pages(1)
    assert page.state is PageState.QUEUED and page.describe() == "pending: PagerDuty is unavailable (503)"

    report = deliver_pages(paged, settings, max_seconds=10)
    assert report.delivered == 1 and report.pending == 0
    assert len(fake.accepted("trigger")) == 1 and len(fake.alerts) == 1


def test_throttled_the_page_waits_half_a_minute_then_arrives_once(
    paged: Store, fake: FakePagerDuty, settings: Settings
) -> None:
    fake.throttle_next(1)
    paged.queue_page(1, "Payments", author="Marcus")
    deliver_pages(paged, settings)

    (item,) = _page_items(paged)
    assert item.state is OutboxState.PENDING and "429" in item.last_error
    assert item.next_attempt_at is not None and item.next_attempt_at - now() > timedelta(seconds=25)
    assert deliver_pages(paged, settings).delivered == 0  # not due yet: nothing is sent
    with pinned(now().add(seconds=31)):
        assert deliver_pages(paged, settings).delivered == 1
    assert len(fake.accepted("trigger")) == 1 and len(fake.alerts) == 1


def test_a_lost_reply_is_sent_again_and_pagerduty_keeps_one_alert(
    paged: Store, fake: FakePagerDuty, settings: Settings
) -> None:
    fake.drop_reply_next()
    paged.queue_page(1, "Payments", author="Marcus")
    assert deliver_pages(paged, settings).delivered == 0
    assert deliver_pages(paged, settings, max_seconds=10).delivered == 1

    assert len(fake.alerts) == 1 and fake.alerts[0].triggers == 2
    assert paged.pages(1)[0].state is PageState.TRIGGERED


def test_an_invalid_event_is_final_with_pagerdutys_words_and_can_be_retried(
    paged: Store, fake: FakePagerDuty, settings: Settings
) -> None:
    paged.edit_team("Payments", pagerduty_key="Z" * 32)  # a key no service has
    paged.queue_page(1, "Payments", author="Marcus")
    report = deliver_pages(paged, settings, max_seconds=3)

    assert report.failed == 1 and report.failed_total == 1
    (item,) = _page_items(paged)
    assert item.state is OutboxState.FAILED
    assert "Event object is invalid" in item.last_error and "Invalid routing key" in item.last_error
    (page,) = paged.pages(1)
    assert page.state is PageState.REFUSED and "Invalid routing key" in page.describe()
    assert any("PagerDuty refused to page Payments on-call" in e.text for e in paged.timeline(1))
    assert not fake.alerts

    fake.services.add("Z" * 32)  # the service was set up after all
    assert paged.outbox_retry(item.id) == 1
    assert deliver_pages(paged, settings).delivered == 1
    assert paged.pages(1)[0].state is PageState.TRIGGERED


def test_a_page_never_waits_behind_a_failed_slack_item_nor_holds_slack_back(
    paged: Store, fake: FakePagerDuty, settings: Settings
) -> None:
    channel = next(i for i in paged.outbox_items() if i.action == CREATE_CHANNEL)
    paged.outbox_claim()
    paged.outbox_failed(channel.id, "not_authed", permanent=True)
    fake.fail_next(5)
    paged.queue_page(1, "Payments", author="Marcus")
    deliver_pages(paged, settings)

    # Slack's own queue and light know nothing of the waiting page...
    slack_waiting = [
        i
        for i in paged.outbox_items()
        if i.action not in ("page", "resolve_page") and i.state is OutboxState.PENDING
    ]
    assert paged.outbox_summary().pending == len(slack_waiting)
    assert paged.paging_summary().pending == 1
    assert paged.outbox_retry(channel.id) == 1
    work = paged.outbox_claim()
    assert work is not None and work.action == CREATE_CHANNEL
    # ...and the page goes out whatever Slack's state.
    fake.fail_next(0)
    assert deliver_pages(paged, settings, max_seconds=70).delivered == 1


def test_resolving_the_incident_resolves_its_alert_and_reopening_does_not_page_again(
    paged: Store, fake: FakePagerDuty, settings: Settings
) -> None:
    paged.queue_page(1, "Payments", author="Marcus")
    deliver_pages(paged, settings)
    paged.change_status(1, Status.RESOLVED, "Marcus")
    deliver_pages(paged, settings)

    (resolve,) = fake.accepted("resolve")
    assert resolve.body["dedup_key"] == paged.pages(1)[0].dedup_key
    assert resolve.body["routing_key"] == ROUTING_KEY
    assert not fake.open_alerts()
    assert paged.pages(1)[0].state is PageState.RESOLVED

    paged.change_status(1, Status.INVESTIGATING, "Marcus")
    paged.change_status(1, Status.RESOLVED, "Marcus")
    paged.change_status(1, Status.CLOSED, "Marcus")
    deliver_pages(paged, settings)
    assert len(fake.accepted("trigger")) == 1 and len(fake.accepted("resolve")) == 1
    assert not fake.open_alerts()


def test_declining_a_report_resolves_its_pages(store: Store, fake: FakePagerDuty, settings: Settings) -> None:
    store.add_team("Payments", ["card payments"], pagerduty_key=OTHER_KEY)
    store.declare("Odd refunds", status=Status.TRIAGE, author="tom")
    store.queue_page(1, "Payments", author="tom")
    deliver_pages(store, settings)
    store.change_status(1, Status.DECLINED, "tom")
    deliver_pages(store, settings)

    assert [e.body["event_action"] for e in fake.events] == ["trigger", "resolve"]
    assert not fake.open_alerts()


def test_a_page_not_sent_yet_when_the_incident_ends_is_never_sent(
    paged: Store, fake: FakePagerDuty, settings: Settings
) -> None:
    paged.queue_page(1, "Payments", author="Marcus")  # PagerDuty not reached yet
    paged.change_status(1, Status.RESOLVED, "Marcus")
    deliver_pages(paged, settings)

    assert fake.events == []
    assert paged.pages(1)[0].state is PageState.RESOLVED and paged.paging_health().pending == 0
    assert any("was not sent: the incident ended first" in e.text for e in paged.timeline(1))


def test_a_page_perhaps_sent_when_the_incident_ends_is_resolved(
    paged: Store, fake: FakePagerDuty, settings: Settings
) -> None:
    fake.drop_reply_next()  # PagerDuty took it, the reply was lost: ictui cannot know
    paged.queue_page(1, "Payments", author="Marcus")
    deliver_pages(paged, settings)
    paged.change_status(1, Status.RESOLVED, "Marcus")
    with pinned(now().add(seconds=5)):
        deliver_pages(paged, settings)

    assert not fake.open_alerts() and len(fake.alerts) == 1


def test_a_finished_incident_is_not_paged(paged: Store) -> None:
    paged.change_status(1, Status.RESOLVED, "Marcus")
    with pytest.raises(Exception, match="reopen it before paging"):
        paged.queue_page(1, "Payments", author="Marcus")
    assert paged.pages(1) == [] and _page_items(paged) == []


def test_acknowledgements_are_read_with_the_rest_token(
    paged: Store, fake: FakePagerDuty, settings: Settings
) -> None:
    paged.queue_page(1, "Payments", author="Marcus")
    deliver_pages(paged, settings)
    assert refresh_acknowledgements(paged, settings) == 0
    fake.acknowledge(paged.pages(1)[0].dedup_key, "Priya Patel")

    assert refresh_acknowledgements(paged, settings) == 1
    (page,) = paged.pages(1)
    assert page.state is PageState.ACKNOWLEDGED and page.describe() == "acknowledged by Priya Patel"
    assert fake.rest_calls[-1] == {"incident_key": page.dedup_key}


def test_without_a_rest_token_pagerduty_is_not_asked(paged: Store, fake: FakePagerDuty) -> None:
    settings = Settings(user="Marcus", pagerduty_events_url=fake.url, pagerduty_api_url=fake.url)
    paged.queue_page(1, "Payments", author="Marcus")
    deliver_pages(paged, settings)
    assert refresh_acknowledgements(paged, settings) == 0 and fake.rest_calls == []


def test_time_to_engage_runs_from_declaration_through_the_page_to_the_first_responder(
    paged: Store, fake: FakePagerDuty, settings: Settings
) -> None:
    declared = paged.incident(1).declared_at
    assert declared is not None
    paged.add_person("Priya Patel", "priya@example.com", ["engineer"], "Payments")
    with pinned(declared.add(minutes=4)):
        paged.queue_page(1, "Payments", author="Marcus")
        deliver_pages(paged, settings)
    with pinned(declared.add(minutes=11)):
        from ictui.domain.enums import IncidentRole

        paged.assign_role(1, IncidentRole.RESPONDER, "priya@example.com", author="Marcus")

    lines = paged.engagement(1).lines()
    assert lines == [
        "Declaration → first page: 4 min 00 s",
        "First page → first responder joined: 7 min 00 s",
    ]


def test_the_post_mortem_has_the_page_on_its_timeline_and_the_time_to_engage(
    paged: Store, fake: FakePagerDuty, settings: Settings
) -> None:
    from ictui.domain.enums import IncidentRole
    from ictui.domain.exports import as_dict, markdown

    declared = paged.incident(1).declared_at
    assert declared is not None
    paged.add_person("Priya Patel", "priya@example.com", ["engineer"], "Payments")
    with pinned(declared.add(minutes=2)):
        paged.queue_page(1, "Payments", "card payments declined", author="Marcus")
        deliver_pages(paged, settings)
    with pinned(declared.add(minutes=9)):
        paged.assign_role(1, IncidentRole.RESPONDER, "priya@example.com", author="Marcus")

    view = paged.postmortem(1)
    text = markdown(view)
    assert "Paged Payments on-call: card payments declined" in text
    assert (
        "Time to engage: Declaration → first page: 2 min 00 s; "
        "First page → first responder joined: 7 min 00 s."
    ) in text
    assert as_dict(view)["time_to_engage"]["first_paged_at"] is not None


def test_on_either_engine_a_page_goes_once_and_is_resolved_with_the_incident(
    any_store: Store, fake: FakePagerDuty, settings: Settings
) -> None:
    any_store.add_team("Payments", ["card payments"], pagerduty_key=ROUTING_KEY)
    any_store.declare("Card payments declined", components=["card payments"], author="Marcus")
    fake.fail_next(1)
    any_store.queue_page(1, "Payments", author="Marcus")
    deliver_pages(any_store, settings)
    assert any_store.paging_health().pending == 1
    deliver_pages(any_store, settings, max_seconds=10)
    any_store.change_status(1, Status.RESOLVED, "Marcus")
    deliver_pages(any_store, settings)

    assert [e.body["event_action"] for e in fake.events if e.status == 202] == ["trigger", "resolve"]
    assert not fake.open_alerts() and any_store.pages(1)[0].state is PageState.RESOLVED
    assert any_store.paging_health().pending == 0
