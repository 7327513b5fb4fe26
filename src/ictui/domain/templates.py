"""The status update an IC sends every cadence, prefilled from the incident's state.

The template says what people ask for in every update: where we are, who is hurt, what
we know, what happens next, and when they will hear from us again.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from ictui.domain.clock import to_local
from ictui.domain.enums import EntryKind, Status
from ictui.domain.views import EntryView, IncidentView

_STATUS_PHRASES = {
    Status.TRIAGE: "We are assessing a report and deciding whether it is an incident.",
    Status.INVESTIGATING: "We are investigating the cause.",
    Status.IDENTIFIED: "We have identified the cause and are working on a fix.",
    Status.MONITORING: "A fix is in place and we are monitoring the results.",
    Status.RESOLVED: "The incident is resolved.",
    Status.CLOSED: "The incident is closed.",
    Status.DECLINED: "This was judged a defect, not an incident; the owning team will follow up.",
}

_NEXT_STEPS = {
    Status.TRIAGE: "Decide whether to treat this as an incident.",
    Status.INVESTIGATING: "Find the owning team and the cause.",
    Status.IDENTIFIED: "Ship and verify the fix.",
    Status.MONITORING: "Watch the metrics; resolve if they stay healthy.",
    Status.RESOLVED: "Post-mortem to be scheduled.",
    Status.CLOSED: "None.",
    Status.DECLINED: "None from the incident team.",
}

# The notes worth quoting in "what we know": written by people, not by the system.
_KNOWN_KINDS = (EntryKind.NOTE, EntryKind.SLACK, EntryKind.DECISION)


def next_update_at(incident: IncidentView, at: datetime) -> datetime | None:
    if not incident.status.is_active or not incident.cadence_minutes:
        return None
    return at + timedelta(minutes=incident.cadence_minutes)


def update_text(incident: IncidentView, entries: Sequence[EntryView], at: datetime) -> str:
    """The prefilled update: plain text the IC edits; Slack formatting is added when sent."""
    known = [e.text.splitlines()[0] for e in entries if e.kind in _KNOWN_KINDS and not e.deleted][-3:]
    lines = [
        f"[{incident.severity}] #{incident.number} {incident.title}: {incident.status}",
        f"Status: {_STATUS_PHRASES[incident.status]}",
        f"Impact: {incident.summary or 'being assessed.'}",
        "What we know:",
        *(f"- {text}" for text in known or ["Nothing confirmed yet."]),
        f"Next steps: {_NEXT_STEPS[incident.status]}",
    ]
    due = next_update_at(incident, at)
    if due is not None:
        lines.append(f"Next update at {to_local(due).format('HH:mm')}.")
    ic = incident.ic.name if incident.ic else "unassigned"
    lines.append(f"IC: {ic}")
    return "\n".join(lines)
