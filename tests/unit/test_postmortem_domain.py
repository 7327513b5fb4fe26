"""What the post-mortem computes: durations between key events, silences, late updates."""

from __future__ import annotations

import pendulum
import pytest

from ictui.domain import postmortem as pm
from ictui.domain.enums import EntryKind, EntrySource, KeyEvent
from ictui.domain.errors import InvalidInput
from ictui.domain.postmortem import PostMortemState
from ictui.domain.views import EntryView

T0 = pendulum.datetime(2026, 11, 23, 8, 0, tz="UTC")


def entry(
    minutes: float,
    text: str = "something happened",
    *,
    id: int = 0,
    kind: EntryKind = EntryKind.NOTE,
    key: KeyEvent | None = None,
    deleted: bool = False,
) -> EntryView:
    return EntryView(
        id=id or int(minutes * 100) + 1,
        occurred_at=T0.add(seconds=int(minutes * 60)),
        recorded_at=T0,
        kind=kind,
        author="dana",
        text=text,
        source=EntrySource.MANUAL,
        permalink="",
        key_event=key,
        shared=False,
        deleted=deleted,
        edited=False,
    )


def at(minutes: float) -> pendulum.DateTime:
    return T0.add(seconds=int(minutes * 60))


# ---------------------------------------------------------------------- key times and durations


def test_durations_between_every_key_event_and_in_total() -> None:
    times = pm.key_times(
        {KeyEvent.IMPACT_STARTED: at(-30), KeyEvent.DETECTED: at(-20)},
        reported_at=at(-5),
        declared_at=at(0),
        mitigated_at=at(70),
        resolved_at=at(130),
    )
    durations = pm.durations(times)
    assert [(s.label, s.seconds) for s in durations.spans] == [
        ("Impact → detection", 600),
        ("Detection → declaration", 1200),
        ("Declaration → mitigation", 4200),
        ("Mitigation → resolution", 3600),
    ]
    assert durations.total.label == "Total (impact → resolution)"
    assert durations.total.seconds == 160 * 60


def test_a_missing_key_event_is_said_plainly_and_never_estimated() -> None:
    times = pm.key_times({}, reported_at=at(-10), declared_at=at(0), mitigated_at=None, resolved_at=at(90))
    durations = pm.durations(times)
    spans = {s.label: s for s in durations.spans}
    assert spans["Impact → detection"].seconds is None
    assert spans["Impact → detection"].missing == "impact start not marked on the timeline"
    assert spans["Declaration → mitigation"].seconds is None
    assert spans["Declaration → mitigation"].missing == "no mitigation recorded"
    assert spans["Mitigation → resolution"].missing == "no mitigation recorded"
    # The total starts where the record starts, and says where that is.
    assert durations.total.label == "Total (detection → resolution)"
    assert durations.total.seconds == 100 * 60


def test_an_incident_not_resolved_has_no_total_yet() -> None:
    times = pm.key_times({}, reported_at=at(0), declared_at=at(5), mitigated_at=None, resolved_at=None)
    assert pm.durations(times).total.seconds is None
    assert pm.durations(times).total.missing == "not resolved yet"


def test_marks_out_of_order_are_reported_not_turned_into_a_negative_duration() -> None:
    times = pm.key_times(
        {KeyEvent.IMPACT_STARTED: at(30)},
        reported_at=at(0),
        declared_at=at(10),
        mitigated_at=None,
        resolved_at=None,
    )
    span = pm.durations(times).spans[0]
    assert span.seconds is None
    assert span.missing == "out of order: detected is marked before impact started"


def test_detection_is_the_marked_entry_else_the_report_time() -> None:
    entries = [entry(-20, key=KeyEvent.DETECTED), entry(-25, key=KeyEvent.DETECTED, deleted=True)]
    marks = pm.earliest_marks(entries)
    assert marks == {KeyEvent.DETECTED: at(-20)}  # a deleted mark does not count
    times = pm.key_times(marks, reported_at=at(-5), declared_at=None, mitigated_at=None, resolved_at=None)
    assert times[KeyEvent.DETECTED] == at(-20)
    times = pm.key_times({}, reported_at=at(-5), declared_at=None, mitigated_at=None, resolved_at=None)
    assert times[KeyEvent.DETECTED] == at(-5)


def test_elapsed_from_start_uses_the_earliest_recorded_beginning() -> None:
    times = pm.key_times(
        {KeyEvent.IMPACT_STARTED: at(-30)},
        reported_at=at(-5),
        declared_at=at(0),
        mitigated_at=at(60),
        resolved_at=None,
    )
    assert pm.elapsed_from_start(times, KeyEvent.MITIGATED) == 90 * 60
    assert pm.elapsed_from_start(times, KeyEvent.RESOLVED) is None


# ---------------------------------------------------------------------- gaps


def test_gaps_are_the_silences_before_each_entry() -> None:
    entries = [entry(0), entry(12), entry(12), entry(57)]
    assert pm.gaps(entries) == (None, 720.0, 0.0, 2700.0)
    assert pm.gaps([]) == ()


def test_a_silence_longer_than_the_cadence_is_notable() -> None:
    assert pm.notable_gap_seconds(20) == 1200
    assert pm.notable_gap_seconds(None) == pm.DEFAULT_NOTABLE_GAP_SECONDS


# ---------------------------------------------------------------------- update intervals


def test_update_intervals_against_the_cadence() -> None:
    updates = pm.update_times(
        [
            entry(25, kind=EntryKind.UPDATE),
            entry(70, kind=EntryKind.UPDATE),
            entry(80, kind=EntryKind.UPDATE, deleted=True),  # a cancelled update
            entry(90, kind=EntryKind.NOTE),
        ]
    )
    intervals = pm.update_intervals(at(0), updates, at(130), cadence_minutes=30)
    assert [(i.ends_with, i.seconds, i.late_by) for i in intervals] == [
        ("1st update", 1500, 0),
        ("2nd update", 2700, 900),
        ("resolved", 3600, 1800),
    ]
    assert [i.late for i in intervals] == [False, True, True]


def test_without_a_cadence_nothing_is_late() -> None:
    intervals = pm.update_intervals(at(0), [at(300)], at(400), cadence_minutes=None)
    assert [i.late for i in intervals] == [False, False]


def test_updates_outside_the_incident_are_not_intervals() -> None:
    intervals = pm.update_intervals(at(0), [at(-10), at(20), at(200)], at(100), cadence_minutes=30)
    assert [i.ends_with for i in intervals] == ["1st update", "resolved"]


def test_an_incident_under_way_has_no_interval_after_its_last_update() -> None:
    intervals = pm.update_intervals(at(0), [at(20)], None, cadence_minutes=30)
    assert [i.ends_with for i in intervals] == ["1st update"]


def test_ordinals() -> None:
    assert [pm.ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111)] == [
        "1st",
        "2nd",
        "3rd",
        "4th",
        "11th",
        "12th",
        "13th",
        "21st",
        "22nd",
        "101st",
        "111th",
    ]


# ---------------------------------------------------------------------- across incidents


def test_time_stat_median_and_worst() -> None:
    stat = pm.time_stat([(40, 600.0), (41, 3600.0), (42, 1200.0)])
    assert (stat.count, stat.median_seconds, stat.worst_seconds, stat.worst_number) == (3, 1200.0, 3600.0, 41)
    assert pm.time_stat([]).median_seconds is None


def test_a_postmortem_is_on_time_by_the_calendar_day_in_the_ics_zone() -> None:
    due = pendulum.datetime(2026, 11, 26, 10, 0, tz="Europe/Paris")
    later_that_day = pendulum.datetime(2026, 11, 26, 17, 0, tz="Europe/Paris")
    next_day = pendulum.datetime(2026, 11, 27, 9, 0, tz="Europe/Paris")
    assert pm.postmortem_state(due, later_that_day, next_day) is PostMortemState.ON_TIME
    assert pm.postmortem_state(due, next_day, next_day) is PostMortemState.LATE
    assert pm.postmortem_state(due, None, next_day) is PostMortemState.OVERDUE
    assert pm.postmortem_state(due, None, later_that_day) is PostMortemState.UPCOMING
    assert pm.postmortem_state(None, None, next_day) is PostMortemState.UNSCHEDULED


# ---------------------------------------------------------------------- what people type in the meeting

TUESDAY = pendulum.date(2026, 11, 24)


@pytest.mark.parametrize(
    ("typed", "due"),
    [
        ("2026-12-04", "2026-12-04"),
        ("", ""),
        ("today", "2026-11-24"),
        ("tomorrow", "2026-11-25"),
        ("+3d", "2026-11-27"),
        ("3 days", "2026-11-27"),
        ("in 2 weeks", "2026-12-08"),
        ("2w", "2026-12-08"),
        ("friday", "2026-11-27"),
        ("Fri", "2026-11-27"),
        ("next tuesday", "2026-12-01"),
        ("tuesday", "2026-12-01"),  # a day named in the meeting is never today
    ],
)
def test_due_dates_as_people_say_them(typed: str, due: str) -> None:
    assert pm.parse_due_date(typed, TUESDAY) == due


@pytest.mark.parametrize("typed", ["someday", "2026-13-01", "12/04", "tu", "next"])
def test_a_due_date_that_cannot_be_read_is_refused_with_examples(typed: str) -> None:
    with pytest.raises(InvalidInput, match="friday"):
        pm.parse_due_date(typed, TUESDAY)


def test_a_ticket_typed_back_as_a_key_or_a_link() -> None:
    assert pm.parse_ticket("ops-123") == ("OPS-123", "")
    assert pm.parse_ticket(" https://acme.atlassian.net/browse/WEB-1880 ") == (
        "WEB-1880",
        "https://acme.atlassian.net/browse/WEB-1880",
    )
    assert pm.parse_ticket("https://tracker.example.com/t/99") == ("", "https://tracker.example.com/t/99")
    assert pm.parse_ticket("") == ("", "")
    with pytest.raises(InvalidInput, match="neither a ticket key"):
        pm.parse_ticket("fix it")
