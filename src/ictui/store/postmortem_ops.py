"""Post-mortem reads and writes: the record, action items, and the numbers across incidents.

A mixin of :class:`ictui.store.api.Store`, on the base's sessions and helpers.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlmodel import col

from ictui.domain import exports
from ictui.domain import postmortem as pm
from ictui.domain.clock import now, to_local
from ictui.domain.enums import ActionKind, ActionStatus, EntryKind, KeyEvent, Severity, Status, UpdateState
from ictui.domain.errors import InvalidInput, NotFound
from ictui.domain.limits import LIMITS, check_length, checked, quoted
from ictui.domain.review import (
    SECTION_NAMES,
    ActionItemView,
    OwnerLoad,
    PostMortemView,
    StatsView,
)
from ictui.store import bulk_reads
from ictui.store import tables as m
from ictui.store.base import driver_of
from ictui.store.paging_ops import engagement_of
from ictui.store.records import Records

MAX_ITEM_TITLE = LIMITS["title"]
MAX_SECTION = LIMITS["note"]
_ITEM_FIELDS = frozenset(
    {"title", "description", "owner", "due_date", "kind", "ticket_key", "ticket_url", "status"}
)
_OPEN = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)
# Reports never declared, and defects, are not incidents to count.
_NOT_INCIDENTS = (Status.TRIAGE, Status.DECLINED)


class PostMortemOps(Records):
    # ------------------------------------------------------------------ the record

    def postmortem(self, number: int) -> PostMortemView:
        """The record, its action items, the timeline and what is computed from them."""
        with self._read() as s:
            return self._postmortem_view(s, self._incident(s, number))

    def save_postmortem(self, number: int, **changes: Any) -> PostMortemView:
        """Save any of the sections, ``scheduled_at``, ``held_at`` (None clears) and ``facilitator``."""
        unknown = set(changes) - set(SECTION_NAMES) - {"scheduled_at", "held_at", "facilitator"}
        if unknown:
            raise TypeError(f"not post-mortem fields: {', '.join(sorted(unknown))}")
        values: dict[str, Any] = {}
        for name, value in changes.items():
            if name in ("scheduled_at", "held_at"):
                values[name] = _aware(name, value)
            elif name == "facilitator":
                values[name] = checked("name", value, what="the facilitator")
            else:
                values[name] = checked("note", value, what=f"the {name.replace('_', ' ')}")

        def work(s: Session) -> PostMortemView:
            incident = self._incident(s, number)
            record = self._postmortem_row(s, incident)
            for name, value in values.items():
                setattr(record, name, value)
            record.updated_at = now()
            return self._postmortem_view(s, incident)

        return self._write(work)

    def schedule_postmortem(self, number: int, at: datetime) -> PostMortemView:
        """Set (or move) the meeting; resolving already scheduled a default."""
        return self.save_postmortem(number, scheduled_at=at)

    def post_postmortem_summary(self, number: int) -> str:
        """Queue the summary for the incident channel; returns the text that will be posted."""

        def work(s: Session) -> str:
            incident = self._incident(s, number)
            text = exports.slack_summary(self._postmortem_view(s, incident))
            self._enqueue(s, incident, "post_postmortem", {"text": text})
            return text

        return self._write(work)

    # ------------------------------------------------------------------ action items

    def add_action_item(
        self,
        number: int,
        title: str,
        owner: str = "",
        due_date: str = "",
        kind: ActionKind | str = ActionKind.FIX,
        ticket_key: str = "",
        ticket_url: str = "",
        description: str = "",
        status: ActionStatus | str = ActionStatus.OPEN,
        author: str = "",
    ) -> ActionItemView:
        """Record an action item (and say so on the timeline), created during the meeting."""
        fields = _item_fields(
            {
                "title": title,
                "owner": owner,
                "due_date": due_date,
                "kind": kind,
                "ticket_key": ticket_key,
                "ticket_url": ticket_url,
                "description": description,
                "status": status,
            }
        )

        def work(s: Session) -> ActionItemView:
            incident = self._incident(s, number)
            at = now()
            item = m.ActionItem(incident_id=incident.id, created_at=at, **fields)
            s.add(item)
            s.flush()
            details = ", ".join(
                part
                for part in (fields["owner"], f"due {fields['due_date']}" if fields["due_date"] else "")
                if part
            )
            text = f"Action item: {fields['title']}" + (f" ({details})" if details else "")
            self._entry(s, incident, text, at, EntryKind.ACTION, author)
            incident.updated_at = at
            return _item_view(item, incident.number)

        return self._write(work)

    def update_action_item(self, item_id: int, **changes: Any) -> ActionItemView:
        """Change any field; a ticket key (or link) typed back links the item to its ticket."""
        unknown = set(changes) - _ITEM_FIELDS
        if unknown:
            raise TypeError(f"not action item fields: {', '.join(sorted(unknown))}")

        def work(s: Session) -> ActionItemView:
            item = s.get(m.ActionItem, item_id)
            if item is None:
                raise NotFound(f"there is no action item {item_id}")
            current = {name: getattr(item, name) for name in _ITEM_FIELDS}
            # A new key with no new link drops the old link: it pointed at another ticket.
            if "ticket_key" in changes and "ticket_url" not in changes:
                current["ticket_url"] = ""
            for name, value in _item_fields({**current, **changes}).items():
                setattr(item, name, value)
            number = s.execute(
                sa.select(col(m.Incident.number)).where(col(m.Incident.id) == item.incident_id)
            ).scalar_one()
            self._touch(s, item.incident_id)
            return _item_view(item, number)

        return self._write(work)

    def action_items(self, number: int | None = None, *, open_only: bool = False) -> list[ActionItemView]:
        """One incident's action items, or every incident's, oldest incident first."""
        query = sa.select(m.ActionItem, col(m.Incident.number)).join(
            m.Incident, col(m.Incident.id) == col(m.ActionItem.incident_id)
        )
        with self._read() as s:
            if number is not None:
                query = query.where(col(m.ActionItem.incident_id) == self._incident_id(s, number))
            if open_only:
                query = query.where(col(m.ActionItem.status).in_(_OPEN))
            rows = s.execute(query.order_by(col(m.Incident.number), col(m.ActionItem.id))).all()
        return [_item_view(item, incident_number) for item, incident_number in rows]

    # ------------------------------------------------------------------ across incidents

    def incident_stats(self, days: int = 30) -> StatsView:
        """The stats screen's numbers over the last ``days`` days, in three queries."""
        if days < 1:
            raise InvalidInput("the period is at least one day")
        at = now()
        since = at.subtract(days=days)
        started = sa.func.coalesce(m.Incident.declared_at, m.Incident.created_at)
        window = (
            sa.select(col(m.Incident.id))
            .where(started >= since, col(m.Incident.status).not_in(_NOT_INCIDENTS))
            .scalar_subquery()
        )
        with self._read() as s:
            incidents = s.execute(
                sa.select(
                    col(m.Incident.id),
                    col(m.Incident.number),
                    col(m.Incident.severity),
                    col(m.Incident.reported_at),
                    col(m.Incident.declared_at),
                    col(m.Incident.mitigated_at),
                    col(m.Incident.resolved_at),
                    col(m.PostMortem.scheduled_at),
                    col(m.PostMortem.held_at),
                )
                .outerjoin(m.PostMortem, col(m.PostMortem.incident_id) == m.Incident.id)
                .where(col(m.Incident.id).in_(window))
            ).all()
            mark_rows = s.execute(
                sa.select(
                    col(m.TimelineEntry.incident_id),
                    col(m.TimelineEntry.key_event),
                    sa.func.min(m.TimelineEntry.occurred_at),
                )
                .where(
                    col(m.TimelineEntry.incident_id).in_(window),
                    col(m.TimelineEntry.key_event).in_([KeyEvent.IMPACT_STARTED, KeyEvent.DETECTED]),
                    col(m.TimelineEntry.deleted_at).is_(None),
                )
                .group_by(col(m.TimelineEntry.incident_id), col(m.TimelineEntry.key_event))
            ).all()
            today = to_local(at).date().isoformat()
            owners = s.execute(
                sa.select(
                    col(m.ActionItem.owner),
                    sa.func.count(),
                    sa.func.sum(
                        sa.case(
                            (
                                sa.and_(col(m.ActionItem.due_date) != "", col(m.ActionItem.due_date) < today),
                                1,
                            ),
                            else_=0,
                        )
                    ),
                )
                .where(col(m.ActionItem.status).in_(_OPEN))
                .group_by(m.ActionItem.owner)
            ).all()

        marks: dict[int, dict[str, datetime]] = defaultdict(dict)
        for incident_id, key, first in mark_rows:
            if key is not None:  # none is: the query asks for two key events
                marks[incident_id][key] = first
        per_severity = {severity: 0 for severity in Severity}
        mitigate, resolve = [], []
        states = {state: 0 for state in pm.PostMortemState}
        for row in incidents:
            per_severity[Severity(row.severity)] += 1
            times = pm.key_times(
                marks.get(row.id, {}),
                reported_at=row.reported_at,
                declared_at=row.declared_at,
                mitigated_at=row.mitigated_at,
                resolved_at=row.resolved_at,
            )
            if (seconds := pm.elapsed_from_start(times, KeyEvent.MITIGATED)) is not None:
                mitigate.append((row.number, seconds))
            if (seconds := pm.elapsed_from_start(times, KeyEvent.RESOLVED)) is not None:
                resolve.append((row.number, seconds))
            if row.resolved_at is not None:
                states[pm.postmortem_state(row.scheduled_at, row.held_at, at)] += 1
        loads = sorted(
            (
                OwnerLoad(owner or "(no owner)", int(count), int(overdue or 0))
                for owner, count, overdue in owners
            ),
            key=lambda load: (-load.open_items, load.owner.lower()),
        )
        return StatsView(
            days=days,
            since=since,
            per_severity=tuple(per_severity.items()),
            to_mitigate=pm.time_stat(mitigate),
            to_resolve=pm.time_stat(resolve),
            postmortems_on_time=states[pm.PostMortemState.ON_TIME],
            postmortems_late=states[pm.PostMortemState.LATE],
            postmortems_overdue=states[pm.PostMortemState.OVERDUE],
            postmortems_upcoming=states[pm.PostMortemState.UPCOMING],
            open_items_by_owner=tuple(loads),
        )

    # ------------------------------------------------------------------ internals

    def _postmortem_row(self, s: Session, incident: m.Incident) -> m.PostMortem:
        record = s.execute(
            sa.select(m.PostMortem).where(col(m.PostMortem.incident_id) == incident.id)
        ).scalar()
        if record is None:
            ic = s.get(m.Person, incident.ic_id) if incident.ic_id else None
            record = m.PostMortem(incident_id=incident.id, facilitator=ic.name if ic else "")
            s.add(record)
            s.flush()
        return record

    def _postmortem_view(self, s: Session, incident: m.Incident) -> PostMortemView:
        s.flush()
        ic = s.get(m.Person, incident.ic_id) if incident.ic_id else None
        record = s.execute(
            sa.select(m.PostMortem).where(col(m.PostMortem.incident_id) == incident.id)
        ).scalar()
        entries = tuple(
            entry
            for entry in bulk_reads.entry_views(driver_of(s), incident.number) or ()
            # Action items have their own list; on the timeline they would only add the days
            # between the incident and the meeting as a "gap".
            if entry.kind is not EntryKind.ACTION
        )
        items = s.execute(
            sa.select(m.ActionItem)
            .where(col(m.ActionItem.incident_id) == incident.id)
            .order_by(col(m.ActionItem.id))
        ).scalars()
        times = pm.key_times(
            pm.earliest_marks(entries),
            reported_at=incident.reported_at,
            declared_at=incident.declared_at,
            mitigated_at=incident.mitigated_at,
            resolved_at=incident.resolved_at,
        )
        sections = {name: getattr(record, name) if record else "" for name in SECTION_NAMES}
        engaged = engagement_of(s, incident)
        return PostMortemView(
            engagement=engaged if engaged.paged_at is not None else None,
            number=incident.number,
            title=incident.title,
            severity=Severity(incident.severity),
            status=Status(incident.status),
            ic_name=ic.name if ic else "",
            slack_channel_name=incident.slack_channel_name,
            cadence_minutes=incident.cadence_minutes,
            scheduled_at=record.scheduled_at if record else None,
            held_at=record.held_at if record else None,
            facilitator=record.facilitator if record else (ic.name if ic else ""),
            updated_at=record.updated_at if record else None,
            timeline=entries,
            gaps=pm.gaps(entries),
            notable_gap_seconds=pm.notable_gap_seconds(incident.cadence_minutes),
            durations=pm.durations(times),
            intervals=pm.update_intervals(
                incident.declared_at or incident.created_at,
                # Updates that reached Slack, when they did: one queued and never delivered
                # was not an update anyone read.
                sorted(
                    sent_at
                    for sent_at in s.execute(
                        sa.select(col(m.StatusUpdate.sent_at)).where(
                            col(m.StatusUpdate.incident_id) == incident.id,
                            col(m.StatusUpdate.state) == UpdateState.SENT,
                            col(m.StatusUpdate.sent_at).is_not(None),
                        )
                    ).scalars()
                    if sent_at is not None  # none is: the query asks for sent ones
                ),
                times[KeyEvent.RESOLVED],
                incident.cadence_minutes,
            ),
            action_items=tuple(_item_view(item, incident.number) for item in items),
            **sections,
        )


def _aware(name: str, value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        raise InvalidInput(f"the {name.replace('_', ' ')} needs a time zone")
    return value


def _item_fields(raw: dict[str, Any]) -> dict[str, Any]:
    """Clean and check an action item's fields, as the user typed them."""
    title = checked("title", raw["title"])
    if not title:
        raise InvalidInput("an action item needs a title")
    ticket = raw["ticket_key"].strip()
    check_length("link" if ticket.lower().startswith(("http://", "https://")) else "ticket key", ticket)
    check_length("link", raw["ticket_url"].strip())
    key, url = pm.parse_ticket(raw["ticket_key"])
    if raw["ticket_url"].strip():
        link_key, url = pm.parse_ticket(raw["ticket_url"])
        if not url:
            raise InvalidInput(f"{quoted(raw['ticket_url'].strip())} is not a link")
        key = key or link_key
    try:
        kind = ActionKind(raw["kind"])
        status = ActionStatus(raw["status"])
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None
    return {
        "title": title,
        "description": checked("note", raw["description"], what="the description"),
        "owner": checked("owner", raw["owner"]),
        "due_date": pm.parse_due_date(raw["due_date"], to_local(now()).date()),
        "kind": kind,
        "ticket_key": key,
        "ticket_url": url,
        "status": status,
    }


def _item_view(item: m.ActionItem, number: int) -> ActionItemView:
    return ActionItemView(
        id=item.id,
        incident_number=number,
        title=item.title,
        description=item.description,
        owner=item.owner,
        due_date=item.due_date,
        kind=ActionKind(item.kind),
        ticket_key=item.ticket_key,
        ticket_url=item.ticket_url,
        status=ActionStatus(item.status),
        created_at=item.created_at,
    )
