"""The incident's everyday writes in plain SQL: declaring, status, severity and roles.

Each runs inside a write transaction on the DB-API connection (write_rows.write_transaction,
or the transaction of a Store session: incident_ops.record_triage), and writes everything
the change causes in that transaction: the timeline entry, the key times, the post-mortem
scheduled at resolve, the pages resolved with the incident, and the Slack actions queued
in the outbox (channel, announcement, topic, invitations). Neither SQLAlchemy nor SQLModel:
the cockpit's first declaration or status change does not wait for them.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from ictui.domain.clock import now
from ictui.domain.enums import EntryKind, EntrySource, IncidentRole, KeyEvent, OutboxState, Severity, Status
from ictui.domain.errors import InvalidInput
from ictui.domain.lifecycle import STATUS_KEY_EVENTS, check_transition
from ictui.domain.limits import LIMITS
from ictui.domain.outbox import PAGE, RESOLVE_PAGE
from ictui.domain.paging import ENDING_STATUSES, OPEN_ITEMS, OPEN_PAGES, PAGING_AUTHOR, PageState
from ictui.domain.policy import Policy
from ictui.domain.text import clean_text, slugify
from ictui.domain.views import IncidentView
from ictui.store import incident_reads, roster_reads
from ictui.store.write_rows import (
    KEY_FIELDS,
    Incident,
    Person,
    add_entry,
    enqueue,
    enqueue_channel,
    enqueue_topic,
    entry_values,
    incident,
    insert,
    person_by_email,
    person_name,
    placeholders,
    update,
)


def view(connection: Any, number: int) -> IncidentView:
    """The incident as this transaction leaves it (incident_reads, on its connection)."""
    found = incident_reads.incident_view(connection, number)
    assert found is not None, "the incident was just written in this transaction"
    return found


# ------------------------------------------------------------------ status


def change_status(
    connection: Any, policy: Policy, number: int, new: Status, author: str, note: str
) -> IncidentView:
    set_status(connection, policy, incident(connection, number), new, author, note)
    return view(connection, number)


def set_status(connection: Any, policy: Policy, found: Incident, new: Status, author: str, note: str) -> None:
    """Move the incident to ``new``: its key time the first time, the channel when it is
    declared, the post-mortem when resolved, its pages resolved when it ends, the topic."""
    old = found.status
    check_transition(old, new)
    at = now()
    changes: dict[str, Any] = {"status": new.name, "updated_at": at}
    found.status = new
    key = STATUS_KEY_EVENTS.get(new)
    first_time = key is not None and _key_time(found, key) is None
    if first_time and key is not None:
        field_name = KEY_FIELDS.get(key)
        if field_name:
            changes[field_name] = at
            setattr(found, field_name, at)
        if key is KeyEvent.DECLARED:
            enqueue_channel(connection, found)
    if new is Status.CLOSED:
        changes["closed_at"] = at
    if new.is_active and not old.is_active:
        changes["reopened_at"] = at  # the updates are owed again, from now
    update(connection, "incident", found.id, changes)
    if new is Status.RESOLVED:
        _schedule_postmortem(connection, policy, found, at)
    if new in ENDING_STATUSES and old not in ENDING_STATUSES:
        queue_resolutions(connection, found)  # its open pages are resolved with it
    text = f"Status: {old} → {new}" + (f". {clean_text(note)}" if note.strip() else "")
    values = entry_values(text, at, EntryKind.STATUS, author, key_event=key if first_time else None)
    add_entry(connection, found.id, values)
    enqueue_topic(connection, found)


def _key_time(found: Incident, key: KeyEvent) -> Any:
    field_name = KEY_FIELDS.get(key)
    return None if field_name is None else getattr(found, field_name)


def _schedule_postmortem(connection: Any, policy: Policy, found: Incident, at: datetime) -> None:
    if connection.execute("SELECT id FROM postmortem WHERE incident_id = ?", (found.id,)).fetchone():
        return
    insert(
        connection,
        "postmortem",
        {
            "incident_id": found.id,
            "scheduled_at": policy.postmortem_deadline(at),
            "held_at": None,
            "facilitator": person_name(connection, found.ic_id) or "",
            **dict.fromkeys(_POSTMORTEM_SECTIONS, ""),
            "updated_at": now(),
        },
    )


_POSTMORTEM_SECTIONS = (
    "summary",
    "impact",
    "root_cause",
    "contributing_factors",
    "went_well",
    "went_badly",
    "got_lucky",
    "kudos",
)


def queue_resolutions(connection: Any, found: Incident) -> None:
    """The incident ended: a page never tried is not sent at all; the resolution of each
    open alert (a page sent, or perhaps sent) is queued, once."""
    at = now()
    unsent = connection.execute(
        "SELECT id, payload, result FROM outboxitem"
        " WHERE incident_id = ? AND action = ? AND state = ? AND attempts = 0 ORDER BY id",
        (found.id, PAGE, OutboxState.PENDING.name),
    ).fetchall()
    for item_id, payload, result in unsent:
        cancelled = {**json.loads(result), "cancelled": "the incident ended before it was sent"}
        update(
            connection,
            "outboxitem",
            item_id,
            {"state": OutboxState.DONE.name, "done_at": at, "result": cancelled},
        )
        page = connection.execute(
            "SELECT id, state, team_name FROM page WHERE id = ?", (json.loads(payload).get("page_id"),)
        ).fetchone()
        if page is not None and page[1] == PageState.QUEUED:
            update(connection, "page", page[0], {"state": PageState.RESOLVED.value, "resolved_at": at})
            text = f"PagerDuty: the page to {page[2]} on-call was not sent: the incident ended first"
            add_entry(
                connection,
                found.id,
                entry_values(text, at, EntryKind.NOTE, PAGING_AUTHOR, source=EntrySource.SYSTEM),
            )
    open_pages = tuple(state.value for state in OPEN_PAGES)
    pages = connection.execute(
        f"SELECT id, dedup_key FROM page WHERE incident_id = ? AND state IN ({placeholders(open_pages)})"
        " ORDER BY id",
        (found.id, *open_pages),
    ).fetchall()
    open_items = tuple(state.name for state in OPEN_ITEMS)
    seen: set[str] = set()
    for page_id, key in pages:
        if key in seen:
            continue
        seen.add(key)
        queued = connection.execute(
            "SELECT id FROM outboxitem WHERE channel_key = ? AND action = ?"
            f" AND state IN ({placeholders(open_items)})",
            (key, RESOLVE_PAGE, *open_items),
        ).fetchone()
        if queued is None:
            enqueue(connection, found, RESOLVE_PAGE, {"page_id": page_id}, channel_key=key)


# ------------------------------------------------------------------ severity


def change_severity(
    connection: Any, policy: Policy, number: int, new: Severity, author: str, reason: str
) -> IncidentView:
    set_severity(connection, policy, incident(connection, number), new, author, reason)
    return view(connection, number)


def set_severity(
    connection: Any, policy: Policy, found: Incident, new: Severity, author: str, reason: str
) -> None:
    old = found.severity
    if new == old:
        raise InvalidInput(f"the incident is already {old}")
    changes: dict[str, Any] = {"severity": new.name}
    # The cadence follows the severity unless the IC had set one of their own.
    if found.cadence_minutes == policy.cadence_for(old):
        changes["cadence_minutes"] = found.cadence_minutes = policy.cadence_for(new)
    changes["updated_at"] = now()
    found.severity = new
    update(connection, "incident", found.id, changes)
    text = f"Severity: {old} → {new}" + (f". {clean_text(reason)}" if reason.strip() else "")
    add_entry(connection, found.id, entry_values(text, now(), EntryKind.SEVERITY, author))
    enqueue_topic(connection, found)


# ------------------------------------------------------------------ roles


def assign_role(connection: Any, number: int, role: IncidentRole, email: str, author: str) -> IncidentView:
    found = incident(connection, number)
    assign(connection, found, role, person_by_email(connection, email), author, now())
    return view(connection, number)


def assign(
    connection: Any,
    found: Incident,
    role: IncidentRole,
    person: Person,
    author: str,
    at: datetime,
    *,
    invite: bool = True,
) -> None:
    """Give ``person`` the ``role`` (the IC replaces the one before); refused if they have it."""
    role = IncidentRole(role)  # the role's text, as a picker or the command line gives it, too
    text = f"{role}: {person.name}"
    changes: dict[str, Any] = {}
    if role is IncidentRole.IC:
        if found.ic_id == person.id:
            raise InvalidInput(f"{person.name} is already the IC")
        previous = person_name(connection, found.ic_id)
        if previous is not None:
            text = f"IC: {previous} → {person.name}"
        changes["ic_id"] = found.ic_id = person.id
        connection.execute(
            "DELETE FROM incident_role WHERE incident_id = ? AND role = ?", (found.id, IncidentRole.IC.value)
        )
    elif connection.execute(
        "SELECT id FROM incident_role WHERE incident_id = ? AND person_id = ? AND role = ?",
        (found.id, person.id, role.value),
    ).fetchone():
        raise InvalidInput(f"{person.name} is already {role} on #{found.number}")
    insert(
        connection,
        "incident_role",
        {"incident_id": found.id, "person_id": person.id, "role": role.value, "assigned_at": at},
    )
    update(connection, "incident", found.id, {**changes, "updated_at": at})
    add_entry(connection, found.id, entry_values(text, at, EntryKind.ROLE, author))
    if role is IncidentRole.IC:
        enqueue_topic(connection, found)
    if invite and found.has_channel:
        enqueue(connection, found, "invite", {"emails": [person.email]})


# ------------------------------------------------------------------ declaring


def declare(
    connection: Any,
    policy: Policy,
    *,
    title: str,
    severity: Severity,
    summary: str,
    ic_email: str | None,
    author: str,
    status: Status,
    reported_at: datetime | None,
    components: list[str],
    first_entry: tuple[str, str, str, str] | None,
    number: int | None,
    invite_owners: bool,
) -> IncidentView:
    """Open an incident (arguments checked by the caller: store.everyday.EverydayOps.declare)."""
    at = now()
    ic = person_by_email(connection, ic_email) if ic_email else None
    if number is None:
        (highest,) = connection.execute("SELECT max(number) FROM incident").fetchone()
        chosen = (highest or 0) + 1
    elif connection.execute("SELECT id FROM incident WHERE number = ?", (number,)).fetchone():
        raise InvalidInput(f"incident #{number} already exists")
    else:
        chosen = number
    insert(
        connection,
        "incident",
        _new_incident(policy, chosen, title, severity, summary, status, components, reported_at or at, at),
    )
    found = incident(connection, chosen)
    if first_entry:
        text, who, permalink, ts = first_entry
        values = entry_values(
            clean_text(text)[: LIMITS["note"]],
            reported_at or at,
            EntryKind.SLACK,
            who,
            source=EntrySource.SLACK,
            permalink=permalink,
            slack_ts=ts,
            key_event=KeyEvent.DETECTED,
        )
        add_entry(connection, found.id, values)
    if status is Status.INVESTIGATING:
        text = f"Declared {severity} incident: {title}"
        add_entry(
            connection,
            found.id,
            entry_values(text, at, EntryKind.STATUS, author, key_event=KeyEvent.DECLARED),
        )
    else:
        add_entry(
            connection, found.id, entry_values(f"Reported for triage: {title}", at, EntryKind.STATUS, author)
        )
    if ic:
        # Creating the channel invites the IC (and says so once, if they have no Slack
        # account): no invitation of their own.
        assign(connection, found, IncidentRole.IC, ic, author, at, invite=False)
    if status is Status.INVESTIGATING:
        enqueue_channel(connection, found)
        if invite_owners:
            owners = [p.email for p, _ in roster_reads.owners(connection, list(components), [])]
            owners = [e for e in owners if not ic or e != ic.email]
            if owners:
                enqueue(connection, found, "invite", {"emails": owners})
    return view(connection, chosen)


def _new_incident(
    policy: Policy,
    number: int,
    title: str,
    severity: Severity,
    summary: str,
    status: Status,
    components: list[str],
    reported_at: datetime,
    at: datetime,
) -> dict[str, Any]:
    """Every column of a new incident's row, as the Incident model's defaults fill them."""
    return {
        "number": number,
        "title": title,
        "slug": slugify(title, 60),
        "summary": summary,
        "status": status.name,
        "severity": severity.name,
        "breadth": "",
        "verdict": "",
        "decided_by": "",
        "decided_at": None,
        "decision_reason": "",
        "erred_on_caution": False,
        "ic_id": None,
        "owning_teams": [],
        "components": components,
        "slack_channel_id": "",
        "slack_channel_name": "",
        "cadence_minutes": policy.cadence_for(severity),
        "reported_at": reported_at,
        "declared_at": at if status is Status.INVESTIGATING else None,
        "mitigated_at": None,
        "resolved_at": None,
        "closed_at": None,
        "last_update_at": None,
        "reopened_at": None,
        "created_at": at,
        "updated_at": at,
    }
