"""The records every subject of the store works with: incidents, timeline entries, the
Slack actions a change queues, and the views a write returns (read back in its
transaction, by the builders of store/views.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlmodel import col

from ictui.domain.clock import now
from ictui.domain.enums import EntryKind
from ictui.domain.errors import NotFound
from ictui.domain.views import EntryView, IncidentView
from ictui.store import bulk_reads, incident_reads
from ictui.store import tables as m
from ictui.store.base import StoreBase, driver_of
from ictui.store.write_rows import entry_values


class Records(StoreBase):
    """The helpers the subjects share, on the base's sessions."""

    def _incident(self, s: Session, number: int) -> m.Incident:
        incident = s.execute(sa.select(m.Incident).where(col(m.Incident.number) == number)).scalar()
        if incident is None:
            raise NotFound(f"there is no incident #{number}")
        return incident

    def _incident_id(self, s: Session, number: int) -> int:
        incident_id = s.execute(
            sa.select(col(m.Incident.id)).where(col(m.Incident.number) == number)
        ).scalar()
        if incident_id is None:
            raise NotFound(f"there is no incident #{number}")
        return incident_id

    def _touch(self, s: Session, incident_id: int) -> None:
        s.execute(sa.update(m.Incident).where(col(m.Incident.id) == incident_id).values(updated_at=now()))

    def _entry(
        self,
        s: Session,
        incident: m.Incident,
        text: str,
        at: datetime,
        kind: EntryKind,
        author: str,
        **columns: Any,
    ) -> m.TimelineEntry:
        """Add an entry; ``columns``: source, permalink, slack_ts, key_event (entry_values)."""
        entry = m.TimelineEntry(incident_id=incident.id, **entry_values(text, at, kind, author, **columns))
        s.add(entry)
        s.flush()
        return entry

    def _remember(self, s: Session, entry: m.TimelineEntry, editor: str, change: str) -> None:
        s.add(
            m.TimelineEdit(
                entry_id=entry.id,
                editor=editor,
                old_text=entry.text,
                old_occurred_at=entry.occurred_at,
                old_key_event=entry.key_event,
                change=change,
            )
        )

    def _entry_view(self, s: Session, entry: m.TimelineEntry) -> EntryView:
        """The entry as this transaction leaves it (bulk_reads, on its connection)."""
        s.flush()
        view = bulk_reads.entry_by_id(driver_of(s), entry.id)
        assert view is not None, "the entry was just written in this transaction"
        return view

    def _enqueue(self, s: Session, incident: m.Incident, action: str, payload: dict[str, Any]) -> None:
        s.add(
            m.OutboxItem(
                incident_id=incident.id,
                action=action,
                channel_key=channel_key(incident),
                payload=payload,
            )
        )

    def _view(self, s: Session, incident: m.Incident) -> IncidentView:
        """The incident as this transaction leaves it (incident_reads, on its connection)."""
        s.flush()
        view = incident_reads.incident_view(driver_of(s), incident.number)
        assert view is not None, "the incident was just read in this transaction"
        return view


def channel_key(incident: m.Incident) -> str:
    return incident.slack_channel_id or f"incident:{incident.number}"
