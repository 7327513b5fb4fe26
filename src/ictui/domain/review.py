"""Read models of the post-mortem: what review mode, the exports and the stats screen draw.

Plain frozen snapshots, computed once by the store from one read; nothing here talks to
a database or a terminal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from ictui.domain.enums import ActionKind, ActionStatus, KeyEvent, Severity, Status
from ictui.domain.paging import Engagement
from ictui.domain.views import EntryView

# The record's sections, in the order the meeting walks through them.
SECTIONS: tuple[tuple[str, str], ...] = (
    ("summary", "Summary"),
    ("impact", "Impact"),
    ("root_cause", "Root cause"),
    ("contributing_factors", "Contributing factors"),
    ("went_well", "What went well"),
    ("went_badly", "What went badly"),
    ("got_lucky", "Where we got lucky"),
    ("kudos", "Kudos"),
)
SECTION_NAMES = tuple(name for name, _ in SECTIONS)

# The question the post-mortem asks every time (see the kind ActionKind.MONITORING).
OWNER_SOONER_PROMPT = "Could monitoring or error messages have shown the right owner sooner?"


@dataclass(frozen=True, slots=True)
class Span:
    """The time between two key events, or why it cannot be told."""

    label: str
    start: KeyEvent
    end: KeyEvent
    seconds: float | None
    missing: str = ""


@dataclass(frozen=True, slots=True)
class Durations:
    key_times: tuple[tuple[KeyEvent, datetime | None], ...]
    spans: tuple[Span, ...]
    total: Span

    def at(self, key: KeyEvent) -> datetime | None:
        return dict(self.key_times).get(key)


@dataclass(frozen=True, slots=True)
class UpdateInterval:
    """The wait between two status updates (or declaration, or resolution)."""

    start: datetime
    end: datetime
    # "1st update", "3rd update" or "resolved": what closed the interval.
    ends_with: str
    seconds: float
    cadence_seconds: float | None

    @property
    def late_by(self) -> float:
        if not self.cadence_seconds:
            return 0.0
        return max(0.0, self.seconds - self.cadence_seconds)

    @property
    def late(self) -> bool:
        return self.late_by > 0


@dataclass(frozen=True, slots=True)
class ActionItemView:
    id: int
    incident_number: int
    title: str
    description: str
    owner: str
    due_date: str
    kind: ActionKind
    ticket_key: str
    ticket_url: str
    status: ActionStatus
    created_at: datetime

    @property
    def is_open(self) -> bool:
        return self.status in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)

    @property
    def ticket(self) -> str:
        return self.ticket_key or self.ticket_url

    def overdue(self, today: str) -> bool:
        """``today`` as YYYY-MM-DD: due dates are calendar days, compared as text."""
        return self.is_open and bool(self.due_date) and self.due_date < today


@dataclass(frozen=True, slots=True)
class PostMortemView:
    """Everything review mode shows for one incident, and what the exports write."""

    number: int
    title: str
    severity: Severity
    status: Status
    ic_name: str
    slack_channel_name: str
    cadence_minutes: int | None
    scheduled_at: datetime | None
    held_at: datetime | None
    facilitator: str
    summary: str
    impact: str
    root_cause: str
    contributing_factors: str
    went_well: str
    went_badly: str
    got_lucky: str
    kudos: str
    updated_at: datetime | None
    timeline: tuple[EntryView, ...]
    # Seconds since the entry before, aligned with ``timeline`` (None for the first).
    gaps: tuple[float | None, ...]
    notable_gap_seconds: float
    durations: Durations
    intervals: tuple[UpdateInterval, ...]
    action_items: tuple[ActionItemView, ...] = field(default_factory=tuple)
    # Declared → first page → first responder joined; None when nobody was paged.
    engagement: Engagement | None = None

    @property
    def first_entry(self) -> EntryView | None:
        """How the incident surfaced: the entry marked as its detection, else the earliest.

        A note back-dated to when the impact started comes first in time, but it is
        what people learnt later, not how the problem reached them.
        """
        detected = next((e for e in self.timeline if e.key_event == KeyEvent.DETECTED), None)
        return detected or (self.timeline[0] if self.timeline else None)

    @property
    def late_intervals(self) -> tuple[UpdateInterval, ...]:
        return tuple(i for i in self.intervals if i.late)

    def section(self, name: str) -> str:
        if name not in SECTION_NAMES:
            raise KeyError(name)
        text: str = getattr(self, name)
        return text


@dataclass(frozen=True, slots=True)
class TimeStat:
    """Median and worst of one duration over a set of incidents."""

    count: int
    median_seconds: float | None
    worst_seconds: float | None
    worst_number: int | None


@dataclass(frozen=True, slots=True)
class OwnerLoad:
    owner: str
    open_items: int
    overdue: int


@dataclass(frozen=True, slots=True)
class StatsView:
    days: int
    since: datetime
    per_severity: tuple[tuple[Severity, int], ...]
    to_mitigate: TimeStat
    to_resolve: TimeStat
    postmortems_on_time: int
    postmortems_late: int
    postmortems_overdue: int
    postmortems_upcoming: int
    open_items_by_owner: tuple[OwnerLoad, ...]

    @property
    def incidents(self) -> int:
        return sum(count for _, count in self.per_severity)

    @property
    def postmortems_due(self) -> int:
        """Post-mortems whose date has come: held (on time or late) or overdue."""
        return self.postmortems_on_time + self.postmortems_late + self.postmortems_overdue
