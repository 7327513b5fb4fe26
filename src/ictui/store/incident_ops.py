"""Incidents: declaring, editing, status, severity, roles and triage (a mixin of the Store)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlmodel import col

from ictui.domain.clock import now
from ictui.domain.enums import EntryKind, EntrySource, IncidentRole, KeyEvent, Severity, Status
from ictui.domain.errors import InvalidInput
from ictui.domain.lifecycle import STATUS_KEY_EVENTS, check_transition
from ictui.domain.limits import LIMITS, checked, checked_list
from ictui.domain.paging import ENDING_STATUSES
from ictui.domain.text import clean_text, slugify
from ictui.domain.triage import TriageAnswers, TriageResult, assess
from ictui.domain.views import IncidentView
from ictui.store import tables as m
from ictui.store.paging_ops import queue_resolutions
from ictui.store.records import apply_key_time, has_channel, key_time
from ictui.store.roster_ops import RosterOps

MAX_TITLE = LIMITS["title"]


class IncidentOps(RosterOps):
    """The incident's own record; people are named through the roster (RosterOps)."""

    # ------------------------------------------------------------------ incidents: writes

    def declare(
        self,
        title: str,
        *,
        severity: Severity = Severity.SEV3,
        summary: str = "",
        ic_email: str | None = None,
        author: str = "",
        status: Status = Status.INVESTIGATING,
        reported_at: datetime | None = None,
        components: list[str] | None = None,
        first_entry: tuple[str, str, str, str] | None = None,
        number: int | None = None,
        invite_owners: bool = False,
    ) -> IncidentView:
        """Open an incident (or, with ``status=triage``, a report still being judged).

        ``first_entry`` is (text, author, permalink, slack_ts) of the message it came
        from, recorded as the first timeline entry: how the incident surfaced.
        ``number`` is for the demo's history, which starts at #30 like a team's would;
        otherwise the next number is taken. ``invite_owners`` invites the people of the
        teams that own the affected parts to the channel along with the IC.
        """
        title = checked("title", title, required=True)
        summary = checked("note", summary, what="the summary")
        components = checked_list("part", components)
        if status not in (Status.TRIAGE, Status.INVESTIGATING):
            raise InvalidInput("a new incident starts in triage or investigating")
        if number is not None and number < 1:
            raise InvalidInput("incident numbers start at 1")
        at = now()

        def work(s: Session) -> IncidentView:
            ic = self._person_by_email(s, ic_email) if ic_email else None
            if number is None:
                chosen = (s.execute(sa.select(sa.func.max(m.Incident.number))).scalar() or 0) + 1
            elif s.execute(sa.select(col(m.Incident.id)).where(col(m.Incident.number) == number)).scalar():
                raise InvalidInput(f"incident #{number} already exists")
            else:
                chosen = number
            incident = m.Incident(
                number=chosen,
                title=title,
                slug=slugify(title, 60),
                summary=summary,
                status=status,
                severity=severity,
                components=components,
                cadence_minutes=self.policy.cadence_for(severity),
                reported_at=reported_at or at,
                declared_at=at if status is Status.INVESTIGATING else None,
                created_at=at,
                updated_at=at,
            )
            s.add(incident)
            s.flush()
            if first_entry:
                text, who, permalink, ts = first_entry
                self._entry(
                    s,
                    incident,
                    clean_text(text)[: LIMITS["note"]],
                    reported_at or at,
                    EntryKind.SLACK,
                    who,
                    source=EntrySource.SLACK,
                    permalink=permalink,
                    slack_ts=ts,
                    key_event=KeyEvent.DETECTED,
                )
            if status is Status.INVESTIGATING:
                self._entry(
                    s,
                    incident,
                    f"Declared {severity} incident: {title}",
                    at,
                    EntryKind.STATUS,
                    author,
                    key_event=KeyEvent.DECLARED,
                )
            else:
                self._entry(s, incident, f"Reported for triage: {title}", at, EntryKind.STATUS, author)
            if ic:
                # Creating the channel invites the IC (and says so once, if they have no
                # Slack account): no invitation of their own.
                self._assign(s, incident, IncidentRole.IC, ic, author, at, invite=False)
            if status is Status.INVESTIGATING:
                self._enqueue_channel(s, incident)
                if invite_owners:
                    owners = [p.email for p, _ in self._suggestions(list(incident.components), [])]
                    owners = [e for e in owners if not ic or e != ic.email]
                    if owners:
                        self._enqueue(s, incident, "invite", {"emails": owners})
            return self._view(s, incident)

        return self._write(work)

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

    def change_status(self, number: int, new: Status, author: str = "", note: str = "") -> IncidentView:
        note = checked("note", note)

        def work(s: Session) -> IncidentView:
            incident = self._incident(s, number)
            self._set_status(s, incident, new, author, note)
            return self._view(s, incident)

        return self._write(work)

    def change_severity(self, number: int, new: Severity, author: str = "", reason: str = "") -> IncidentView:
        reason = checked("note", reason, what="the reason")

        def work(s: Session) -> IncidentView:
            incident = self._incident(s, number)
            self._set_severity(s, incident, new, author, reason)
            return self._view(s, incident)

        return self._write(work)

    def assign_role(self, number: int, role: IncidentRole, email: str, author: str = "") -> IncidentView:
        def work(s: Session) -> IncidentView:
            incident = self._incident(s, number)
            person = self._person_by_email(s, email)
            self._assign(s, incident, role, person, author, now())
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
            if apply_severity and incident.severity != result.severity:
                self._set_severity(s, incident, result.severity, author, "suggested by triage")
            if result.verdict == "defect" and incident.status is Status.TRIAGE:
                self._set_status(s, incident, Status.DECLINED, author, "judged a defect, not an incident")
            elif result.verdict == "incident" and incident.status in (Status.TRIAGE, Status.DECLINED):
                self._set_status(s, incident, Status.INVESTIGATING, author, "")
            return result

        return self._write(work)

    # ------------------------------------------------------------------ internals

    def _set_status(self, s: Session, incident: m.Incident, new: Status, author: str, note: str) -> None:
        old = incident.status
        check_transition(old, new)
        at = now()
        incident.status = new
        incident.updated_at = at
        key = STATUS_KEY_EVENTS.get(new)
        first_time = key is not None and key_time(incident, key) is None
        if first_time and key is not None:
            apply_key_time(incident, key, at)
            if key is KeyEvent.DECLARED:
                self._enqueue_channel(s, incident)
        if new is Status.CLOSED:
            incident.closed_at = at
        if new.is_active and not old.is_active:
            incident.reopened_at = at  # the updates are owed again, from now
        if new is Status.RESOLVED:
            self._schedule_postmortem(s, incident, at)
        if new in ENDING_STATUSES and old not in ENDING_STATUSES:
            queue_resolutions(s, incident)  # its open pages are resolved with it
        text = f"Status: {old} → {new}" + (f". {clean_text(note)}" if note.strip() else "")
        self._entry(s, incident, text, at, EntryKind.STATUS, author, key_event=key if first_time else None)
        self._enqueue_topic(s, incident)

    def _set_severity(
        self, s: Session, incident: m.Incident, new: Severity, author: str, reason: str
    ) -> None:
        old = incident.severity
        if new == old:
            raise InvalidInput(f"the incident is already {old}")
        incident.severity = new
        # The cadence follows the severity unless the IC had set one of their own.
        if incident.cadence_minutes == self.policy.cadence_for(old):
            incident.cadence_minutes = self.policy.cadence_for(new)
        incident.updated_at = now()
        text = f"Severity: {old} → {new}" + (f". {clean_text(reason)}" if reason.strip() else "")
        self._entry(s, incident, text, now(), EntryKind.SEVERITY, author)
        self._enqueue_topic(s, incident)

    def _assign(
        self,
        s: Session,
        incident: m.Incident,
        role: IncidentRole,
        person: m.Person,
        author: str,
        at: datetime,
        *,
        invite: bool = True,
    ) -> None:
        text = f"{role}: {person.name}"
        if role is IncidentRole.IC:
            if incident.ic_id == person.id:
                raise InvalidInput(f"{person.name} is already the IC")
            previous = s.get(m.Person, incident.ic_id) if incident.ic_id else None
            if previous is not None:
                text = f"IC: {previous.name} → {person.name}"
            incident.ic_id = person.id
            s.execute(
                sa.delete(m.IncidentRoleAssignment).where(
                    col(m.IncidentRoleAssignment.incident_id) == incident.id,
                    col(m.IncidentRoleAssignment.role) == IncidentRole.IC,
                )
            )
        elif s.execute(
            sa.select(col(m.IncidentRoleAssignment.id)).where(
                col(m.IncidentRoleAssignment.incident_id) == incident.id,
                col(m.IncidentRoleAssignment.person_id) == person.id,
                col(m.IncidentRoleAssignment.role) == role,
            )
        ).first():
            raise InvalidInput(f"{person.name} is already {role} on #{incident.number}")
        s.add(
            m.IncidentRoleAssignment(
                incident_id=incident.id,
                person_id=person.id,
                role=role,
                assigned_at=at,
            )
        )
        incident.updated_at = at
        self._entry(s, incident, text, at, EntryKind.ROLE, author)
        if role is IncidentRole.IC:
            self._enqueue_topic(s, incident)
        if invite and has_channel(incident):
            self._enqueue(s, incident, "invite", {"emails": [person.email]})

    def _schedule_postmortem(self, s: Session, incident: m.Incident, at: datetime) -> None:
        pm = s.execute(sa.select(m.PostMortem).where(col(m.PostMortem.incident_id) == incident.id)).scalar()
        if pm is None:
            ic = s.get(m.Person, incident.ic_id) if incident.ic_id else None
            s.add(
                m.PostMortem(
                    incident_id=incident.id,
                    scheduled_at=self.policy.postmortem_deadline(at),
                    facilitator=ic.name if ic else "",
                )
            )
