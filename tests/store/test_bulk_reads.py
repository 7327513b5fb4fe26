"""The incident list and timelines read straight from SQLite rows say what the models say.

ictui.store.bulk_reads skips SQLAlchemy's row processing for the two reads that return
thousands of rows, and the cockpit's first list is read with the standard library
alone. Each is checked here against the same data read through the SQLModel models.
"""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import timedelta
from pathlib import Path

import pendulum
import sqlalchemy as sa
from sqlalchemy.orm import Session

from ictui.domain.enums import KeyEvent, Status
from ictui.domain.views import EntryView, IncidentRow
from ictui.store import Store
from ictui.store import tables as m
from ictui.store.bulk_reads import read_incident_list
from ictui.store.seed import seed_generated
from support.model_views import model_entry_view as _entry_view


def rows_from_models(store: Store, active_only: bool = False) -> list[IncidentRow]:
    with Session(store.engine) as s:
        incidents = s.scalars(sa.select(m.Incident).order_by(m.Incident.number.desc())).all()
        rows = []
        for i in incidents:
            if active_only and not i.status.is_active:
                continue
            ic = s.get(m.Person, i.ic_id) if i.ic_id else None
            pm = s.scalar(sa.select(m.PostMortem).where(m.PostMortem.incident_id == i.id))
            rows.append(
                IncidentRow(
                    number=i.number,
                    title=i.title,
                    severity=i.severity,
                    status=i.status,
                    ic_name=ic.name if ic else "",
                    declared_at=i.declared_at,
                    created_at=i.created_at,
                    last_update_at=i.last_update_at,
                    cadence_minutes=i.cadence_minutes,
                    postmortem_due_at=pm.scheduled_at if pm else None,
                    postmortem_held=pm is not None and pm.held_at is not None,
                )
            )
        return rows


def timeline_from_models(store: Store, number: int, include_deleted: bool) -> list[EntryView]:
    with Session(store.engine) as s:
        incident_id = s.scalar(sa.select(m.Incident.id).where(m.Incident.number == number))
        query = sa.select(m.TimelineEntry).where(m.TimelineEntry.incident_id == incident_id)
        if not include_deleted:
            query = query.where(m.TimelineEntry.deleted_at.is_(None))
        entries = s.scalars(query.order_by(m.TimelineEntry.occurred_at, m.TimelineEntry.id))
        return [_entry_view(e) for e in entries]


def varied(store: Store) -> Store:
    """Generated history (every status, post-mortems held or due) and a live incident
    with an edited, a deleted, a shared and a key-event entry, and no IC."""
    seed_generated(store, incidents=60, entries_per_incident=4, updates_per_incident=2)
    live = store.declare("Checkout returns 500s", author="ana")
    store.add_entry(live.number, "Error rate at 30%", author="ana", key_event=KeyEvent.IMPACT_STARTED)
    edited = store.add_entry(
        live.number, "Rolled back", author="ana", at=pendulum.now("UTC").subtract(minutes=3)
    )
    store.edit_entry(edited.id, text="Rolled back the 14:02 deploy", editor="bo")
    deleted = store.add_entry(live.number, "wrong incident", author="bo")
    store.delete_entry(deleted.id, editor="bo")
    shared = store.add_entry(live.number, "Customers told", author="ana")
    store.share_entry(shared.id)
    store.change_status(live.number, Status.RESOLVED, "ana")
    return store


def test_the_incident_list_reads_what_the_models_hold(store: Store) -> None:
    varied(store)
    expected = rows_from_models(store)
    assert {r.status for r in expected} >= {Status.CLOSED, Status.RESOLVED, Status.DECLINED}
    assert any(r.postmortem_held for r in expected) and any(
        r.postmortem_due_at and not r.postmortem_held for r in expected
    )
    assert store.list_incidents() == expected
    assert store.list_incidents(active_only=True) == rows_from_models(store, active_only=True)
    # The cockpit's first read, without SQLAlchemy, gives the same rows, times in UTC.
    peeked = read_incident_list(store.path)
    assert peeked is not None and peeked.rows == expected
    assert all(r.created_at.utcoffset() == timedelta(0) for r in peeked.rows)
    # With the revision it was read at: the store's list is not read again while it holds.
    assert peeked.revision == store.revision()


def test_a_timeline_reads_what_the_models_hold(store: Store) -> None:
    varied(store)
    live = store.list_incidents()[0].number
    for include_deleted in (False, True):
        expected = timeline_from_models(store, live, include_deleted)
        assert store.timeline(live, include_deleted=include_deleted) == expected
    marks = store.timeline(live, include_deleted=True)
    assert [e.deleted for e in marks].count(True) == 1
    assert any(e.edited for e in marks) and any(e.shared for e in marks) and any(e.key_event for e in marks)
    for row in store.list_incidents()[1:6]:
        assert store.timeline(row.number) == timeline_from_models(store, row.number, False)


def test_the_first_read_leaves_what_it_cannot_read_to_the_store(tmp_path: Path) -> None:
    assert read_incident_list(tmp_path / "nothing-here.db") is None
    foreign = tmp_path / "foreign.db"
    connection = sqlite3.connect(foreign)
    connection.execute("CREATE TABLE notes (text TEXT)")
    connection.commit()
    connection.close()
    text = tmp_path / "notes.txt"
    text.write_text("not a database\n", encoding="utf-8")
    for path in (foreign, text, tmp_path):
        before = sorted(
            (p.name, hashlib.sha256(p.read_bytes()).hexdigest()) for p in tmp_path.iterdir() if p.is_file()
        )
        assert read_incident_list(path) is None
        after = sorted(
            (p.name, hashlib.sha256(p.read_bytes()).hexdigest()) for p in tmp_path.iterdir() if p.is_file()
        )
        assert after == before


def test_the_first_read_never_writes_to_the_database(store: Store) -> None:
    varied(store)
    store.close()
    digest = hashlib.sha256(store.path.read_bytes()).hexdigest()
    assert read_incident_list(store.path)
    assert hashlib.sha256(store.path.read_bytes()).hexdigest() == digest
