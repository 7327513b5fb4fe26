"""What the post-mortem computes from the record: durations, gaps, update lateness.

A duration whose ends are not both recorded is reported as missing, with the reason,
never estimated: a post-mortem built on a guessed number teaches the wrong lesson.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable, Sequence
from datetime import datetime
from enum import StrEnum

import pendulum
from pendulum import Date

from ictui.domain.clock import to_local
from ictui.domain.enums import EntryKind, KeyEvent
from ictui.domain.errors import InvalidInput
from ictui.domain.limits import quoted
from ictui.domain.review import Durations, Span, TimeStat, UpdateInterval
from ictui.domain.views import EntryView

# The order in which an incident's key events should happen.
KEY_ORDER: tuple[KeyEvent, ...] = (
    KeyEvent.IMPACT_STARTED,
    KeyEvent.DETECTED,
    KeyEvent.DECLARED,
    KeyEvent.MITIGATED,
    KeyEvent.RESOLVED,
)

_SPANS: tuple[tuple[str, KeyEvent, KeyEvent], ...] = (
    ("Impact → detection", KeyEvent.IMPACT_STARTED, KeyEvent.DETECTED),
    ("Detection → declaration", KeyEvent.DETECTED, KeyEvent.DECLARED),
    ("Declaration → mitigation", KeyEvent.DECLARED, KeyEvent.MITIGATED),
    ("Mitigation → resolution", KeyEvent.MITIGATED, KeyEvent.RESOLVED),
)

_NOT_RECORDED: dict[KeyEvent, str] = {
    KeyEvent.IMPACT_STARTED: "impact start not marked on the timeline",
    KeyEvent.DETECTED: "detection not recorded",
    KeyEvent.DECLARED: "never declared",
    KeyEvent.MITIGATED: "no mitigation recorded",
    KeyEvent.RESOLVED: "not resolved yet",
}

# Without a cadence, a silence of this long on the timeline is still worth a look.
DEFAULT_NOTABLE_GAP_SECONDS = 30 * 60


def earliest_marks(entries: Iterable[EntryView]) -> dict[str, datetime]:
    """The earliest live entry marked with each key event."""
    marked: dict[str, datetime] = {}
    for entry in entries:
        if entry.key_event and not entry.deleted:
            known = marked.get(entry.key_event)
            if known is None or entry.occurred_at < known:
                marked[entry.key_event] = entry.occurred_at
    return marked


def key_times(
    marks: dict[str, datetime],
    *,
    reported_at: datetime | None,
    declared_at: datetime | None,
    mitigated_at: datetime | None,
    resolved_at: datetime | None,
) -> dict[KeyEvent, datetime | None]:
    """When each key event happened, from the incident's fields and the marked entries.

    The incident's declared/mitigated/resolved times are authoritative: the store keeps
    them in step with the marks. Impact start exists only as a mark; detection is the
    marked entry, else the time the incident was reported.
    """
    return {
        KeyEvent.IMPACT_STARTED: marks.get(KeyEvent.IMPACT_STARTED),
        KeyEvent.DETECTED: marks.get(KeyEvent.DETECTED) or reported_at,
        KeyEvent.DECLARED: declared_at or marks.get(KeyEvent.DECLARED),
        KeyEvent.MITIGATED: mitigated_at or marks.get(KeyEvent.MITIGATED),
        KeyEvent.RESOLVED: resolved_at or marks.get(KeyEvent.RESOLVED),
    }


def incident_start(times: dict[KeyEvent, datetime | None]) -> tuple[KeyEvent, datetime] | None:
    """The earliest recorded beginning: impact start, else detection, else declaration."""
    for key in (KeyEvent.IMPACT_STARTED, KeyEvent.DETECTED, KeyEvent.DECLARED):
        if (at := times.get(key)) is not None:
            return key, at
    return None


def durations(times: dict[KeyEvent, datetime | None]) -> Durations:
    spans = tuple(_span(label, start, end, times) for label, start, end in _SPANS)
    start = incident_start(times)
    if start is None:
        total = Span(
            "Total",
            KeyEvent.IMPACT_STARTED,
            KeyEvent.RESOLVED,
            None,
            "no start recorded (impact, detection or declaration)",
        )
    else:
        key, _ = start
        total = _span(f"Total ({_NOUN[key]} → resolution)", key, KeyEvent.RESOLVED, times)
    return Durations(
        key_times=tuple((key, times.get(key)) for key in KEY_ORDER),
        spans=spans,
        total=total,
    )


_NOUN = {
    KeyEvent.IMPACT_STARTED: "impact",
    KeyEvent.DETECTED: "detection",
    KeyEvent.DECLARED: "declaration",
}


def _span(label: str, start: KeyEvent, end: KeyEvent, times: dict[KeyEvent, datetime | None]) -> Span:
    begin, finish = times.get(start), times.get(end)
    missing = [_NOT_RECORDED[k] for k, at in ((start, begin), (end, finish)) if at is None]
    if missing or begin is None or finish is None:
        return Span(label, start, end, None, "; ".join(missing))
    seconds = (finish - begin).total_seconds()
    if seconds < 0:
        return Span(label, start, end, None, f"out of order: {end} is marked before {start}")
    return Span(label, start, end, seconds)


def elapsed_from_start(times: dict[KeyEvent, datetime | None], end: KeyEvent) -> float | None:
    """Seconds from the incident's recorded start to ``end``; None when either is unknown."""
    start = incident_start(times)
    finish = times.get(end)
    if start is None or finish is None:
        return None
    seconds = (finish - start[1]).total_seconds()
    return seconds if seconds >= 0 else None


def gaps(entries: Sequence[EntryView]) -> tuple[float | None, ...]:
    """Seconds since the previous entry, for each entry of a time-ordered timeline."""
    result: list[float | None] = []
    previous: datetime | None = None
    for entry in entries:
        result.append(None if previous is None else (entry.occurred_at - previous).total_seconds())
        previous = entry.occurred_at
    return tuple(result)


def notable_gap_seconds(cadence_minutes: int | None) -> float:
    """A silence longer than the update cadence is worth pointing at in the meeting."""
    return float(cadence_minutes * 60) if cadence_minutes else float(DEFAULT_NOTABLE_GAP_SECONDS)


def update_times(entries: Iterable[EntryView]) -> list[datetime]:
    """When each status update went out: the update entries the store writes on sending."""
    return sorted(e.occurred_at for e in entries if e.kind is EntryKind.UPDATE and not e.deleted)


def update_intervals(
    started_at: datetime | None,
    updates: Iterable[datetime],
    resolved_at: datetime | None,
    cadence_minutes: int | None,
) -> tuple[UpdateInterval, ...]:
    """The waits people had between news: declaration → 1st update → … → resolution.

    While an incident is under way an update is owed every ``cadence_minutes``; an
    interval longer than that was late. Updates outside the incident are ignored.
    """
    if started_at is None:
        return ()
    end = resolved_at
    points = sorted(u for u in updates if u >= started_at and (end is None or u <= end))
    cadence = float(cadence_minutes * 60) if cadence_minutes else None
    intervals: list[UpdateInterval] = []
    previous = started_at
    for index, at in enumerate(points, start=1):
        intervals.append(_interval(previous, at, f"{ordinal(index)} update", cadence))
        previous = at
    if end is not None:
        intervals.append(_interval(previous, end, "resolved", cadence))
    return tuple(intervals)


def _interval(start: datetime, end: datetime, ends_with: str, cadence: float | None) -> UpdateInterval:
    return UpdateInterval(
        start=start,
        end=end,
        ends_with=ends_with,
        seconds=(end - start).total_seconds(),
        cadence_seconds=cadence,
    )


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def time_stat(values: Iterable[tuple[int, float]]) -> TimeStat:
    """Median and worst of (incident number, seconds) pairs."""
    pairs = list(values)
    if not pairs:
        return TimeStat(count=0, median_seconds=None, worst_seconds=None, worst_number=None)
    worst_number, worst = max(pairs, key=lambda pair: (pair[1], -pair[0]))
    return TimeStat(
        count=len(pairs),
        median_seconds=float(statistics.median(seconds for _, seconds in pairs)),
        worst_seconds=worst,
        worst_number=worst_number,
    )


class PostMortemState(StrEnum):
    ON_TIME = "held on time"
    LATE = "held late"
    OVERDUE = "overdue"
    UPCOMING = "upcoming"
    UNSCHEDULED = "not scheduled"


def postmortem_state(
    scheduled_at: datetime | None, held_at: datetime | None, at: datetime
) -> PostMortemState:
    """Judged by calendar day in the IC's zone: a deadline is a day, not a minute."""
    if scheduled_at is None:
        return PostMortemState.UNSCHEDULED
    deadline = to_local(scheduled_at).date()
    if held_at is not None:
        return PostMortemState.ON_TIME if to_local(held_at).date() <= deadline else PostMortemState.LATE
    return PostMortemState.OVERDUE if to_local(at).date() > deadline else PostMortemState.UPCOMING


# ---------------------------------------------------------------------- action items

DUE_HELP = 'try "2026-12-04", "friday", "+3d", "2w" or "tomorrow"'
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_IN = re.compile(r"^(?:\+|in\s+)?(?P<n>\d+)\s*(?P<u>d|days?|w|weeks?)$")


def parse_due_date(text: str, today: Date) -> str:
    """A due date as people say it in a meeting, as ``YYYY-MM-DD`` ("" for none)."""
    raw = " ".join(text.strip().lower().split())
    if not raw:
        return ""
    if raw in ("today", "tomorrow"):
        return (today if raw == "today" else today.add(days=1)).isoformat()
    if match := _IN.match(raw):
        n = int(match["n"])
        try:
            return today.add(**{"weeks" if match["u"].startswith("w") else "days": n}).isoformat()
        except (OverflowError, ValueError) as exc:
            raise InvalidInput(f"{text.strip()!r} is past the end of the calendar; {DUE_HELP}") from exc
    for index, name in enumerate(_WEEKDAYS):
        if len(raw) >= 3 and name.startswith(raw.removeprefix("next ")):
            ahead = (index - today.weekday() - 1) % 7 + 1
            return today.add(days=ahead).isoformat()
    try:
        parsed = pendulum.parse(raw, exact=True)
    except Exception as exc:  # pendulum raises ParserError and ValueError alike
        raise InvalidInput(f"cannot read {text.strip()!r} as a date; {DUE_HELP}") from exc
    if isinstance(parsed, pendulum.DateTime):
        parsed = parsed.date()
    if not isinstance(parsed, Date):
        raise InvalidInput(f"{text.strip()!r} is not a date; {DUE_HELP}")
    return parsed.isoformat()


_TICKET_KEY = re.compile(r"^[A-Za-z][A-Za-z0-9_]*-\d+$")
_NOT_IN_LINKS = frozenset('"<>|\\^`{}')
_KEY_IN_URL = re.compile(r"(?:/browse/|selectedIssue=|/issues/)([A-Za-z][A-Za-z0-9_]*-\d+)")


def parse_ticket(text: str) -> tuple[str, str]:
    """A ticket typed back after the import: ``OPS-123`` or a link. Returns (key, url)."""
    raw = text.strip()
    if not raw:
        return "", ""
    if raw.lower().startswith(("http://", "https://")):
        # Never part of a link (RFC 3986), and "|" would cut the exported Markdown table.
        if any(c.isspace() or not c.isprintable() or c in _NOT_IN_LINKS for c in raw):
            raise InvalidInput("a ticket link has no spaces, quotes, <, >, | or control characters in it")
        match = _KEY_IN_URL.search(raw)
        return (match[1].upper() if match else ""), raw
    if _TICKET_KEY.match(raw):
        return raw.upper(), ""
    raise InvalidInput(f"{quoted(raw)} is neither a ticket key like OPS-123 nor a link")
