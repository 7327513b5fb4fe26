"""Read models: plain, frozen snapshots of stored data for the screens and the CLI.

The cockpit draws these; it never holds a live ORM object or a session.

The two read by the thousand (a line of the incident list, a timeline entry) are not
frozen by the dataclass machinery but by convention: a frozen dataclass sets each
field through object.__setattr__, five times slower to build, and a 5,000-entry
timeline spent more time building its views than SQLite spent reading its rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from ictui.domain.enums import EntryKind, EntrySource, Severity, Status, UpdateState


@dataclass(slots=True)
class IncidentRow:
    """One line of the incident list."""

    number: int
    title: str
    severity: Severity
    status: Status
    ic_name: str
    declared_at: datetime | None
    created_at: datetime
    last_update_at: datetime | None
    cadence_minutes: int | None
    postmortem_due_at: datetime | None = None
    postmortem_held: bool = False
    # When it was last reopened (active again after resolved, closed or declined).
    reopened_at: datetime | None = None

    @property
    def started_at(self) -> datetime:
        return self.declared_at or self.created_at

    def next_update_due(self) -> datetime | None:
        """When the next status update is owed, for an active incident with a cadence:
        a cadence after the last update (or the start), or after the reopening if that
        came later (an update sent before it was resolved owes nothing now)."""
        if not self.status.is_active or not self.cadence_minutes:
            return None
        base = self.last_update_at or self.started_at
        if self.reopened_at is not None and self.reopened_at > base:
            base = self.reopened_at
        return base + timedelta(minutes=self.cadence_minutes)

    def search_text(self) -> str:
        return f"#{self.number} {self.title} {self.ic_name} {self.severity} {self.status}".lower()


@dataclass(frozen=True, slots=True)
class ListWindow:
    """A window of the incident list under a filter, as one state of the database saw it.

    ``rows`` are the rows at positions ``start``, ``start + 1``… of the filtered list
    (newest first); ``count`` is how many incidents pass the filter, ``total`` how many
    there are; ``position`` is where the incident asked for is in the filtered list (None
    when it does not pass the filter, or was not asked for); ``newest`` is the highest
    incident number (0 when there is none), which sets the width of the number column.
    """

    total: int
    count: int
    position: int | None
    start: int
    rows: tuple[IncidentRow, ...]
    newest: int = 0


@dataclass(frozen=True, slots=True)
class PersonView:
    id: int
    name: str
    email: str
    slack_user_id: str
    roles: tuple[str, ...]
    team: str = ""
    # Removed from the roster: still named on history, never suggested or invited again.
    removed: bool = False


@dataclass(frozen=True, slots=True)
class TeamView:
    id: int
    name: str
    # The parts of the product the team owns; a shared part is owned by several teams.
    components: tuple[str, ...]
    slack_handle: str = ""
    members: tuple[str, ...] = ()
    # Its PagerDuty integration key, masked ("R01…89AB"); "" when it has none.
    pagerduty: str = ""


@dataclass(frozen=True, slots=True)
class RosterChange:
    """What an import or a Slack sync did: a second run of the same adds and updates nothing."""

    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    unchanged: int = 0
    skipped: tuple[str, ...] = ()

    def summary(self, what: str = "people") -> str:
        parts = [f"{len(self.added)} added", f"{len(self.updated)} updated", f"{self.unchanged} unchanged"]
        if self.skipped:
            parts.append(f"{len(self.skipped)} skipped ({'; '.join(self.skipped)})")
        return f"{what}: " + ", ".join(parts)


@dataclass(slots=True)
class EntryView:
    id: int
    occurred_at: datetime
    recorded_at: datetime
    kind: EntryKind
    author: str
    text: str
    source: EntrySource
    permalink: str
    key_event: str | None
    shared: bool
    deleted: bool
    edited: bool


@dataclass(frozen=True, slots=True)
class UpdateView:
    id: int
    state: UpdateState
    text: str
    author: str
    created_at: datetime
    sent_at: datetime | None
    attempts: int
    permalink: str
    last_error: str


@dataclass(frozen=True, slots=True)
class TriageView:
    breadth: str | None
    impact: str | None
    interrupts_business: bool | None
    workaround: bool | None
    customer_visible: bool | None
    needs_second_team: bool | None
    unsolved_after_hour: bool | None
    confidence: str
    suggested_severity: str
    verdict: str
    erred_on_caution: bool
    assessed_by: str
    assessed_at: datetime
    reason: str


@dataclass(frozen=True, slots=True)
class IncidentView:
    """The selected incident: everything the cockpit's right-hand side shows, bar the timeline."""

    id: int
    number: int
    title: str
    slug: str
    summary: str
    status: Status
    severity: Severity
    breadth: str
    verdict: str
    decided_by: str
    decided_at: datetime | None
    decision_reason: str
    erred_on_caution: bool
    ic: PersonView | None
    roles: tuple[tuple[str, PersonView], ...]
    owning_teams: tuple[str, ...]
    components: tuple[str, ...]
    slack_channel_id: str
    slack_channel_name: str
    cadence_minutes: int | None
    reported_at: datetime | None
    declared_at: datetime | None
    mitigated_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    last_update_at: datetime | None
    created_at: datetime
    reopened_at: datetime | None = None
    triage: TriageView | None = None
    draft: str = ""
    pending_outbox: int = 0
    postmortem_scheduled_at: datetime | None = None
    postmortem_held_at: datetime | None = None
    updates: tuple[UpdateView, ...] = field(default_factory=tuple)

    @property
    def channel_label(self) -> str:
        return f"#{self.slack_channel_name}" if self.slack_channel_name else "no channel yet"

    def as_row(self) -> IncidentRow:
        return IncidentRow(
            number=self.number,
            title=self.title,
            severity=self.severity,
            status=self.status,
            ic_name=self.ic.name if self.ic else "",
            declared_at=self.declared_at,
            created_at=self.created_at,
            last_update_at=self.last_update_at,
            cadence_minutes=self.cadence_minutes,
            reopened_at=self.reopened_at,
        )
