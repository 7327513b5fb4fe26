"""Store operations for paging a team's on-call (ictui.paging delivers them).

A page is a row of ``page``, its timeline entry and its outbox item, written in one
transaction; so is the resolution queued when the incident ends. The outbox items of
paging are delivered by the paging worker alone, one alert's items in order (see
``outbox_ops._queued``): a page never waits for Slack, nor Slack for a page. Sending a
page again is safe (PagerDuty deduplicates on its key), so an item found in flight is
simply sent again.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlmodel import col

from ictui.domain.clock import now
from ictui.domain.enums import EntryKind, EntrySource, OutboxState, Status
from ictui.domain.errors import InvalidInput, NotFound
from ictui.domain.outbox import PAGE, PAGING_ACTIONS, RESOLVE_PAGE, Queued, next_retry, plan
from ictui.domain.paging import (
    ENDING_STATUSES,
    MAX_MESSAGE,
    OPEN_ITEMS,
    OPEN_PAGES,
    PAGING_AUTHOR,
    Engagement,
    PageState,
    PageView,
    PageWork,
    PagingSummary,
    dedup_key,
    engagement,
    entry_text,
)
from ictui.domain.text import clean_line
from ictui.store import tables as m
from ictui.store.records import Records


class PagingOps(Records):
    # ------------------------------------------------------------------ paging

    if TYPE_CHECKING:
        # OutboxOps's, beside this in the Store (store/api.py).
        def outbox_instance(self) -> str: ...

    def queue_page(self, number: int, team: str, message: str = "", author: str = "") -> PageView:
        """Page a team's on-call about an incident: the page, its timeline entry and its
        outbox item in one transaction. Refused (nothing queued) for an unknown team, a
        team without a PagerDuty key, or an incident that is over."""
        message = clean_line(message)
        if len(message) > MAX_MESSAGE:
            raise InvalidInput(
                f"the page's message is {len(message)} characters; keep it under {MAX_MESSAGE}"
            )
        instance = self.outbox_instance()

        def work(s: Session) -> PageView:
            incident = self._incident(s, number)
            row = s.execute(
                sa.select(m.Team).where(sa.func.lower(m.Team.name) == clean_line(team).lower())
            ).scalar()
            if row is None:
                known = (
                    ", ".join(s.execute(sa.select(col(m.Team.name)).order_by(col(m.Team.name))).scalars())
                    or "none yet"
                )
                raise NotFound(f"no team named {clean_line(team)!r} (teams: {known})")
            if not row.pagerduty_key:
                raise InvalidInput(
                    f"{row.name} has no PagerDuty key; set it with "
                    f'`ictui teams edit "{row.name}" --pagerduty-key KEY`'
                )
            if Status(incident.status) in ENDING_STATUSES:
                raise InvalidInput(f"#{number} is {incident.status}: reopen it before paging anyone")
            at = now()
            page = m.Page(
                incident_id=incident.id,
                team_id=row.id,
                team_name=row.name,
                routing_key=row.pagerduty_key,
                dedup_key=dedup_key(instance, incident.number, row.id),
                message=message,
                paged_by=author,
                created_at=at,
            )
            s.add(page)
            s.flush()
            self._entry(
                s,
                incident,
                entry_text(row.name, message),
                at,
                EntryKind.NOTE,
                author,
                source=EntrySource.SYSTEM,
            )
            s.add(
                m.OutboxItem(
                    incident_id=incident.id,
                    action=PAGE,
                    channel_key=page.dedup_key,
                    payload={"page_id": page.id},
                )
            )
            incident.updated_at = at
            return _view(page, incident.number)

        return self._write(work)

    def pages(self, number: int | None = None) -> list[PageView]:
        """One incident's pages (or all), oldest first, each with its last error."""
        with self._read() as s:
            query = (
                sa.select(m.Page, col(m.Incident.number))
                .join(m.Incident, col(m.Incident.id) == col(m.Page.incident_id))
                .order_by(col(m.Page.id))
            )
            if number is not None:
                query = query.where(col(m.Incident.number) == number)
            return [_view(page, n) for page, n in s.execute(query).all()]

    def paging_summary(self) -> PagingSummary:
        """(pages not yet accepted, pages refused, the latest reason): one query, for the status bar."""
        with self._read() as s:
            rows = s.execute(
                sa.select(col(m.OutboxItem.state), col(m.OutboxItem.last_error))
                .where(col(m.OutboxItem.state).in_(OPEN_ITEMS), col(m.OutboxItem.action).in_(PAGING_ACTIONS))
                .order_by(col(m.OutboxItem.id))
            ).all()
        failed = sum(1 for state, _ in rows if state == OutboxState.FAILED)
        errors = [error for _, error in rows if error]
        return PagingSummary(len(rows) - failed, failed, errors[-1] if errors else "")

    def engagement(self, number: int) -> Engagement:
        """Time to engage: declared → first page accepted → first responder given a role after it."""
        with self._read() as s:
            return engagement_of(s, self._incident(s, number))

    # ------------------------------------------------------------------ delivery (ictui.paging)

    def paging_claim(self) -> PageWork | None:
        """Take the next deliverable paging item and mark it in flight, in its own commit."""
        at = now()

        def work(s: Session) -> PageWork | None:
            ready, _ = plan(_paging_queue(s), at)
            if not ready:
                return None
            item = s.get(m.OutboxItem, ready[0])
            assert item is not None
            item.state = OutboxState.IN_FLIGHT
            item.attempts += 1
            item.next_attempt_at = None
            page = s.get(m.Page, item.payload.get("page_id"))
            incident = s.get(m.Incident, item.incident_id)
            if page is None or incident is None:
                item.state = OutboxState.FAILED
                item.last_error = "the page is no longer in the database"
                return None
            ic = s.get(m.Person, incident.ic_id) if incident.ic_id else None
            return PageWork(
                item_id=item.id,
                page_id=page.id,
                action=item.action,
                attempts=item.attempts,
                routing_key=page.routing_key,
                dedup_key=page.dedup_key,
                incident_number=incident.number,
                title=incident.title,
                severity=incident.severity,
                message=page.message,
                team=page.team_name,
                ic=ic.name if ic else "",
                paged_by=page.paged_by,
                slack_channel_id=incident.slack_channel_id,
                slack_channel_name=incident.slack_channel_name,
                created_at=page.created_at,
            )

        return self._write(work)

    def paging_next_retry(self) -> datetime | None:
        with self._read() as s:
            return next_retry(_paging_queue(s), now())

    def page_delivered(self, item_id: int, answer: str) -> None:
        """The provider accepted the event: the page is triggered (or resolved), on the record."""

        def work(s: Session) -> None:
            item = s.get(m.OutboxItem, item_id)
            if item is None or item.state == OutboxState.DONE:
                return
            at = now()
            item.state = OutboxState.DONE
            item.done_at = at
            item.last_error = ""
            item.result = {**item.result, "answer": answer}
            page = s.get(m.Page, item.payload.get("page_id"))
            incident = s.get(m.Incident, item.incident_id)
            if page is None or incident is None:
                return
            if item.action == RESOLVE_PAGE:
                for other in _open_pages(s, page.dedup_key):
                    other.state = PageState.RESOLVED
                    other.resolved_at = at
                    other.last_error = ""
                text = f"PagerDuty: the page to {page.team_name} on-call was resolved with the incident"
            else:
                if page.state in (PageState.QUEUED, PageState.REFUSED):
                    page.state = PageState.TRIGGERED
                page.triggered_at = page.triggered_at or at
                page.last_error = ""
                text = f"PagerDuty: {page.team_name} on-call paged ({answer or 'event accepted'})"
            self._entry(s, incident, text, at, EntryKind.NOTE, PAGING_AUTHOR, source=EntrySource.SYSTEM)

        self._write(work)

    def page_failed(
        self, item_id: int, error: str, *, permanent: bool, retry_at: datetime | None = None
    ) -> None:
        """A try that did not work: retried at ``retry_at``, or refused for good (a 400)."""

        def work(s: Session) -> None:
            item = s.get(m.OutboxItem, item_id)
            if item is None:
                raise NotFound(f"there is no outbox item {item_id}")
            item.last_error = error
            item.state = OutboxState.FAILED if permanent else OutboxState.PENDING
            item.next_attempt_at = None if permanent else retry_at
            page = s.get(m.Page, item.payload.get("page_id"))
            if page is None:
                return
            page.last_error = error
            if permanent:
                if item.action == PAGE:
                    page.state = PageState.REFUSED
                incident = s.get(m.Incident, item.incident_id)
                if incident is not None:
                    what = "page" if item.action == PAGE else "resolve the page to"
                    self._entry(
                        s,
                        incident,
                        f"PagerDuty refused to {what} {page.team_name} on-call: {error}",
                        now(),
                        EntryKind.NOTE,
                        PAGING_AUTHOR,
                        source=EntrySource.SYSTEM,
                    )

        self._write(work)

    def page_status(self, page_id: int, state: PageState, acknowledged_by: str = "") -> None:
        """What the provider's REST API says of a page (acknowledged by whom, resolved)."""

        def work(s: Session) -> None:
            page = s.get(m.Page, page_id)
            if page is None or page.state not in OPEN_PAGES:
                return
            if page.state == state and page.acknowledged_by == acknowledged_by:
                return
            page.state = state
            page.acknowledged_by = acknowledged_by
            if state is PageState.RESOLVED:
                page.resolved_at = now()
            incident = s.get(m.Incident, page.incident_id)
            if state is PageState.ACKNOWLEDGED and incident is not None:
                by = f" by {acknowledged_by}" if acknowledged_by else ""
                self._entry(
                    s,
                    incident,
                    f"PagerDuty: the page to {page.team_name} on-call was acknowledged{by}",
                    now(),
                    EntryKind.NOTE,
                    PAGING_AUTHOR,
                    source=EntrySource.SYSTEM,
                )

        self._write(work)


def engagement_of(s: Session, incident: m.Incident) -> Engagement:
    paged = [
        at
        for at in s.execute(
            sa.select(col(m.Page.triggered_at)).where(
                col(m.Page.incident_id) == incident.id, col(m.Page.triggered_at).is_not(None)
            )
        ).scalars()
        if at is not None  # none is: the query asks for pages sent
    ]
    joined = list(
        s.execute(
            sa.select(col(m.IncidentRoleAssignment.assigned_at)).where(
                col(m.IncidentRoleAssignment.incident_id) == incident.id,
                col(m.IncidentRoleAssignment.person_id) != sa.func.coalesce(incident.ic_id, -1),
            )
        ).scalars()
    )
    return engagement(incident.declared_at, paged, joined)


def _paging_queue(s: Session) -> list[Queued]:
    rows = (
        s.execute(
            sa.select(m.OutboxItem)
            .where(col(m.OutboxItem.state).in_(OPEN_ITEMS), col(m.OutboxItem.action).in_(PAGING_ACTIONS))
            .order_by(col(m.OutboxItem.id))
        )
        .scalars()
        .all()
    )
    return [
        Queued(
            id=item.id,
            group=f"page:{item.channel_key}",
            action=item.action,
            state=OutboxState(item.state),
            next_attempt_at=item.next_attempt_at,
            has_channel=True,
        )
        for item in rows
    ]


def _open_pages(s: Session, key: str) -> list[m.Page]:
    return list(
        s.execute(
            sa.select(m.Page).where(col(m.Page.dedup_key) == key, col(m.Page.state).in_(OPEN_PAGES))
        ).scalars()
    )


def _view(page: m.Page, number: int) -> PageView:
    return PageView(
        id=page.id,
        incident_number=number,
        team=page.team_name,
        message=page.message,
        dedup_key=page.dedup_key,
        state=PageState(page.state),
        paged_by=page.paged_by,
        created_at=page.created_at,
        triggered_at=page.triggered_at,
        resolved_at=page.resolved_at,
        acknowledged_by=page.acknowledged_by,
        last_error=page.last_error,
    )
