"""The demo tells the story a new user should see: live incidents, a declined defect, a
decision that erred on the side of caution, and past incidents with their post-mortems."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pendulum
import pytest

from ictui.demo import seed_demo
from ictui.domain.clock import now
from ictui.domain.enums import ActionKind, EntryKind, EntrySource, KeyEvent, Severity, Status, UpdateState
from ictui.domain.errors import InvalidInput
from ictui.store import Store


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """Seeded once for the whole file: every test here only reads."""
    store = Store(tmp_path_factory.mktemp("demo") / "demo.db")
    assert seed_demo(store) == 15
    yield store
    store.close()


def minutes_ago(when: object) -> float:
    return (now() - when).total_seconds() / 60  # type: ignore[operator]


@pytest.mark.slow
def test_numbers_run_from_30_to_44_with_every_status_and_severity(demo: Store) -> None:
    rows = demo.list_incidents()
    assert [r.number for r in rows] == list(range(44, 29, -1))
    assert {r.status for r in rows} == set(Status)
    assert {r.severity for r in rows} == set(Severity)
    assert [r.number for r in demo.list_incidents(active_only=True)] == [44, 43, 42, 41]


def test_slow_app_load_times_is_live(demo: Store) -> None:
    view = demo.incident(41)
    assert (view.title, view.severity, view.status) == (
        "Slow app load times",
        Severity.SEV2,
        Status.IDENTIFIED,
    )
    assert view.ic is not None and "EM" in view.ic.roles
    assert 45 <= minutes_ago(view.declared_at) <= 55
    assert set(view.owning_teams) == {"Web Platform", "DevOps"}
    assert "performance" in view.components and "navigation bar" in view.components
    assert view.slack_channel_name == "incident-41-slow-app-load-times"
    teams = {person.team for person, _ in demo.suggest_responders(41)}
    assert {"Web Platform", "DevOps", "Close Checklist"} <= teams


def test_slow_app_timeline_starts_from_the_escalation_and_marks_the_key_events(demo: Store) -> None:
    timeline = demo.timeline(41)
    escalation = next(e for e in timeline if e.source is EntrySource.SLACK and e.author == "Priya Raman")
    assert escalation.permalink.startswith("https://example.slack.com/archives/")
    assert escalation.key_event == KeyEvent.DETECTED
    keys = [e.key_event for e in timeline if e.key_event]
    assert keys == [KeyEvent.IMPACT_STARTED, KeyEvent.DETECTED, KeyEvent.DECLARED, KeyEvent.ROOT_CAUSE]
    assert {
        EntryKind.NOTE,
        EntryKind.STATUS,
        EntryKind.SEVERITY,
        EntryKind.ROLE,
        EntryKind.UPDATE,
        EntryKind.DECISION,
        EntryKind.SLACK,
    } <= {e.kind for e in timeline}
    all_entries = demo.timeline(41, include_deleted=True)
    assert any(e.deleted for e in all_entries), "a note posted to the wrong incident, deleted"
    assert any(e.edited for e in timeline)


def test_slow_app_updates_follow_the_cadence_one_a_little_late(demo: Store) -> None:
    view = demo.incident(41)
    updates = view.updates
    assert [u.state for u in updates] == [UpdateState.SENT, UpdateState.SENT]
    assert all(u.permalink for u in updates)
    cadence = timedelta(minutes=view.cadence_minutes or 0)
    late = (updates[1].created_at - updates[0].created_at) - cadence
    assert timedelta(0) < late <= timedelta(minutes=5)
    row = next(r for r in demo.list_incidents() if r.number == 41)
    assert row.next_update_due() > now()  # type: ignore[operator]


def test_a_sev1_is_being_monitored_and_a_fresh_report_waits_in_triage(demo: Store) -> None:
    sev1 = demo.incident(42)
    assert (sev1.severity, sev1.status, sev1.cadence_minutes) == (Severity.SEV1, Status.MONITORING, 20)
    assert sev1.mitigated_at is not None
    fresh = demo.incident(44)
    assert fresh.status is Status.TRIAGE and fresh.triage is None and fresh.declared_at is None
    first = demo.timeline(44)[0]
    assert first.kind is EntryKind.SLACK and first.permalink and minutes_ago(first.occurred_at) < 10


def test_a_declined_defect_keeps_its_decision_record(demo: Store) -> None:
    view = demo.incident(33)
    assert (view.status, view.verdict, view.erred_on_caution) == (Status.DECLINED, "defect", False)
    assert view.decided_by == "Aisha Patel" and view.decided_at is not None
    assert "backlog" in view.decision_reason
    assert view.slack_channel_id == ""


def test_erring_on_the_side_of_caution_is_shown(demo: Store) -> None:
    view = demo.incident(34)
    assert (view.verdict, view.erred_on_caution) == ("incident", True)
    assert view.triage is not None and view.triage.confidence == "unsure"


def test_past_incidents_have_post_mortems_and_action_items(demo: Store) -> None:
    for number in (30, 31, 32, 34, 35, 36, 37, 38):
        record = demo.postmortem(number)
        assert record.status is Status.CLOSED
        assert record.held_at is not None and record.summary and record.root_cause, number
        assert record.action_items, number
    items = demo.action_items()
    assert any(item.kind is ActionKind.MONITORING for item in items), "make the owner obvious sooner"
    assert any(item.is_open for item in items) and any(not item.is_open for item in items)
    waiting = demo.postmortem(39)
    assert waiting.held_at is None and waiting.scheduled_at is not None
    assert waiting.scheduled_at < now(), "an overdue post-mortem to chase"


def test_nothing_happens_in_the_future_and_nothing_waits_for_slack(demo: Store) -> None:
    later = now() + pendulum.duration(seconds=1)
    for row in demo.list_incidents():
        assert all(e.occurred_at <= later and e.recorded_at <= later for e in demo.timeline(row.number))
    assert demo.outbox_items() == []


def test_the_demo_needs_an_empty_database(demo: Store) -> None:
    with pytest.raises(InvalidInput, match="empty database"):
        seed_demo(demo)
