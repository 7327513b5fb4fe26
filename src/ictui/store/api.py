"""The one store API: what the CLI calls, and the cockpit through :class:`LazyStore`
(store/lazy.py), which opens it the first time it is needed. No SQL outside ``ictui.store``.

Each method is one transaction. Writes bump a revision counter in the same transaction,
so that any cockpit can tell cheaply that someone else changed something.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Session

from ictui.domain import models as m
from ictui.domain.clock import now
from ictui.domain.enums import (
    EntryKind,
    EntrySource,
    IncidentRole,
    KeyEvent,
    Severity,
    Status,
    UpdateState,
)
from ictui.domain.errors import InvalidInput, NotFound
from ictui.domain.lifecycle import STATUS_KEY_EVENTS, check_transition
from ictui.domain.policy import Policy
from ictui.domain.text import clean_line, clean_text, slugify
from ictui.domain.triage import TriageAnswers, TriageResult, assess
from ictui.domain.views import (
    EntryView,
    IncidentView,
    UpdateView,
)
from ictui.store import engine as eng
from ictui.store import files, health, incident_reads
from ictui.store.everyday import EverydayOps, entry_values, note_text
from ictui.store.migrations import BUMP_REVISION, ensure_schema
from ictui.store.postmortem_ops import PostMortemOps
from ictui.store.outbox_ops import OutboxOps
from ictui.store.roster_ops import RosterOps

T = TypeVar("T")

MAX_TITLE = 200
_BUSY_RETRIES = 5


class Store(EverydayOps, PostMortemOps, OutboxOps, RosterOps):
    def __init__(
        self, path: Path | str, policy: Policy | None = None, *, create: bool = True, init: bool = False,
        checked: bool = False,
    ) -> None:
        """Open (``create``: or create) the database at ``path``; ``init``: set up an empty
        file too; ``checked``: it was just found sound by this process (store/lazy.py)."""
        self.path = Path(path).expanduser()
        self.policy = policy or Policy()
        self._held = False
        opening = health.before_connecting(self.path, create=create, init=init, checked=checked)
        # From here on this process may hold the file: nothing opens it outside SQLite.
        files.hold(self.path)
        self._held = True
        self.engine = eng.make_engine(self.path)
        self._writer = eng.writer(self.engine)
        try:
            self.migrated_from = ensure_schema(self._writer)
            eng.enable_wal(self.engine)
        except (sa.exc.DatabaseError, sqlite3.DatabaseError) as exc:
            # The version is read on the driver's connection (store/versions.py): its
            # errors come unwrapped.
            self.close()
            opening.remove_new()
            reason = exc.orig if isinstance(exc, sa.exc.DatabaseError) else exc
            if health.damage_in(exc):
                raise health.damaged(self.path, str(reason)) from exc
            raise eng.DatabaseError(f"{self.path} cannot be opened as a database: {reason}") from exc
        except BaseException:
            self.close()
            opening.remove_new()
            raise
        self._opening = opening

    def close(self) -> None:
        self.engine.dispose()
        self._release()
        opening = getattr(self, "_opening", None)
        if opening is not None and self.path.exists() and not os.access(self.path, os.W_OK):
            # SQLite opened a file it cannot write read-only, and made -wal and -shm
            # files it cannot remove: nobody can write to it, so they hold nothing.
            opening.remove_new()

    def _release(self) -> None:
        if self._held:
            self._held = False
            files.release(self.path)

    # ------------------------------------------------------------------ sessions

    @contextmanager
    def _read(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def _driver_connection(self) -> Iterator[Any]:
        """The pool's SQLite connection itself, for the everyday reads and notes (EverydayOps)."""
        raw = self.engine.raw_connection()
        try:
            yield raw.driver_connection
        finally:
            raw.close()

    def _write(self, work: Callable[[Session], T]) -> T:
        """Run ``work`` in one write transaction; retried if another writer holds the lock."""
        for attempt in range(_BUSY_RETRIES):
            try:
                with Session(self._writer, expire_on_commit=False) as session, session.begin():
                    result = work(session)
                    session.execute(BUMP_REVISION)
                return result
            except sa.exc.OperationalError as exc:
                # A read-only file or a full disk: one clear line, and nothing was written.
                if not eng.is_busy_error(exc):
                    raise eng.DatabaseError(f"cannot write to {self.path}: {exc.orig}") from exc
                if attempt == _BUSY_RETRIES - 1:
                    raise eng.DatabaseError(
                        f"{self.path} stayed locked by another writer; nothing was saved, try again"
                    ) from exc
                time.sleep(0.05 * (attempt + 1))
        raise AssertionError("unreachable")

    def integrity_check(self) -> str:
        with self.engine.connect() as connection:
            return eng.integrity_check(connection)

    def backup(self, target: Path) -> None:
        if target.exists():
            raise InvalidInput(f"{target} already exists; choose a new file for the backup")
        eng.backup(self.engine, target)

    # ------------------------------------------------------------------ incidents: reads

    def entry_history(self, entry_id: int) -> list[m.TimelineEdit]:
        with self._read() as s:
            return list(
                s.execute(
                    sa.select(m.TimelineEdit)
                    .where(m.TimelineEdit.entry_id == entry_id)
                    .order_by(m.TimelineEdit.id)
                ).scalars()
            )

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
        title = clean_line(title)
        if not title:
            raise InvalidInput("a title is required")
        if len(title) > MAX_TITLE:
            raise InvalidInput(f"the title is {len(title)} characters; keep it under {MAX_TITLE}")
        if status not in (Status.TRIAGE, Status.INVESTIGATING):
            raise InvalidInput("a new incident starts in triage or investigating")
        if number is not None and number < 1:
            raise InvalidInput("incident numbers start at 1")
        at = now()

        def work(s: Session) -> IncidentView:
            ic = self._person_by_email(s, ic_email) if ic_email else None
            if number is None:
                chosen = (s.execute(sa.select(sa.func.max(m.Incident.number))).scalar() or 0) + 1
            elif s.execute(sa.select(m.Incident.id).where(m.Incident.number == number)).scalar():
                raise InvalidInput(f"incident #{number} already exists")
            else:
                chosen = number
            incident = m.Incident(
                number=chosen,
                title=title,
                slug=slugify(title, 60),
                summary=clean_text(summary),
                status=status,
                severity=severity,
                components=components or [],
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
                    s, incident, clean_text(text), reported_at or at, EntryKind.SLACK, who,
                    source=EntrySource.SLACK, permalink=permalink, slack_ts=ts,
                    key_event=KeyEvent.DETECTED,
                )
            if status is Status.INVESTIGATING:
                self._entry(
                    s, incident, f"Declared {severity} incident: {title}", at,
                    EntryKind.STATUS, author, key_event=KeyEvent.DECLARED,
                )
            else:
                self._entry(s, incident, f"Reported for triage: {title}", at, EntryKind.STATUS, author)
            if ic:
                self._assign(s, incident, IncidentRole.IC, ic, author, at)
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
        cadence_minutes: int | None | str = "keep",
    ) -> IncidentView:
        def work(s: Session) -> IncidentView:
            incident = self._incident(s, number)
            if title is not None:
                cleaned = clean_line(title)
                if not cleaned:
                    raise InvalidInput("a title is required")
                incident.title = cleaned
            if summary is not None:
                incident.summary = clean_text(summary)
            if components is not None:
                incident.components = components
            if owning_teams is not None:
                incident.owning_teams = owning_teams
            if cadence_minutes != "keep":
                if cadence_minutes is not None and not 1 <= int(cadence_minutes) <= 24 * 60:
                    raise InvalidInput("the update cadence is between 1 and 1440 minutes")
                incident.cadence_minutes = cadence_minutes  # type: ignore[assignment]
            incident.updated_at = now()
            return self._view(s, incident)

        return self._write(work)

    def change_status(self, number: int, new: Status, author: str = "", note: str = "") -> IncidentView:
        def work(s: Session) -> IncidentView:
            incident = self._incident(s, number)
            self._set_status(s, incident, new, author, note)
            return self._view(s, incident)

        return self._write(work)

    def change_severity(self, number: int, new: Severity, author: str = "", reason: str = "") -> IncidentView:
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
        self, number: int, answers: TriageAnswers, author: str = "", reason: str = "",
        *, apply_severity: bool = True,
    ) -> TriageResult:
        """Store the checklist and the decision; the verdict moves a report out of triage.

        ``apply_severity=False``: the IC kept the severity they had (the cockpit asks)."""
        result = assess(answers)

        def work(s: Session) -> TriageResult:
            incident = self._incident(s, number)
            at = now()
            why = clean_text(reason) or "; ".join(result.reasons)
            s.add(
                m.TriageAssessment(
                    incident_id=incident.id,  # type: ignore[arg-type]
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

    # ------------------------------------------------------------------ timeline

    def add_entry(
        self,
        number: int,
        text: str,
        *,
        at: datetime | None = None,
        author: str = "",
        kind: EntryKind = EntryKind.NOTE,
        key_event: KeyEvent | None = None,
        shared: bool = False,
    ) -> EntryView:
        """Commit a note; it is only returned (and shown as saved) once it is on disk."""
        if not (shared or key_event):
            return self.add_note(number, text, at=at, author=author, kind=kind)[0]
        text = note_text(text)

        def work(s: Session) -> EntryView:
            incident = self._incident(s, number)
            entry = self._entry(s, incident, text, at or now(), kind, author, key_event=key_event)
            entry.shared = shared
            if shared:
                self._enqueue_note(s, incident, entry)
            if key_event:
                self._apply_key_time(incident, key_event, entry.occurred_at)
            incident.updated_at = now()
            return _entry_view(entry)

        return self._write(work)

    def edit_entry(
        self,
        entry_id: int,
        *,
        text: str | None = None,
        at: datetime | None = None,
        editor: str = "",
    ) -> EntryView:
        def work(s: Session) -> EntryView:
            entry = self._entry_by_id(s, entry_id)
            new_text = clean_text(text) if text is not None else entry.text
            if not new_text:
                raise InvalidInput("the note is empty")
            if new_text == entry.text and (at is None or at == entry.occurred_at):
                return _entry_view(entry)
            self._remember(s, entry, editor, "edit")
            entry.text = new_text
            if at is not None:
                entry.occurred_at = at
            entry.edited_at = now()
            self._touch(s, entry.incident_id)
            return _entry_view(entry)

        return self._write(work)

    def set_key_event(self, entry_id: int, key_event: KeyEvent | None, editor: str = "") -> EntryView:
        def work(s: Session) -> EntryView:
            entry = self._entry_by_id(s, entry_id)
            self._remember(s, entry, editor, "key event")
            entry.key_event = key_event
            if key_event:
                incident = s.get(m.Incident, entry.incident_id)
                self._apply_key_time(incident, key_event, entry.occurred_at)  # type: ignore[arg-type]
            self._touch(s, entry.incident_id)
            return _entry_view(entry)

        return self._write(work)

    def delete_entry(self, entry_id: int, editor: str = "") -> EntryView:
        """Soft delete: the entry leaves the timeline but stays in the record (and can come back)."""

        def work(s: Session) -> EntryView:
            entry = self._entry_by_id(s, entry_id)
            if entry.deleted_at is None:
                self._remember(s, entry, editor, "delete")
                entry.deleted_at = now()
                self._touch(s, entry.incident_id)
            return _entry_view(entry)

        return self._write(work)

    def restore_entry(self, entry_id: int, editor: str = "") -> EntryView:
        def work(s: Session) -> EntryView:
            entry = self._entry_by_id(s, entry_id)
            if entry.deleted_at is not None:
                self._remember(s, entry, editor, "restore")
                entry.deleted_at = None
                self._touch(s, entry.incident_id)
            return _entry_view(entry)

        return self._write(work)

    def share_entry(self, entry_id: int) -> EntryView:
        """Post a timeline note to the incident channel (once), through the outbox."""

        def work(s: Session) -> EntryView:
            entry = self._entry_by_id(s, entry_id)
            if entry.shared:
                raise InvalidInput("this entry is already shared to the channel")
            if entry.deleted_at is not None:
                raise InvalidInput("a deleted entry cannot be shared")
            entry.shared = True
            incident = s.get(m.Incident, entry.incident_id)
            self._enqueue_note(s, incident, entry)  # type: ignore[arg-type]
            return _entry_view(entry)

        return self._write(work)

    # ------------------------------------------------------------------ status updates

    def save_draft(self, number: int, text: str, author: str = "") -> None:
        """Autosave of the composer: one draft per incident, overwritten as the IC types."""

        def work(s: Session) -> None:
            incident_id = self._incident_id(s, number)
            draft = self._draft(s, incident_id)
            if draft is None:
                draft = m.StatusUpdate(incident_id=incident_id, state=UpdateState.DRAFT, author=author)
                s.add(draft)
            draft.text = text
            draft.created_at = now()

        self._write(work)

    def queue_update(
        self, number: int, text: str, author: str = "", mirror: bool | None = None
    ) -> UpdateView:
        """Turn the text into a queued update and its outbox item, in one transaction."""
        text = clean_text(text)
        if not text:
            raise InvalidInput("the update is empty")

        def work(s: Session) -> UpdateView:
            incident = self._incident(s, number)
            at = now()
            update = self._draft(s, incident.id) or m.StatusUpdate(incident_id=incident.id)  # type: ignore[arg-type]
            update.text = text
            update.author = clean_line(author)
            update.state = UpdateState.QUEUED
            update.queued_at = at
            update.mirror_to_broadcast = (
                mirror if mirror is not None else incident.severity in self.policy.mirror_severities
            )
            s.add(update)
            s.flush()
            incident.last_update_at = at
            incident.updated_at = at
            self._entry(s, incident, text, at, EntryKind.UPDATE, author)
            s.add(
                m.OutboxItem(
                    incident_id=incident.id,
                    update_id=update.id,
                    action="post_update",
                    channel_key=_channel_key(incident),
                    # The heading says what the text was written under, even if it goes out later.
                    payload={
                        "mirror": update.mirror_to_broadcast,
                        "severity": incident.severity.name,
                        "status": incident.status.name,
                    },
                    created_at=at,
                )
            )
            return _update_view(update)

        return self._write(work)

    # ------------------------------------------------------------------ internals

    def _incident(self, s: Session, number: int) -> m.Incident:
        incident = s.execute(sa.select(m.Incident).where(m.Incident.number == number)).scalar()
        if incident is None:
            raise NotFound(f"there is no incident #{number}")
        return incident

    def _incident_id(self, s: Session, number: int) -> int:
        incident_id = s.execute(sa.select(m.Incident.id).where(m.Incident.number == number)).scalar()
        if incident_id is None:
            raise NotFound(f"there is no incident #{number}")
        return incident_id

    def _entry_by_id(self, s: Session, entry_id: int) -> m.TimelineEntry:
        entry = s.get(m.TimelineEntry, entry_id)
        if entry is None:
            raise NotFound(f"there is no timeline entry {entry_id}")
        return entry

    def _draft(self, s: Session, incident_id: int | None) -> m.StatusUpdate | None:
        return s.execute(
            sa.select(m.StatusUpdate).where(
                m.StatusUpdate.incident_id == incident_id,
                m.StatusUpdate.state == UpdateState.DRAFT,
            )
        ).scalar()

    def _touch(self, s: Session, incident_id: int) -> None:
        s.execute(sa.update(m.Incident).where(m.Incident.id == incident_id).values(updated_at=now()))

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
                entry_id=entry.id,  # type: ignore[arg-type]
                editor=editor,
                old_text=entry.text,
                old_occurred_at=entry.occurred_at,
                old_key_event=entry.key_event,
                change=change,
            )
        )

    def _set_status(self, s: Session, incident: m.Incident, new: Status, author: str, note: str) -> None:
        old = incident.status
        check_transition(old, new)
        at = now()
        incident.status = new
        incident.updated_at = at
        key = STATUS_KEY_EVENTS.get(new)
        first_time = key is not None and _key_time(incident, key) is None
        if first_time:
            self._apply_key_time(incident, key, at)  # type: ignore[arg-type]
            if key is KeyEvent.DECLARED:
                self._enqueue_channel(s, incident)
        if new is Status.CLOSED:
            incident.closed_at = at
        if new is Status.RESOLVED:
            self._schedule_postmortem(s, incident, at)
        text = f"Status: {old} → {new}" + (f". {clean_text(note)}" if note.strip() else "")
        self._entry(s, incident, text, at, EntryKind.STATUS, author, key_event=key if first_time else None)
        self._enqueue_topic(s, incident)

    def _set_severity(self, s: Session, incident: m.Incident, new: Severity, author: str, reason: str) -> None:
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
        self, s: Session, incident: m.Incident, role: IncidentRole, person: m.Person, author: str, at: datetime
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
                    m.IncidentRoleAssignment.incident_id == incident.id,
                    m.IncidentRoleAssignment.role == IncidentRole.IC,
                )
            )
        elif s.execute(
            sa.select(m.IncidentRoleAssignment.id).where(
                m.IncidentRoleAssignment.incident_id == incident.id,
                m.IncidentRoleAssignment.person_id == person.id,
                m.IncidentRoleAssignment.role == role,
            )
        ).first():
            raise InvalidInput(f"{person.name} is already {role} on #{incident.number}")
        s.add(
            m.IncidentRoleAssignment(
                incident_id=incident.id,  # type: ignore[arg-type]
                person_id=person.id,  # type: ignore[arg-type]
                role=role,
                assigned_at=at,
            )
        )
        incident.updated_at = at
        self._entry(s, incident, text, at, EntryKind.ROLE, author)
        if role is IncidentRole.IC:
            self._enqueue_topic(s, incident)
        if _has_channel(incident):
            self._enqueue(s, incident, "invite", {"emails": [person.email]})

    def _apply_key_time(self, incident: m.Incident, key: KeyEvent, at: datetime) -> None:
        field_name = _KEY_FIELDS.get(key)
        if field_name:
            setattr(incident, field_name, at)

    def _schedule_postmortem(self, s: Session, incident: m.Incident, at: datetime) -> None:
        pm = s.execute(sa.select(m.PostMortem).where(m.PostMortem.incident_id == incident.id)).scalar()
        if pm is None:
            ic = s.get(m.Person, incident.ic_id) if incident.ic_id else None
            s.add(
                m.PostMortem(
                    incident_id=incident.id,  # type: ignore[arg-type]
                    scheduled_at=self.policy.postmortem_deadline(at),  # type: ignore[arg-type]
                    facilitator=ic.name if ic else "",
                )
            )

    def _enqueue(self, s: Session, incident: m.Incident, action: str, payload: dict[str, Any]) -> None:
        s.add(
            m.OutboxItem(
                incident_id=incident.id,
                action=action,
                channel_key=_channel_key(incident),
                payload=payload,
            )
        )

    def _enqueue_channel(self, s: Session, incident: m.Incident) -> None:
        """A declared incident gets its channel, its people and its announcement, in order."""
        if incident.slack_channel_id:
            return
        self._enqueue(s, incident, "create_channel", {})
        self._enqueue(s, incident, "announce", {})

    def _enqueue_topic(self, s: Session, incident: m.Incident) -> None:
        if _has_channel(incident):
            self._enqueue(s, incident, "set_topic", {})

    def _enqueue_note(self, s: Session, incident: m.Incident, entry: m.TimelineEntry) -> None:
        self._enqueue(s, incident, "post_note", {"entry_id": entry.id})

    def _view(self, s: Session, incident: m.Incident) -> IncidentView:
        """The incident as this transaction leaves it (incident_reads, on its connection)."""
        s.flush()
        view = incident_reads.incident_view(_driver_of(s), incident.number)
        assert view is not None, "the incident was just read in this transaction"
        return view


_KEY_FIELDS = {
    KeyEvent.DECLARED: "declared_at",
    KeyEvent.MITIGATED: "mitigated_at",
    KeyEvent.RESOLVED: "resolved_at",
}


def _key_time(incident: m.Incident, key: KeyEvent) -> datetime | None:
    field_name = _KEY_FIELDS.get(key)
    if field_name is None:
        return None
    return getattr(incident, field_name)


def _has_channel(incident: m.Incident) -> bool:
    """Whether the incident has a Slack channel, or one queued: declaring creates it.

    A report in triage has none yet, and a defect declined in triage never gets one, so
    nothing may be queued for it (it would wait forever).
    """
    return bool(incident.slack_channel_id) or incident.declared_at is not None


def _channel_key(incident: m.Incident) -> str:
    return incident.slack_channel_id or f"incident:{incident.number}"


def _driver_of(s: Session) -> sqlite3.Connection:
    """The SQLite connection under a session, in the session's transaction."""
    return s.connection().connection.driver_connection  # type: ignore[return-value]


def _entry_view(entry: m.TimelineEntry) -> EntryView:
    return EntryView(
        id=entry.id,  # type: ignore[arg-type]
        occurred_at=entry.occurred_at,
        recorded_at=entry.recorded_at,
        kind=EntryKind(entry.kind),
        author=entry.author,
        text=entry.text,
        source=EntrySource(entry.source),
        permalink=entry.permalink,
        key_event=entry.key_event,
        shared=entry.shared,
        deleted=entry.deleted_at is not None,
        edited=entry.edited_at is not None,
    )


def _update_view(update: m.StatusUpdate) -> UpdateView:
    return UpdateView(
        id=update.id,  # type: ignore[arg-type]
        state=UpdateState(update.state),
        text=update.text,
        author=update.author,
        created_at=update.created_at,
        sent_at=update.sent_at,
        attempts=update.attempts,
        permalink=update.permalink,
        last_error=update.last_error,
    )
