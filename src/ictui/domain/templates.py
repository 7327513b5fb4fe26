"""The status update an IC sends every cadence, prefilled from the incident's state.

The template says what people ask for in every update: where we are, who is hurt, what
we know, what happens next, and when they will hear from us again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from ictui.domain.clock import to_local
from ictui.domain.enums import EntryKind, EntrySource, Status
from ictui.domain.slack_text import cap, slack_length
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
# The author of the tool's own Slack bookkeeping ("Channel topic set…", "Announced in…").
BOOKKEEPING_AUTHOR = "slack"
# How many of the latest known facts an update quotes.
KNOWN_LINES = 3
# "What we know": one fact, and all of them, as Slack counts characters; the impact line.
FACT_LIMIT = 500
KNOWN_TOTAL = 1_500
SUMMARY_LIMIT = 2_000
# A second identical update within this is asked about before it goes.
DUPLICATE_WINDOW = timedelta(minutes=1)


def written_by_people(entry: EntryView) -> bool:
    """A note, decision or pinned Slack message someone wrote, or an entry someone marked
    as a key event; not the tool's own bookkeeping (status lines, Slack steps, failures)."""
    if entry.deleted or entry.source is EntrySource.SYSTEM or entry.author == BOOKKEEPING_AUTHOR:
        return False
    return entry.kind in _KNOWN_KINDS or (bool(entry.key_event) and entry.kind is not EntryKind.UPDATE)


def known_facts(entries: Sequence[EntryView]) -> list[str]:
    """The latest things people wrote and marked, oldest first, one line each: each cut to
    FACT_LIMIT and all of them to KNOWN_TOTAL characters as Slack counts them, so that a
    long pinned message never makes the prefilled update too long for Slack."""
    # From the newest back, and no further than needed: an incident's timeline may hold
    # thousands of entries, and this runs each time the incident is shown.
    lines: list[str] = []
    for entry in reversed(entries):
        if written_by_people(entry) and entry.text.strip():
            lines.append(cap(entry.text.strip().splitlines()[0], FACT_LIMIT, "…"))
            if len(lines) == KNOWN_LINES:
                break
    lines.reverse()
    kept: list[str] = []
    total = 0
    for line in reversed(lines):
        total += slack_length(line) + 3
        if total > KNOWN_TOTAL:
            break
        kept.append(line)
    return kept[::-1]


@dataclass(frozen=True, slots=True)
class UpdateBasis:
    """What of the incident an update's text is built on: if it changes, the text is stale."""

    status: Status
    severity: str
    ic: str
    cadence_minutes: int | None
    facts: tuple[str, ...]

    @classmethod
    def of(cls, incident: IncidentView, entries: Sequence[EntryView]) -> UpdateBasis:
        return cls(
            incident.status,
            str(incident.severity),
            incident.ic.name if incident.ic else "",
            incident.cadence_minutes,
            tuple(known_facts(entries)),
        )

    def changes_since(self, earlier: UpdateBasis) -> list[str]:
        """What changed from ``earlier`` to this one, in words; empty when nothing did."""
        changes = []
        if earlier.status != self.status:
            changes.append(f"status {earlier.status} → {self.status}")
        if earlier.severity != self.severity:
            changes.append(f"severity {earlier.severity} → {self.severity}")
        if earlier.ic != self.ic:
            changes.append(f"IC {earlier.ic or 'unassigned'} → {self.ic or 'unassigned'}")
        if earlier.cadence_minutes != self.cadence_minutes:
            changes.append("update cadence")
        new = [fact for fact in self.facts if fact not in earlier.facts]
        if new:
            changes.append(f"{len(new)} new note{'s' if len(new) != 1 else ''}")
        return changes


def recent_duplicate(text: str, sent: Sequence[tuple[str, datetime]], at: datetime) -> datetime | None:
    """When the same text was queued less than DUPLICATE_WINDOW ago, else None."""
    wanted = " ".join(text.split())
    for earlier, queued_at in sent:
        if " ".join(earlier.split()) == wanted and at - queued_at < DUPLICATE_WINDOW:
            return queued_at
    return None


def next_update_at(incident: IncidentView, at: datetime) -> datetime | None:
    if not incident.status.is_active or not incident.cadence_minutes:
        return None
    return at + timedelta(minutes=incident.cadence_minutes)


def update_text(incident: IncidentView, entries: Sequence[EntryView], at: datetime) -> str:
    """The prefilled update: plain text the IC edits; Slack formatting is added when sent."""
    known = known_facts(entries)
    lines = [
        f"[{incident.severity}] #{incident.number} {incident.title}: {incident.status}",
        f"Status: {_STATUS_PHRASES[incident.status]}",
        f"Impact: {cap(incident.summary, SUMMARY_LIMIT, '…') if incident.summary else 'being assessed.'}",
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
