"""The demo's incidents are data: each a record of steps, written by one function."""

from __future__ import annotations

from ictui.demo import INCIDENTS
from ictui.demo.steps import Declare, DeleteEntry, EditEntry, Meeting, Note


def test_fifteen_incidents_numbered_30_to_44_in_the_order_written() -> None:
    assert [incident.number for incident in INCIDENTS] == list(range(30, 45))


def test_each_incident_begins_with_its_declaration() -> None:
    for incident in INCIDENTS:
        assert isinstance(incident.steps[0], Declare), f"#{incident.number} does not begin with Declare"
        assert sum(isinstance(step, Declare) for step in incident.steps) == 1


def test_an_edited_or_deleted_entry_is_a_note_labelled_before_it() -> None:
    for incident in INCIDENTS:
        labels: set[str] = set()
        for step in incident.steps:
            if isinstance(step, Note) and step.label:
                labels.add(step.label)
            if isinstance(step, (EditEntry, DeleteEntry)):
                assert step.entry in labels, f"#{incident.number}: {step.entry!r} is not a note before it"


def test_past_incidents_began_days_ago_and_active_ones_now() -> None:
    for incident in INCIDENTS:
        if incident.number <= 40:
            assert incident.day is not None, f"#{incident.number}"
        else:
            assert incident.day is None and not any(isinstance(s, Meeting) for s in incident.steps)
