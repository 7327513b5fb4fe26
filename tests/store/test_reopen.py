"""A reopened incident owes its next update a cadence after it was reopened, not after the
update sent days ago before it was resolved (the header read "UPDATE OVERDUE by 53:13:43")."""

from __future__ import annotations

from datetime import timedelta

import pendulum

from ictui.domain.enums import Severity, Status
from ictui.store import Store

START = pendulum.datetime(2026, 11, 30, 9, 0)


def test_reopening_restarts_the_update_clock(any_store: Store) -> None:
    store = any_store
    with pendulum.travel_to(START, freeze=True):
        number = store.declare("Bank feed late", severity=Severity.SEV2).number
        store.queue_update(number, "We are on it")
        cadence = store.incident(number).cadence_minutes
        assert cadence
    with pendulum.travel_to(START.add(hours=1), freeze=True):
        store.change_status(number, Status.RESOLVED, "ana")
    reopened = START.add(days=2, hours=5)
    with pendulum.travel_to(reopened, freeze=True):
        store.change_status(number, Status.INVESTIGATING, "ana", "it came back")
    due = reopened + timedelta(minutes=cadence)
    # The same from the incident's own read and from the list's.
    assert store.incident(number).as_row().next_update_due() == due
    [row] = [r for r in store.list_incidents() if r.number == number]
    assert row.next_update_due() == due
    # An update sent after the reopening counts from itself, as always.
    sent = reopened.add(minutes=10)
    with pendulum.travel_to(sent, freeze=True):
        store.queue_update(number, "Investigating again")
    [row] = [r for r in store.list_incidents() if r.number == number]
    assert row.next_update_due() == sent + timedelta(minutes=cadence)


def test_an_incident_never_reopened_counts_from_its_last_update(any_store: Store) -> None:
    store = any_store
    with pendulum.travel_to(START, freeze=True):
        number = store.declare("Bank feed late", severity=Severity.SEV2).number
        cadence = store.incident(number).cadence_minutes
    with pendulum.travel_to(START.add(minutes=20), freeze=True):
        store.queue_update(number, "We are on it")
    [row] = [r for r in store.list_incidents() if r.number == number]
    assert row.reopened_at is None
    assert row.next_update_due() == START.add(minutes=20) + timedelta(minutes=cadence)
