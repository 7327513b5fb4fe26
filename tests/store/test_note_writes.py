"""A plain note goes straight to the driver (ictui.store.note_writes; on PostgreSQL as one
statement): what the models read back is what the ORM would have written, and it is a
write like any other. On SQLite and on PostgreSQL."""

from __future__ import annotations

import pendulum
import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from ictui.domain.enums import EntryKind, EntrySource
from ictui.domain.errors import NotFound
from ictui.store import Store
from ictui.store import tables as m
from support.model_views import model_entry_view as _entry_view


def test_a_note_reads_back_through_the_models_as_it_was_returned(any_store: Store) -> None:
    store = any_store
    incident = store.declare("Checkout returns 500s", author="ana")
    before = store.revision()
    at = pendulum.datetime(2026, 11, 24, 9, 15, 0, tz="Europe/Paris")  # no microseconds
    returned = store.add_entry(incident.number, "Rolled back the 14:02 deploy", author="ana", at=at)

    with Session(store.engine) as s:
        row = s.get(m.TimelineEntry, returned.id)
        assert row is not None
        assert _entry_view(row) == returned
        assert row.occurred_at == at
        assert (row.kind, row.source, row.shared, row.key_event) == (
            EntryKind.NOTE,
            EntrySource.MANUAL,
            False,
            None,
        )
        touched = s.scalar(sa.select(m.Incident.updated_at).where(m.Incident.number == incident.number))
    assert touched == returned.recorded_at
    assert store.revision() == before + 1
    assert returned in store.timeline(incident.number)


def test_a_note_for_no_incident_writes_nothing(any_store: Store) -> None:
    store = any_store
    store.declare("Checkout returns 500s", author="ana")
    before = store.revision()
    with pytest.raises(NotFound, match="#999"):
        store.add_entry(999, "lost?", author="ana")
    assert store.revision() == before
    with Session(store.engine) as s:
        assert (
            s.scalar(
                sa.select(sa.func.count()).select_from(m.TimelineEntry).where(m.TimelineEntry.text == "lost?")
            )
            == 0
        )
    # The connection went back to the pool out of its transaction: the next note commits.
    assert store.add_entry(1, "found", author="ana").text == "found"


def test_a_note_says_which_revision_it_made(any_store: Store) -> None:
    store = any_store
    """One more than the revision before it, unless someone else wrote in between."""
    number = store.declare("Checkout returns 500s", author="ana").number
    before = store.revision()
    entry, revision = store.add_note(number, "first look", author="ana")
    assert revision == before + 1 == store.revision()
    assert entry.text == "first look"
    other = Store(store.path)
    other.edit_incident(number, title="Checkout returns 500s in the EU")
    other.close()
    _, later = store.add_note(number, "second look", author="ana")
    assert later == revision + 2
