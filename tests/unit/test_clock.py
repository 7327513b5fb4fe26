"""What an IC types as a time, read in their zone (Europe/Paris here) and stored in UTC."""

from __future__ import annotations

import pendulum
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ictui.domain.clock import local_zone, now, parse_when, pinned, short_duration, to_local
from ictui.domain.errors import TimeParseError

PARIS = "Europe/Paris"
# A Tuesday afternoon in winter (UTC+1).
REF = pendulum.datetime(2026, 11, 24, 16, 0, tz=PARIS)


def paris(*args: int) -> pendulum.DateTime:
    return pendulum.datetime(*args, tz=PARIS)


def parse(text: str, at: pendulum.DateTime = REF) -> pendulum.DateTime:
    result = parse_when(text, at=at)
    assert result.utcoffset() == pendulum.duration(0), "stored times are UTC"
    return result


def test_the_zone_comes_from_ictui_tz() -> None:
    assert local_zone().name == PARIS


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("now", REF),
        ("NOW", REF),
        ("14:32", paris(2026, 11, 24, 14, 32)),
        ("9:05", paris(2026, 11, 24, 9, 5)),
        ("14:32:10", paris(2026, 11, 24, 14, 32, 10)),
        # Ahead of now, but less than 12 hours: later today.
        ("18:00", paris(2026, 11, 24, 18, 0)),
        ("-5m", REF.subtract(minutes=5)),
        ("- 5m", REF.subtract(minutes=5)),
        ("+1h", REF.add(hours=1)),
        ("-1h30m", REF.subtract(hours=1, minutes=30)),
        ("-2d", REF.subtract(days=2)),
        ("10m ago", REF.subtract(minutes=10)),
        ("2 hours ago", REF.subtract(hours=2)),
        ("45 seconds ago", REF.subtract(seconds=45)),
        ("yesterday 09:10", paris(2026, 11, 23, 9, 10)),
        ("Yesterday at 9:10", paris(2026, 11, 23, 9, 10)),
        ("today 8:00", paris(2026, 11, 24, 8, 0)),
        ("yesterday", paris(2026, 11, 23, 0, 0)),
        ("  14:32  ", paris(2026, 11, 24, 14, 32)),
    ],
)
def test_what_an_ic_types(text: str, expected: pendulum.DateTime) -> None:
    assert parse(text) == expected


@pytest.mark.parametrize(
    ("text", "expected_utc"),
    [
        # Without a zone, an ISO time is the IC's local time.
        ("2026-11-24T14:32", pendulum.datetime(2026, 11, 24, 13, 32)),
        ("2026-11-24 14:32", pendulum.datetime(2026, 11, 24, 13, 32)),
        ("2026-07-01T12:00", pendulum.datetime(2026, 7, 1, 10, 0)),  # summer: UTC+2
        ("2026-11-24", pendulum.datetime(2026, 11, 23, 23, 0)),  # local midnight
        # With a zone, it is that zone's.
        ("2026-11-24T14:32:00Z", pendulum.datetime(2026, 11, 24, 14, 32)),
        ("2026-11-24T14:32:00+00:00", pendulum.datetime(2026, 11, 24, 14, 32)),
        ("2026-11-24T14:32:05.250-05:00", pendulum.datetime(2026, 11, 24, 19, 32, 5, 250_000)),
    ],
)
def test_iso_8601_with_and_without_a_zone(text: str, expected_utc: pendulum.DateTime) -> None:
    assert parse(text) == expected_utc


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "banana",
        "25:00",
        "12:60",
        "14:32:61",
        "yesterday 24:00",
        "-5x",
        "5m",
        "+",
        "2026-13-45",
        "2026-02-30T10:00",
        "P1D",
        "tomorrow-ish",
        "1:5",
        # Lenient parsers read these as dates; an IC who typed "12" meant noon, not the 12th.
        "12",
        "2026",
        "2026-W48",
        # Too far away to be a date at all.
        "-99999999999d",
        "99999999999 minutes ago",
    ],
)
def test_bad_input_is_refused_with_a_helpful_message(text: str) -> None:
    with pytest.raises(TimeParseError) as caught:
        parse_when(text, at=REF)
    message = str(caught.value)
    assert '"14:32"' in message and '"-5m"' in message and "ISO 8601" in message
    assert "\n" not in message


# ---------------------------------------------------------------------- around midnight


def test_a_bare_time_typed_just_after_midnight_means_last_night() -> None:
    just_after = paris(2026, 11, 25, 0, 10)
    assert parse("23:50", at=just_after) == paris(2026, 11, 24, 23, 50)


def test_a_bare_time_just_before_midnight_is_today() -> None:
    just_before = paris(2026, 11, 24, 23, 58)
    assert parse("23:50", at=just_before) == paris(2026, 11, 24, 23, 50)
    assert parse("00:05", at=paris(2026, 11, 25, 0, 10)) == paris(2026, 11, 25, 0, 5)


def test_relative_times_cross_midnight() -> None:
    at = paris(2026, 11, 25, 0, 2)
    assert parse("-5m", at=at) == paris(2026, 11, 24, 23, 57)
    assert parse("yesterday 23:59", at=at) == paris(2026, 11, 24, 23, 59)


def test_yesterday_is_the_local_day_before_not_the_utc_one() -> None:
    # 00:30 in Paris is still the previous day in UTC.
    at = paris(2026, 11, 25, 0, 30)
    assert parse("yesterday 09:10", at=at) == paris(2026, 11, 24, 9, 10)


# ---------------------------------------------------------------------- daylight saving time


def test_relative_times_count_real_hours_across_the_spring_change() -> None:
    # 2026-03-29: at 02:00 Paris clocks jump to 03:00.
    at = paris(2026, 3, 29, 4, 0)
    assert (at - parse("-3h", at=at)).in_seconds() == 3 * 3600
    assert parse("-3h", at=at) == paris(2026, 3, 29, 0, 0)


def test_a_time_in_the_spring_gap_lands_just_after_it() -> None:
    at = paris(2026, 3, 29, 5, 0)
    result = parse("02:30", at=at)
    assert to_local(result).date() == pendulum.date(2026, 3, 29)
    assert paris(2026, 3, 29, 1, 59) < result <= paris(2026, 3, 29, 3, 30)


def test_relative_times_count_real_hours_across_the_autumn_change() -> None:
    # 2026-10-25: at 03:00 Paris clocks go back to 02:00; 02:30 happens twice.
    at = paris(2026, 10, 25, 4, 0)
    assert (at - parse("-3h", at=at)).in_seconds() == 3 * 3600
    assert (at - parse("2 hours ago", at=at)).in_seconds() == 2 * 3600


def test_an_ambiguous_autumn_time_is_one_of_its_two_instants() -> None:
    result = parse("02:30", at=paris(2026, 10, 25, 4, 0))
    assert result in (pendulum.datetime(2026, 10, 25, 0, 30), pendulum.datetime(2026, 10, 25, 1, 30))
    assert to_local(result).format("HH:mm") == "02:30"


def test_yesterday_across_a_dst_change_keeps_the_wall_clock_time() -> None:
    at = paris(2026, 3, 29, 12, 0)
    assert parse("yesterday 12:00", at=at) == paris(2026, 3, 28, 12, 0)


# ---------------------------------------------------------------------- the clock itself


def test_now_follows_a_frozen_clock() -> None:
    frozen = pendulum.datetime(2026, 1, 2, 3, 4, 5)
    with pendulum.travel_to(frozen, freeze=True):
        assert now() == frozen
        assert parse_when("-5m") == frozen.subtract(minutes=5)


def test_pinned_sets_now_for_recording_history_and_restores_it() -> None:
    past = pendulum.datetime(2025, 6, 1, 12, 0, tz=PARIS)
    with pinned(past):
        assert now() == past
        assert now().timezone_name == "UTC"
        assert parse_when("-1h") == past.subtract(hours=1)
    assert abs((now() - pendulum.now("UTC")).in_seconds()) < 5


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(45, "45s"), (720, "12m"), (3 * 3600 + 300, "3h05m"), (2 * 86400 + 4 * 3600, "2d04h"), (-90, "-1m")],
)
def test_short_durations(seconds: int, text: str) -> None:
    assert short_duration(seconds) == text


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=40))
def test_parse_never_raises_anything_but_time_parse_error(text: str) -> None:
    try:
        result = parse_when(text, at=REF)
    except TimeParseError:
        pass  # the one refusal allowed
    else:
        assert result.utcoffset() == pendulum.duration(0)


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(
    st.from_regex(
        r"\A(?:[+-]\s?(?:\d{1,15}[dhms]){1,3}|\d{1,15}\s(?:m|min|hours?|days?|s) ago|"
        r"\d{1,3}:\d{1,3}(?::\d{1,3})?|(?:today|yesterday|tomorrow) \d{1,3}:\d{2}|"
        r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:\d{2})?)?)\Z"
    )
)
def test_parse_of_almost_valid_input_never_raises_anything_but_time_parse_error(text: str) -> None:
    try:
        parse_when(text, at=REF)
    except TimeParseError:
        pass
