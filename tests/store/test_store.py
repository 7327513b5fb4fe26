"""The store on a real SQLite file and on a PostgreSQL server: what is written is what is
read back, and nothing half."""

from __future__ import annotations

import itertools
import sqlite3
import stat
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pendulum
import pytest

from ictui.domain.clock import now
from ictui.domain.enums import (
    Breadth,
    Confidence,
    EntryKind,
    EntrySource,
    Impact,
    IncidentRole,
    KeyEvent,
    Severity,
    Status,
    UpdateState,
)
from ictui.domain.errors import IllegalTransition, InvalidInput, NotFound
from ictui.domain.triage import TriageAnswers
from ictui.store import DatabaseError, Store
from ictui.store.seed import seed_generated


@pytest.fixture
def store(any_store: Store) -> Store:
    """Each test of the store's contract runs on SQLite and on PostgreSQL (tests/support/pg_server.py)."""
    return any_store


@pytest.fixture
def file_store(tmp_path: Path) -> Iterator[Store]:
    opened = Store(tmp_path / "ictui.db")
    yield opened
    opened.close()


def declare(store: Store, title: str = "Slow app load times", **kwargs: object):
    return store.declare(title, author="tester", **kwargs)  # type: ignore[arg-type]


def entries(store: Store, number: int, kind: EntryKind | None = None) -> list:
    return [e for e in store.timeline(number) if kind is None or e.kind is kind]


@pytest.fixture
def org(store: Store) -> Store:
    """Two teams sharing the navigation bar, DevOps owning performance, a few people."""
    store.add_team("Web Platform", ["navigation bar", "file viewer", "performance"])
    store.add_team("Close Checklist", ["close checklist", "navigation bar"])
    store.add_team("DevOps", ["infrastructure", "performance", "database"])
    store.add_team("Integrations", ["bank feeds"])
    store.add_person("Marcus Chen", "marcus@example.com", ["EM"], "Close Checklist")
    store.add_person("Dana Kim", "dana@example.com", ["tech lead"], "Web Platform")
    store.add_person("Sam O'Connor", "sam@example.com", ["DevOps"], "DevOps")
    store.add_person("Luis Fernandez", "luis@example.com", ["engineer"], "Integrations")
    return store


# ---------------------------------------------------------------------- the file


def test_the_database_file_is_private(file_store: Store) -> None:
    assert stat.S_IMODE(file_store.path.stat().st_mode) == 0o600


def test_wal_and_foreign_keys_are_on(file_store: Store) -> None:
    store = file_store
    declare(store)
    with sqlite3.connect(store.path) as other:
        assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() > 0


@pytest.mark.parametrize(
    "where",
    [
        "/proc/ictui-test.db",  # no new files in procfs
        "/sys/ictui-test.db",  # sysfs refuses them even to root
        "{tmp}/notes.txt/ictui.db",  # a file where the folder should be
    ],
)
def test_an_unwritable_path_is_one_clear_error(tmp_path: Path, where: str) -> None:
    (tmp_path / "notes.txt").write_text("notes\n")
    path = Path(where.format(tmp=tmp_path))
    with pytest.raises(DatabaseError, match="cannot create the database") as caught:
        Store(path)
    assert "\n" not in str(caught.value)
    assert not path.exists()
    assert (tmp_path / "notes.txt").read_text() == "notes\n"


def test_data_survives_closing_and_reopening(tmp_path: Path) -> None:
    path = tmp_path / "again.db"
    first = Store(path)
    declare(first, "Login page returns 502", severity=Severity.SEV1)
    first.close()
    second = Store(path)
    assert [(r.number, r.title, r.severity) for r in second.list_incidents()] == [
        (1, "Login page returns 502", Severity.SEV1)
    ]
    second.close()


# ---------------------------------------------------------------------- declaring


def test_declare_numbers_incidents_in_sequence(store: Store) -> None:
    assert [declare(store, f"Incident {i}").number for i in range(3)] == [1, 2, 3]
    assert [r.number for r in store.list_incidents()] == [3, 2, 1]


def test_declare_records_what_the_ic_needs(org: Store) -> None:
    view = declare(
        org,
        "Slow  app\x1b[31m load times",
        severity=Severity.SEV2,
        summary="Pages take 30 s",
        ic_email="MARCUS@example.com ",
    )
    assert view.title == "Slow app load times"  # cleaned of escape sequences and doubled spaces
    assert view.slug == "slow-app-load-times"
    assert (view.status, view.severity, view.cadence_minutes) == (Status.INVESTIGATING, Severity.SEV2, 30)
    assert view.ic is not None and view.ic.name == "Marcus Chen"
    assert view.declared_at is not None and view.reported_at == view.declared_at
    declared = [e for e in org.timeline(view.number) if e.key_event == KeyEvent.DECLARED]
    assert len(declared) == 1 and declared[0].source is EntrySource.SYSTEM
    actions = [item.action for item in org.outbox_items()]
    # The channel's creation invites the IC: no invitation of their own (it said twice
    # that someone without a Slack account was not invited).
    assert {"create_channel", "announce"} <= set(actions) and "invite" not in actions


def test_a_report_in_triage_is_not_declared_and_gets_no_channel(store: Store) -> None:
    view = declare(store, "Export times out", status=Status.TRIAGE)
    assert view.status is Status.TRIAGE and view.declared_at is None
    assert store.outbox_items() == []


def test_an_explicit_number_must_be_unused_and_later_numbers_follow_it(store: Store) -> None:
    assert declare(store, "Old one", number=40).number == 40
    with pytest.raises(InvalidInput, match="#40 already exists"):
        declare(store, "Clash", number=40)
    with pytest.raises(InvalidInput):
        declare(store, "Zero", number=0)
    assert declare(store, "Next").number == 41
    assert [r.number for r in store.list_incidents()] == [41, 40]


@pytest.mark.parametrize("title", ["", "   ", "\x1b[2J", "x" * 201])
def test_a_bad_title_is_refused_and_nothing_is_written(store: Store, title: str) -> None:
    before = store.revision()
    with pytest.raises(InvalidInput):
        declare(store, title)
    assert store.list_incidents() == [] and store.revision() == before


def test_declare_with_an_unknown_ic_writes_nothing(store: Store) -> None:
    with pytest.raises(NotFound, match="nobody"):
        declare(store, "Slow", ic_email="ghost@example.com")
    assert store.list_incidents() == []


def test_the_first_entry_is_the_escalation_with_its_permalink(store: Store) -> None:
    reported = now().subtract(minutes=12)
    link = "https://example.slack.com/archives/C02ENGSUPPORT/p1700000000000100"
    view = store.declare(
        "Slow app",
        status=Status.TRIAGE,
        reported_at=reported,
        first_entry=("The app takes 30 s to load", "Priya", link, "1700000000.000100"),
    )
    first = store.timeline(view.number)[0]
    assert (first.kind, first.source, first.permalink) == (EntryKind.SLACK, EntrySource.SLACK, link)
    assert first.occurred_at == reported and first.key_event == KeyEvent.DETECTED
    assert store.incident(view.number).reported_at == reported


def test_unknown_incident_is_a_clear_error(store: Store) -> None:
    for call in (
        lambda: store.incident(99),
        lambda: store.timeline(99),
        lambda: store.add_entry(99, "x"),
        lambda: store.change_status(99, Status.RESOLVED),
    ):
        with pytest.raises(NotFound, match="no incident #99"):
            call()


# ---------------------------------------------------------------------- the timeline


def test_notes_keep_when_they_happened_and_when_they_were_recorded(store: Store) -> None:
    number = declare(store).number
    earlier = now().subtract(minutes=40)
    late = store.add_entry(number, "Error rate rose at the deploy", at=earlier, author="sam")
    fresh = store.add_entry(number, "Rolled back", author="sam")
    assert late.occurred_at == earlier
    assert late.recorded_at > earlier
    timeline = store.timeline(number)
    assert timeline[0].text == "Error rate rose at the deploy"  # ordered by when it happened
    assert timeline[-1].id == fresh.id
    assert all(a.occurred_at <= b.occurred_at for a, b in itertools.pairwise(timeline))


def test_a_note_is_cleaned_and_an_empty_one_refused(store: Store) -> None:
    number = declare(store).number
    entry = store.add_entry(number, "  line one\r\nline\x1b[31m two\x07  ")
    assert entry.text == "line one\nline two"
    before = len(store.timeline(number))
    with pytest.raises(InvalidInput):
        store.add_entry(number, " \x1b[0m ")
    assert len(store.timeline(number)) == before


def test_editing_keeps_the_history(store: Store) -> None:
    number = declare(store).number
    first_time = now().subtract(minutes=30)
    entry = store.add_entry(number, "Bundle grew to 8 MB", at=first_time)
    new_time = now().subtract(minutes=25)
    edited = store.edit_entry(entry.id, text="Bundle grew to 7.9 MB", at=new_time, editor="ravi")
    assert edited.edited and edited.text == "Bundle grew to 7.9 MB" and edited.occurred_at == new_time
    store.edit_entry(entry.id, text="Bundle grew to 7.9 MB (bundle analyzer)", editor="ravi")
    history = store.entry_history(entry.id)
    assert [(h.old_text, h.change, h.editor) for h in history] == [
        ("Bundle grew to 8 MB", "edit", "ravi"),
        ("Bundle grew to 7.9 MB", "edit", "ravi"),
    ]
    assert history[0].old_occurred_at == first_time


def test_soft_delete_hides_an_entry_and_restore_brings_it_back(store: Store) -> None:
    number = declare(store).number
    entry = store.add_entry(number, "Meant for another incident")
    store.delete_entry(entry.id, editor="ravi")
    assert entry.id not in [e.id for e in store.timeline(number)]
    kept = [e for e in store.timeline(number, include_deleted=True) if e.id == entry.id]
    assert kept and kept[0].deleted and kept[0].text == "Meant for another incident"
    store.restore_entry(entry.id, editor="ravi")
    assert entry.id in [e.id for e in store.timeline(number)]
    assert [h.change for h in store.entry_history(entry.id)] == ["delete", "restore"]


def test_key_events_set_the_incident_times(store: Store) -> None:
    number = declare(store).number
    mitigated = now().subtract(minutes=5)
    store.add_entry(number, "Traffic moved to the standby", at=mitigated, key_event=KeyEvent.MITIGATED)
    assert store.incident(number).mitigated_at == mitigated
    declared_earlier = now().subtract(hours=1)
    note = store.add_entry(number, "We were already on it in #engineering-support", at=declared_earlier)
    store.set_key_event(note.id, KeyEvent.DECLARED, editor="ic")
    assert store.incident(number).declared_at == declared_earlier
    assert store.entry_history(note.id)[-1].change == "key event"


# ---------------------------------------------------------------------- status, severity, roles


def test_status_moves_forward_and_marks_key_times(store: Store) -> None:
    number = declare(store, severity=Severity.SEV2).number
    for status in (Status.IDENTIFIED, Status.MONITORING, Status.RESOLVED, Status.CLOSED):
        store.change_status(number, status, "ic")
    view = store.incident(number)
    assert view.status is Status.CLOSED
    assert view.declared_at <= view.mitigated_at <= view.resolved_at <= view.closed_at  # type: ignore[operator]
    keys = [e.key_event for e in store.timeline(number) if e.key_event]
    assert keys == [KeyEvent.DECLARED, KeyEvent.ROOT_CAUSE, KeyEvent.MITIGATED, KeyEvent.RESOLVED]


@pytest.mark.parametrize(
    ("path", "illegal"),
    [
        ([], Status.CLOSED),
        ([], Status.INVESTIGATING),
        ([], Status.TRIAGE),
        ([Status.RESOLVED, Status.CLOSED], Status.INVESTIGATING),
        ([Status.RESOLVED], Status.MONITORING),
    ],
)
def test_an_illegal_status_move_is_refused_and_nothing_is_written(
    store: Store, path: list[Status], illegal: Status
) -> None:
    number = declare(store).number
    for status in path:
        store.change_status(number, status)
    before = (store.incident(number), store.timeline(number), store.revision(), store.outbox_items())
    with pytest.raises(IllegalTransition) as caught:
        store.change_status(number, illegal)
    assert str(illegal) in str(caught.value)
    after = (store.incident(number), store.timeline(number), store.revision(), store.outbox_items())
    assert after == before


def test_a_declined_defect_may_be_reopened_as_an_incident(store: Store) -> None:
    number = declare(store, status=Status.TRIAGE).number
    store.change_status(number, Status.DECLINED)
    store.change_status(number, Status.INVESTIGATING)
    assert store.incident(number).declared_at is not None


def test_every_status_severity_and_role_change_writes_its_entry_in_one_transaction(org: Store) -> None:
    number = declare(org, severity=Severity.SEV3).number
    changes = [
        (
            lambda: org.change_status(number, Status.IDENTIFIED, "ic", "cache misconfigured"),
            EntryKind.STATUS,
            "Status: investigating → identified. cache misconfigured",
        ),
        (
            lambda: org.change_severity(number, Severity.SEV1, "ic", "all customers now"),
            EntryKind.SEVERITY,
            "Severity: SEV3 → SEV1. all customers now",
        ),
        (
            lambda: org.assign_role(number, IncidentRole.IC, "marcus@example.com", "ic"),
            EntryKind.ROLE,
            "IC: Marcus Chen",
        ),
        (
            lambda: org.assign_role(number, IncidentRole.TECH_LEAD, "dana@example.com", "ic"),
            EntryKind.ROLE,
            "tech lead: Dana Kim",
        ),
    ]
    for change, kind, text in changes:
        revision = org.revision()
        change()
        assert org.revision() == revision + 1, "one change, one transaction"
        last = org.timeline(number)[-1]
        assert (last.kind, last.text, last.source, last.author) == (kind, text, EntrySource.SYSTEM, "ic")
    view = org.incident(number)
    assert view.severity is Severity.SEV1 and view.cadence_minutes == 20  # follows the severity
    assert [(role, p.name) for role, p in view.roles] == [("IC", "Marcus Chen"), ("tech lead", "Dana Kim")]


def test_a_change_that_changes_nothing_is_refused_without_writing(org: Store) -> None:
    number = declare(org, severity=Severity.SEV2, ic_email="marcus@example.com").number
    revision, timeline = org.revision(), org.timeline(number)
    with pytest.raises(InvalidInput):
        org.change_severity(number, Severity.SEV2)
    with pytest.raises(InvalidInput):
        org.assign_role(number, IncidentRole.IC, "marcus@example.com")
    with pytest.raises(NotFound):
        org.assign_role(number, IncidentRole.SCRIBE, "ghost@example.com")
    assert (org.revision(), org.timeline(number)) == (revision, timeline)


def test_a_custom_cadence_survives_a_severity_change(store: Store) -> None:
    number = declare(store, severity=Severity.SEV3).number
    store.edit_incident(number, cadence_minutes=15)
    store.change_severity(number, Severity.SEV2)
    assert store.incident(number).cadence_minutes == 15


# ---------------------------------------------------------------------- triage


SLOW_APP = TriageAnswers(
    breadth=Breadth.MANY,
    impact=Impact.DEGRADED,
    interrupts_business=True,
    workaround=False,
    customer_visible=True,
    needs_second_team=True,
)
ICON = TriageAnswers(
    breadth=Breadth.HANDFUL,
    impact=Impact.COSMETIC,
    interrupts_business=False,
    workaround=True,
)


def test_triage_that_finds_an_incident_declares_it(store: Store) -> None:
    number = declare(store, status=Status.TRIAGE).number
    result = store.record_triage(number, SLOW_APP, author="marcus", reason="PM, EM and TL agree")
    view = store.incident(number)
    assert (view.status, view.severity) == (Status.INVESTIGATING, result.severity)
    assert view.declared_at is not None
    assert (view.verdict, view.decided_by, view.decision_reason) == (
        "incident",
        "marcus",
        "PM, EM and TL agree",
    )
    assert view.triage is not None and view.triage.breadth == "many" and view.triage.interrupts_business
    kinds = [e.kind for e in store.timeline(number)]
    assert EntryKind.DECISION in kinds and EntryKind.SEVERITY in kinds


def test_triage_that_finds_a_defect_declines_it_with_its_decision_record(store: Store) -> None:
    number = declare(store, "Icon misaligned in Safari", status=Status.TRIAGE).number
    store.record_triage(number, ICON, author="aisha")
    view = store.incident(number)
    assert (view.status, view.verdict, view.erred_on_caution) == (Status.DECLINED, "defect", False)
    assert view.severity is Severity.SEV4 and view.declared_at is None
    assert "cosmetic only" in view.decision_reason
    assert store.outbox_items() == []  # no channel for a defect


def test_uncertain_triage_errs_on_the_side_of_caution_and_says_so(store: Store) -> None:
    number = declare(store, status=Status.TRIAGE).number
    unsure = TriageAnswers(breadth=Breadth.ONE, impact=Impact.DEGRADED, confidence=Confidence.UNSURE)
    store.record_triage(number, unsure, author="marcus")
    view = store.incident(number)
    assert (view.status, view.erred_on_caution) == (Status.INVESTIGATING, True)
    decision = entries(store, number, EntryKind.DECISION)[-1]
    assert "erring on the side of caution" in decision.text


# ---------------------------------------------------------------------- status updates


def test_queue_update_writes_the_update_its_outbox_item_and_its_entry_together(store: Store) -> None:
    number = declare(store, severity=Severity.SEV2).number
    store.save_draft(number, "We are investi")
    revision = store.revision()
    update = store.queue_update(number, "We are investigating slow load times.", author="marcus")
    assert store.revision() == revision + 1
    assert (update.state, update.text) == (UpdateState.QUEUED, "We are investigating slow load times.")
    assert [u.id for u in store.updates(number)] == [update.id]
    posts = [i for i in store.outbox_items() if i.action == "post_update"]
    assert [i.update_id for i in posts] == [update.id]
    entry = entries(store, number, EntryKind.UPDATE)[-1]
    assert entry.text == update.text
    view = store.incident(number)
    assert view.last_update_at == entry.occurred_at and view.draft == ""


def test_an_empty_update_is_refused_and_nothing_is_queued(store: Store) -> None:
    number = declare(store).number
    outbox = store.outbox_items()
    with pytest.raises(InvalidInput):
        store.queue_update(number, "  \n ")
    assert store.outbox_items() == outbox and store.updates(number) == []


def test_the_next_update_is_due_one_cadence_after_the_last(store: Store) -> None:
    number = declare(store, severity=Severity.SEV1).number
    store.queue_update(number, "First update")
    row = store.list_incidents(active_only=True)[0]
    assert row.next_update_due() == row.last_update_at + pendulum.duration(minutes=20)  # type: ignore[operator]


# ---------------------------------------------------------------------- post-mortem


@pytest.mark.parametrize(
    ("resolved", "due"),
    [
        # At 10:00 in the IC's zone (Europe/Paris, UTC+1 in winter) on the third working day.
        # Thursday: Friday, Monday, Tuesday.
        (pendulum.datetime(2026, 11, 26, 15, 0), pendulum.datetime(2026, 12, 1, 9, 0)),
        # Monday: Tuesday, Wednesday, Thursday.
        (pendulum.datetime(2026, 11, 23, 9, 0), pendulum.datetime(2026, 11, 26, 9, 0)),
        # Saturday night (already Sunday in Paris): Monday, Tuesday, Wednesday.
        (pendulum.datetime(2026, 11, 28, 23, 30), pendulum.datetime(2026, 12, 2, 9, 0)),
    ],
)
def test_resolving_schedules_the_post_mortem_within_three_business_days(
    store: Store, resolved: pendulum.DateTime, due: pendulum.DateTime
) -> None:
    number = declare(store).number
    with pendulum.travel_to(resolved, freeze=True):
        view = store.change_status(number, Status.RESOLVED, "ic")
    assert view.resolved_at == resolved
    assert view.postmortem_scheduled_at == due
    assert store.list_incidents()[0].postmortem_due_at == due


def test_resolving_twice_keeps_the_first_post_mortem_date(store: Store) -> None:
    number = declare(store).number
    first = store.change_status(number, Status.RESOLVED).postmortem_scheduled_at
    store.change_status(number, Status.INVESTIGATING, note="the fix did not hold")
    again = store.change_status(number, Status.RESOLVED).postmortem_scheduled_at
    assert again == first


# ---------------------------------------------------------------------- who to involve


def test_a_shared_ui_part_suggests_people_from_every_team_that_owns_it(org: Store) -> None:
    number = declare(org, "Navigation bar blank", components=["navigation bar"]).number
    suggested = org.suggest_responders(number)
    teams = {person.team for person, _ in suggested}
    assert teams == {"Web Platform", "Close Checklist"}
    assert all("navigation bar" in why for _, why in suggested)


def test_a_slow_app_suggests_app_and_infrastructure_owners(org: Store) -> None:
    number = declare(org, components=["performance", "navigation bar"]).number
    names = [person.name for person, _ in org.suggest_responders(number)]
    assert {"Dana Kim", "Sam O'Connor", "Marcus Chen"} <= set(names)
    assert "Luis Fernandez" not in names


@pytest.mark.slow
def test_the_demo_slow_app_incident_has_several_candidate_teams(demo_store: Store) -> None:
    teams = {person.team for person, _ in demo_store.suggest_responders(41)}
    assert {"Web Platform", "DevOps"} <= teams and len(teams) >= 3


# ---------------------------------------------------------------------- generated data


def test_generated_data_follows_the_existing_numbers_and_is_consistent(store: Store) -> None:
    declare(store, "Hand-made")
    revision = store.revision()
    counts = seed_generated(
        store, incidents=70, entries_per_incident=6, updates_per_incident=2, big_timeline=400
    )
    assert store.revision() == revision + 1, "one transaction"
    rows = store.list_incidents()
    assert counts["incidents"] == 71 and [r.number for r in rows] == list(range(72, 0, -1))
    assert {r.status for r in rows} == set(Status) and {r.severity for r in rows} == set(Severity)
    assert len(store.timeline(72)) >= 400
    later = now().add(seconds=1)
    total_entries = 0
    for row in rows[:-1]:
        view = store.incident(row.number)
        timeline = store.timeline(row.number)
        total_entries += len(timeline)
        assert all(e.occurred_at.utcoffset() == timedelta(0) and e.occurred_at <= later for e in timeline)
        if view.status in (Status.RESOLVED, Status.CLOSED):
            assert view.postmortem_scheduled_at is not None
            assert view.declared_at <= view.resolved_at <= later  # type: ignore[operator]
        if view.declared_at is not None:
            assert timeline[0].key_event == KeyEvent.DECLARED
            assert all(u.state is UpdateState.SENT for u in view.updates)
    assert total_entries == counts["timeline entries"]


def test_two_people_editing_one_entry_lose_neither_text(store: Store) -> None:
    """The second is told of the conflict; the first one's text stays, the second's is
    saved as a new entry beside it."""
    from ictui.domain.errors import EditConflict

    number = declare(store).number
    entry = store.add_entry(number, "CDN errors in EU", author="ana")
    opened_by_both = entry.text
    store.edit_entry(entry.id, text="CDN errors in EU and US", editor="ana", based_on=opened_by_both)
    with pytest.raises(EditConflict, match="ana changed this entry while you were editing it") as caught:
        store.edit_entry(entry.id, text="CDN errors in EU since 14:02", editor="bo", based_on=opened_by_both)
    texts = [e.text for e in entries(store, number, EntryKind.NOTE)]
    assert texts == ["CDN errors in EU and US", "CDN errors in EU since 14:02"]
    assert caught.value.kept.text == "CDN errors in EU since 14:02" and caught.value.kept.author == "bo"
    assert caught.value.current.text == "CDN errors in EU and US"
    # Started from what is there now: an ordinary edit.
    assert store.edit_entry(
        entry.id, text="CDN errors everywhere", editor="bo", based_on="CDN errors in EU and US"
    )
