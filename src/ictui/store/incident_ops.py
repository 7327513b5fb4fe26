"""Incidents: editing and triage (a mixin of the Store). Declaring, status, severity and
roles are the everyday writes, in plain SQL (store/incident_writes.py)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ictui.domain.clock import now
from ictui.domain.enums import EntryKind, Status
from ictui.domain.errors import InvalidInput
from ictui.domain.limits import LIMITS, checked, checked_list
from ictui.domain.text import clean_text
from ictui.domain.triage import TriageAnswers, TriageResult, assess
from ictui.domain.views import IncidentView
from ictui.store import tables as m
from ictui.store import write_rows
from ictui.store.base import driver_of
from ictui.store.incident_writes import set_severity, set_status
from ictui.store.roster_ops import RosterOps

MAX_TITLE = LIMITS["title"]


class IncidentOps(RosterOps):
    """The incident's own record; people are named through the roster (RosterOps)."""

    # ------------------------------------------------------------------ incidents: writes

    def edit_incident(
        self,
        number: int,
        *,
        title: str | None = None,
        summary: str | None = None,
        components: list[str] | None = None,
        owning_teams: list[str] | None = None,
        cadence_minutes: int | str | None = "keep",
    ) -> IncidentView:
        title = checked("title", title, required=True) if title is not None else None
        summary = checked("note", summary, what="the summary") if summary is not None else None
        components = checked_list("part", components) if components is not None else None
        owning_teams = checked_list("team", owning_teams) if owning_teams is not None else None

        def work(s: Session) -> IncidentView:
            incident = self._incident(s, number)
            if title is not None:
                incident.title = title
            if summary is not None:
                incident.summary = summary
            if components is not None:
                incident.components = components
            if owning_teams is not None:
                incident.owning_teams = owning_teams
            if cadence_minutes != "keep":
                if cadence_minutes is not None and not 1 <= int(cadence_minutes) <= 24 * 60:
                    raise InvalidInput("the update cadence is between 1 and 1440 minutes")
                incident.cadence_minutes = None if cadence_minutes is None else int(cadence_minutes)
            incident.updated_at = now()
            return self._view(s, incident)

        return self._write(work)

    def record_triage(
        self,
        number: int,
        answers: TriageAnswers,
        author: str = "",
        reason: str = "",
        *,
        apply_severity: bool = True,
    ) -> TriageResult:
        """Store the checklist and the decision; the verdict moves a report out of triage.

        ``apply_severity=False``: the IC kept the severity they had (the cockpit asks)."""
        result = assess(answers)
        reason = checked("note", reason, what="the reason")

        def work(s: Session) -> TriageResult:
            incident = self._incident(s, number)
            at = now()
            why = clean_text(reason) or "; ".join(result.reasons)
            s.add(
                m.TriageAssessment(
                    incident_id=incident.id,
                    breadth=answers.breadth,
                    impact=answers.impact,
                    interrupts_business=answers.interrupts_business,
                    workaround=answers.workaround,
                    customer_visible=answers.customer_visible,
                    needs_second_team=answers.needs_second_team,
                    unsolved_after_hour=answers.unsolved_after_hour,
                    confidence=answers.confidence,
                    suggested_severity=result.severity,
                    verdict=result.verdict,
                    erred_on_caution=result.erred_on_caution,
                    assessed_by=author,
                    assessed_at=at,
                    reason=why,
                )
            )
            incident.verdict = result.verdict
            incident.decided_by = author
            incident.decided_at = at
            incident.decision_reason = why
            incident.erred_on_caution = result.erred_on_caution
            incident.breadth = answers.breadth or ""
            self._entry(s, incident, f"Triage: {result.summary}. {why}", at, EntryKind.DECISION, author)
            # The severity and the status change as the everyday writes change them, on
            # this session's connection, in its transaction (its changes flushed above).
            connection = driver_of(s)
            found = write_rows.incident(connection, number)
            if apply_severity and found.severity != result.severity:
                set_severity(connection, self.policy, found, result.severity, author, "suggested by triage")
            if result.verdict == "defect" and found.status is Status.TRIAGE:
                set_status(
                    connection,
                    self.policy,
                    found,
                    Status.DECLINED,
                    author,
                    "judged a defect, not an incident",
                )
            elif result.verdict == "incident" and found.status in (Status.TRIAGE, Status.DECLINED):
                set_status(connection, self.policy, found, Status.INVESTIGATING, author, "")
            s.expire(incident)  # changed under the session: read again if asked
            return result

        return self._write(work)
