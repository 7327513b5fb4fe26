"""The incident record as SQLModel tables.

Every timestamp is timezone-aware and stored in UTC (see :class:`UTCDateTime`). Lists
(owning teams, components, roles) are JSON columns: portable to PostgreSQL and small.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pendulum
import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from ictui.domain.clock import now
from ictui.domain.enums import (
    ActionKind,
    ActionStatus,
    EntryKind,
    EntrySource,
    OutboxState,
    Severity,
    Status,
    UpdateState,
)


class UTCDateTime(sa.types.TypeDecorator[datetime]):
    """Writes UTC, reads back an aware pendulum DateTime in UTC, whatever the engine."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored: give a time zone")
        # datetime's own conversion: pendulum's costs ten times more in bulk inserts.
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        # The same DateTime as pendulum.instance(value, tz="UTC"), twenty times faster
        # (tzinfo positional, too): the incident list reads some 40,000 of these.
        return pendulum.DateTime(
            value.year,
            value.month,
            value.day,
            value.hour,
            value.minute,
            value.second,
            value.microsecond,
            pendulum.UTC,
        )


def _when(nullable: bool = True, index: bool = False) -> Any:
    return Field(default=None, sa_type=UTCDateTime, nullable=nullable, index=index)


def _json_list() -> Any:
    return Field(default_factory=list, sa_type=sa.JSON)


# Each table's ``id`` is typed ``int``: the database gives it on insert, and the store reads
# it only after a flush. (Declared ``int | None``, every read of it would need a check for a
# None that never comes; the column is the same: a primary key is never NULL.)


class Team(SQLModel, table=True):
    id: int = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    slack_handle: str = ""
    # The components this team owns; a shared UI part is owned by several teams.
    components: list[str] = _json_list()
    # The PagerDuty service's Events API v2 integration (routing) key (schema 4).
    pagerduty_key: str = ""


class Person(SQLModel, table=True):
    id: int = Field(default=None, primary_key=True)
    name: str
    email: str = Field(unique=True)
    slack_user_id: str = ""
    roles: list[str] = _json_list()
    team_id: int | None = Field(default=None, foreign_key="team.id")
    # Removed from the roster: no longer suggested or invited, and still named on the
    # incidents, timelines and post-mortems they were part of (schema 2).
    removed_at: datetime | None = _when()


class Incident(SQLModel, table=True):
    id: int = Field(default=None, primary_key=True)
    number: int = Field(unique=True)
    title: str
    slug: str
    summary: str = ""
    status: Status = Field(default=Status.TRIAGE, index=True)
    severity: Severity = Field(default=Severity.SEV3, index=True)
    breadth: str = ""
    # The decision record: incident or defect, by whom, when, why.
    verdict: str = ""
    decided_by: str = ""
    decided_at: datetime | None = _when()
    decision_reason: str = ""
    erred_on_caution: bool = False
    ic_id: int | None = Field(default=None, foreign_key="person.id")
    owning_teams: list[str] = _json_list()
    components: list[str] = _json_list()
    slack_channel_id: str = ""
    slack_channel_name: str = ""
    cadence_minutes: int | None = None
    reported_at: datetime | None = _when()
    declared_at: datetime | None = _when()
    mitigated_at: datetime | None = _when()
    resolved_at: datetime | None = _when()
    closed_at: datetime | None = _when()
    # Kept on the row so that the list needs no query per incident.
    last_update_at: datetime | None = _when()
    # When it last became active again after being resolved, closed or declined: the
    # update clock starts there, not at an update sent before it was resolved.
    reopened_at: datetime | None = _when()
    created_at: datetime = Field(default_factory=now, sa_type=UTCDateTime, nullable=False)
    updated_at: datetime = Field(default_factory=now, sa_type=UTCDateTime, nullable=False, index=True)


class IncidentRoleAssignment(SQLModel, table=True):
    __tablename__ = "incident_role"
    id: int = Field(default=None, primary_key=True)
    incident_id: int = Field(foreign_key="incident.id", index=True)
    person_id: int = Field(foreign_key="person.id")
    role: str
    assigned_at: datetime = Field(default_factory=now, sa_type=UTCDateTime, nullable=False)


class TriageAssessment(SQLModel, table=True):
    id: int = Field(default=None, primary_key=True)
    incident_id: int = Field(foreign_key="incident.id", index=True)
    breadth: str | None = None
    impact: str | None = None
    interrupts_business: bool | None = None
    workaround: bool | None = None
    customer_visible: bool | None = None
    needs_second_team: bool | None = None
    unsolved_after_hour: bool | None = None
    confidence: str = "sure"
    suggested_severity: str = ""
    verdict: str = ""
    erred_on_caution: bool = False
    assessed_by: str = ""
    assessed_at: datetime = Field(default_factory=now, sa_type=UTCDateTime, nullable=False)
    reason: str = ""


class TimelineEntry(SQLModel, table=True):
    __table_args__ = (sa.Index("ix_timeline_incident_when", "incident_id", "occurred_at"),)

    id: int = Field(default=None, primary_key=True)
    incident_id: int = Field(foreign_key="incident.id")
    occurred_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    recorded_at: datetime = Field(default_factory=now, sa_type=UTCDateTime, nullable=False)
    kind: EntryKind = EntryKind.NOTE
    author: str = ""
    text: str
    source: EntrySource = EntrySource.MANUAL
    permalink: str = ""
    # The Slack message this entry came from, so that a pin seen twice is stored once.
    slack_ts: str = Field(default="", index=True)
    key_event: str | None = None
    # Share with the incident channel (through the outbox).
    shared: bool = False
    deleted_at: datetime | None = _when()
    edited_at: datetime | None = _when()


class TimelineEdit(SQLModel, table=True):
    """What an entry said before each edit, so that a post-mortem can trust the timeline."""

    id: int = Field(default=None, primary_key=True)
    entry_id: int = Field(foreign_key="timelineentry.id", index=True)
    edited_at: datetime = Field(default_factory=now, sa_type=UTCDateTime, nullable=False)
    editor: str = ""
    old_text: str
    old_occurred_at: datetime = Field(sa_type=UTCDateTime, nullable=False)
    old_key_event: str | None = None
    change: str = "edit"


class StatusUpdate(SQLModel, table=True):
    id: int = Field(default=None, primary_key=True)
    incident_id: int = Field(foreign_key="incident.id", index=True)
    state: UpdateState = UpdateState.DRAFT
    text: str = ""
    author: str = ""
    mirror_to_broadcast: bool = False
    attempts: int = 0
    slack_ts: str = ""
    permalink: str = ""
    last_error: str = ""
    created_at: datetime = Field(default_factory=now, sa_type=UTCDateTime, nullable=False)
    queued_at: datetime | None = _when()
    sent_at: datetime | None = _when()


class ActionItem(SQLModel, table=True):
    id: int = Field(default=None, primary_key=True)
    incident_id: int = Field(foreign_key="incident.id", index=True)
    title: str
    description: str = ""
    owner: str = ""
    due_date: str = ""  # a calendar date (YYYY-MM-DD): it has no time zone
    kind: ActionKind = ActionKind.FIX
    ticket_key: str = ""
    ticket_url: str = ""
    status: ActionStatus = ActionStatus.OPEN
    created_at: datetime = Field(default_factory=now, sa_type=UTCDateTime, nullable=False)


class PostMortem(SQLModel, table=True):
    id: int = Field(default=None, primary_key=True)
    incident_id: int = Field(foreign_key="incident.id", unique=True)
    scheduled_at: datetime | None = _when(index=True)
    held_at: datetime | None = _when()
    facilitator: str = ""
    summary: str = ""
    impact: str = ""
    root_cause: str = ""
    contributing_factors: str = ""
    went_well: str = ""
    went_badly: str = ""
    got_lucky: str = ""
    kudos: str = ""
    updated_at: datetime = Field(default_factory=now, sa_type=UTCDateTime, nullable=False)


class OutboxItem(SQLModel, table=True):
    """One Slack action, written in the same transaction as the change that causes it."""

    __table_args__ = (sa.Index("ix_outbox_state_id", "state", "id"),)

    id: int = Field(default=None, primary_key=True)
    incident_id: int | None = Field(default=None, foreign_key="incident.id", index=True)
    update_id: int | None = Field(default=None, foreign_key="statusupdate.id")
    # What to do: create_channel, set_topic, invite, announce, post_update, post_note, ...
    action: str
    # Items for one channel are delivered in id order; a channel not created yet is
    # named by its incident ("incident:41").
    channel_key: str = Field(default="", index=True)
    payload: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    state: OutboxState = OutboxState.PENDING
    attempts: int = 0
    next_attempt_at: datetime | None = _when()
    last_error: str = ""
    result: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    created_at: datetime = Field(default_factory=now, sa_type=UTCDateTime, nullable=False)
    done_at: datetime | None = _when()


class Page(SQLModel, table=True):
    """One alert paging a team's on-call for an incident (schema 4). Delivered through the
    outbox; ``dedup_key`` is fixed per incident and team, so paging again reuses it."""

    id: int = Field(default=None, primary_key=True)
    incident_id: int = Field(foreign_key="incident.id", index=True)
    # Kept by name too: the team may be renamed or removed after the page.
    team_id: int | None = None
    team_name: str = ""
    provider: str = "pagerduty"
    # The key it was sent with: its resolution must go to the same service.
    routing_key: str = ""
    dedup_key: str = Field(index=True)
    message: str = ""
    paged_by: str = ""
    # queued, triggered, acknowledged, refused, resolved (ictui.domain.paging.PageState).
    state: str = "queued"
    acknowledged_by: str = ""
    last_error: str = ""
    created_at: datetime = Field(default_factory=now, sa_type=UTCDateTime, nullable=False)
    triggered_at: datetime | None = _when()
    resolved_at: datetime | None = _when()


class Meta(SQLModel, table=True):
    """Schema version and the change counter the cockpit polls to refresh."""

    __tablename__ = "ictui_meta"
    key: str = Field(primary_key=True)
    value: str
