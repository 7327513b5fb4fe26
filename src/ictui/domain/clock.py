"""Time as an IC types and reads it: stored in UTC, shown in the IC's zone.

Every "now" in ictui comes from :func:`now`, which is pendulum's, so that tests can
freeze the clock with ``pendulum.travel_to(..., freeze=True)``, and so that the demo can
write past incidents with their own times through :func:`pinned`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

import pendulum
from pendulum import DateTime, FixedTimezone, Timezone

from ictui.domain.errors import TimeParseError

_HHMM = r"(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2}))?"
_CLOCK = re.compile(rf"^{_HHMM}$")
_DAY_CLOCK = re.compile(rf"^(?P<day>today|yesterday|tomorrow)(?:\s+(?:at\s+)?{_HHMM})?$")
_RELATIVE = re.compile(r"^(?P<sign>[+-])\s*(?P<parts>(?:\d+\s*[dhms]\s*)+)$")
_RELATIVE_PART = re.compile(r"(\d+)\s*([dhms])")
_AGO = re.compile(r"^(?P<n>\d+)\s*(?P<u>[dhms]|min|mins|minutes?|hours?|days?|secs?|seconds?)\s+ago$")
_UNIT = {"d": "days", "h": "hours", "m": "minutes", "s": "seconds"}
# Only ISO 8601 dates and date-times reach pendulum's parser: its lenient mode reads "12"
# as the 12th of this month, which an IC who meant noon would not notice.
_ISO = re.compile(
    r"^\d{4}-\d{2}-\d{2}(?:[t ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:\s*(?:z|[+-]\d{2}(?::?\d{2})?))?)?$"
)

# A bare "23:50" typed just after midnight means last night, not tonight.
_BARE_CLOCK_FUTURE_LIMIT = pendulum.duration(hours=12)
# A year typed wrong ("0226", "9999"): near the ends of the calendar a stored time could
# not even be shown in another zone, and the timeline drawing it would fail.
_FURTHEST_SECONDS = 100 * 366 * 24 * 3600

HELP = 'try "14:32", "-5m", "+1h", "yesterday 09:10" or an ISO 8601 time'


def local_zone() -> Timezone | FixedTimezone:
    """The IC's zone: ICTUI_TZ when set (tests, people travelling), else the machine's."""
    name = os.environ.get("ICTUI_TZ")
    if name:
        try:
            return pendulum.timezone(name)
        except (ValueError, KeyError, OSError):
            # An unknown name: ValueError (pendulum's InvalidTimezone, a path), KeyError
            # (zoneinfo's ZoneInfoNotFoundError) or OSError (a name too long for a file).
            return pendulum.local_timezone()
    return pendulum.local_timezone()


# Unset except inside pinned(): a context variable, so that other threads (the cockpit's
# workers) keep the real time while the demo writes its history.
_pinned_now: ContextVar[DateTime | None] = ContextVar("ictui_pinned_now", default=None)


def now() -> DateTime:
    return _pinned_now.get() or pendulum.now("UTC")


@contextmanager
def pinned(at: datetime) -> Iterator[DateTime]:
    """Make :func:`now` return ``at`` in this context, to record events at the time they happened.

    The demo uses it to write past incidents through the store, so that every timestamp
    the store sets (recorded, declared, post-mortem due) is consistent with that past.
    Unlike ``pendulum.travel_to`` it needs no test-only package and leaves the process
    clock alone.
    """
    token = _pinned_now.set(to_utc(at))
    try:
        yield to_utc(at)
    finally:
        _pinned_now.reset(token)


def to_utc(value: datetime) -> DateTime:
    """Any aware datetime as a UTC pendulum DateTime; a naive one is taken as UTC."""
    if value.tzinfo is None:
        return pendulum.instance(value, tz="UTC")
    return pendulum.instance(value).in_timezone("UTC")


def to_local(value: datetime) -> DateTime:
    return to_utc(value).in_timezone(local_zone())


def parse_when(text: str, *, at: DateTime | None = None) -> DateTime:
    """Parse what an IC types into a UTC time.

    Accepted: ``now``, ``14:32`` (today, or yesterday when that would be more than 12
    hours ahead), ``-5m``, ``+1h``, ``-1h30m``, ``10m ago``, ``yesterday 09:10``,
    ``today 9:10``, and ISO 8601 (``2026-11-24T14:32``, a zone-less one is local).
    A time more than a century from now is refused as a typo.
    """
    reference = (at or now()).in_timezone(local_zone())
    result = _parse(text, reference)
    if abs(result.timestamp() - reference.timestamp()) > _FURTHEST_SECONDS:
        raise TimeParseError(f"{text.strip()!r} is too far from now; {HELP}")
    return result


def _parse(text: str, reference: DateTime) -> DateTime:
    raw = " ".join(text.strip().lower().split())
    if not raw:
        raise TimeParseError(f"no time given; {HELP}")
    if raw == "now":
        return reference.in_timezone("UTC")

    if match := _CLOCK.match(raw):
        result = _at_clock(reference, match)
        if result - reference > _BARE_CLOCK_FUTURE_LIMIT:
            result = result.subtract(days=1)
        return result.in_timezone("UTC")

    if match := _DAY_CLOCK.match(raw):
        offset = {"yesterday": -1, "today": 0, "tomorrow": 1}[match["day"]]
        day = reference.add(days=offset)
        result = _at_clock(day, match) if match["h"] else day.start_of("day")
        return result.in_timezone("UTC")

    try:
        if match := _RELATIVE.match(raw):
            delta = {_UNIT[u]: int(n) for n, u in _RELATIVE_PART.findall(match["parts"])}
            shifted = reference.add(**delta) if match["sign"] == "+" else reference.subtract(**delta)
            return shifted.in_timezone("UTC")

        if match := _AGO.match(raw):
            unit = _UNIT[match["u"][0]]
            return reference.subtract(**{unit: int(match["n"])}).in_timezone("UTC")
    except (OverflowError, ValueError) as exc:
        raise TimeParseError(f"{text.strip()!r} is too far from now; {HELP}") from exc

    if not _ISO.match(raw):
        raise TimeParseError(f"cannot read {text.strip()!r} as a time; {HELP}")
    try:
        parsed = pendulum.parse(text.strip(), tz=local_zone(), strict=False)
    except Exception as exc:  # pendulum's ParserError and ValueError alike
        raise TimeParseError(f"cannot read {text.strip()!r} as a time; {HELP}") from exc
    if not isinstance(parsed, DateTime):
        raise TimeParseError(f"{text.strip()!r} is not a point in time; {HELP}")
    try:
        return parsed.in_timezone("UTC")
    except OverflowError as exc:
        # "0001-01-01" in Paris, or "9999-12-31T23:59-01:00": in UTC, outside the calendar.
        raise TimeParseError(f"{text.strip()!r} is too far from now; {HELP}") from exc


def _at_clock(day: DateTime, match: re.Match[str]) -> DateTime:
    hour, minute, second = int(match["h"]), int(match["m"]), int(match["s"] or 0)
    if hour > 23 or minute > 59 or second > 59:
        raise TimeParseError(f"{match.group(0)!r} is not a time of day; {HELP}")
    return day.set(hour=hour, minute=minute, second=second, microsecond=0)


def short_duration(seconds: float) -> str:
    """'45s', '12m', '3h05m', '2d04h': what fits in a list column."""
    seconds = int(seconds)
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    if seconds < 60:
        return f"{sign}{seconds}s"
    minutes, _ = divmod(seconds, 60)
    if minutes < 60:
        return f"{sign}{minutes}m"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{sign}{hours}h{minutes:02d}m"
    days, hours = divmod(hours, 24)
    return f"{sign}{days}d{hours:02d}h"


def countdown(seconds: float) -> str:
    """'04:59', '1:02:03': a ticking countdown."""
    seconds = int(abs(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"
