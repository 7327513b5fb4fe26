"""A large generated database, for benchmarks: years of incidents written in one transaction.

Rows go in with SQLAlchemy Core bulk inserts (one ``executemany`` per table), not through
the one-incident-at-a-time store API, so that 10,000 incidents take seconds. The rows are
still what the API would have written: numbers follow the existing ones, every declared
incident has its "declared" entry, every status update its timeline entry, every
resolved incident its post-mortem, and times run forward.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlmodel import col

from ictui.domain.clock import now
from ictui.domain.enums import (
    Breadth,
    EntryKind,
    EntrySource,
    KeyEvent,
    Severity,
    Status,
    UpdateState,
)
from ictui.domain.text import slugify
from ictui.store import tables as m
from ictui.store.api import Store

_TEAMS = {
    "Close Checklist": ["close checklist", "sign-offs", "navigation bar"],
    "Reconciliations": ["reconciliations", "matching engine", "file viewer"],
    "Web Platform": ["app shell", "navigation bar", "file viewer", "performance"],
    "DevOps": ["infrastructure", "performance", "database"],
    "Integrations": ["bank feeds", "ERP sync", "public API"],
    "Security": ["authentication", "SSO"],
}
_FIRST = ["Ana", "Bo", "Chen", "Dana", "Eli", "Femi", "Gita", "Hugo", "Ines", "Jon", "Kai", "Lea"]
_LAST = ["Ruiz", "Chen", "Okafor", "Berg", "Novak", "Sato", "Moreau", "Silva"]
_ROLES = [["EM"], ["PM"], ["tech lead"], ["engineer"], ["engineer"], ["DevOps"], ["QE"], ["support"]]

_PROBLEMS = [
    "slow to load",
    "returns errors",
    "times out",
    "shows wrong totals",
    "blank for some users",
    "fails after deploy",
    "duplicates records",
    "stuck in a retry loop",
    "unavailable",
]
_NOTES = [
    "Reproduced on staging.",
    "Error rate back to normal.",
    "Rolled back the last deploy.",
    "Customer confirms the workaround helps.",
    "Second team joined the channel.",
    "Metrics show the spike started after the release.",
    "Fix in review.",
    "Database CPU normal; looking at the app.",
    "Support has a macro for affected customers.",
]

# About nine incidents a day (10,000 make three years). The last day's are still under
# way (every status among them), the last week's may wait for their post-mortem, older
# ones are closed or were declined defects.
_PER_INCIDENT = timedelta(minutes=160)
_RECENT = timedelta(days=1)
_LAST_WEEK = timedelta(days=7)
_RECENT_STATUSES = [
    Status.TRIAGE,
    Status.INVESTIGATING,
    Status.IDENTIFIED,
    Status.MONITORING,
    Status.RESOLVED,
    Status.DECLINED,
    Status.INVESTIGATING,
]
_STATUS_WEIGHTS_LAST_WEEK = {Status.RESOLVED: 30, Status.CLOSED: 60, Status.DECLINED: 10}
_STATUS_WEIGHTS_OLD = {Status.CLOSED: 90, Status.DECLINED: 10}
_SEVERITY_WEIGHTS = {Severity.SEV1: 5, Severity.SEV2: 20, Severity.SEV3: 45, Severity.SEV4: 30}
_KEY_STATUSES = [  # the statuses an incident passes on its way, with the key event each marks
    (Status.IDENTIFIED, KeyEvent.ROOT_CAUSE),
    (Status.MONITORING, KeyEvent.MITIGATED),
    (Status.RESOLVED, KeyEvent.RESOLVED),
    (Status.CLOSED, None),
]
_ORDER = list(Status)


def seed_generated(
    store: Store,
    incidents: int,
    entries_per_incident: int = 10,
    updates_per_incident: int = 2,
    big_timeline: int = 0,
) -> dict[str, int]:
    """Append generated incidents (and, with ``big_timeline``, one with that many entries).

    Returns how many rows of each kind were written.
    """
    rng = random.Random(2016)
    # Plain datetimes: pendulum's arithmetic costs more than everything else here.
    end = datetime.fromtimestamp(now().timestamp(), UTC)
    span = _PER_INCIDENT * incidents

    def work(s: Session) -> dict[str, int]:
        connection = s.connection()
        people = _people(connection, rng)
        first = (connection.execute(sa.select(sa.func.max(m.Incident.number))).scalar() or 0) + 1
        plans = [
            # The fraction first: span * (i + 1) overflows a timedelta past ~60,000 incidents.
            _plan(
                rng,
                first + i,
                end - span + span * ((i + 1) / (incidents + 1)),
                end,
                people,
                store,
                entries_per_incident,
                updates_per_incident,
            )
            for i in range(incidents)
        ]
        if big_timeline:
            # Under way for 30 hours: the timeline a long incident's IC scrolls through.
            plans.append(
                _plan(
                    rng,
                    first + incidents,
                    end - timedelta(hours=30),
                    end,
                    people,
                    store,
                    big_timeline,
                    updates_per_incident,
                    status=Status.INVESTIGATING,
                )
            )
        counts = {"incidents": 0, "timeline entries": 0, "status updates": 0, "post-mortems": 0}
        for batch in _batches(plans, 2_000):
            _insert(connection, batch, counts)
        return counts

    return store._write(work)


def _batches(items: list[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _people(connection: sa.Connection, rng: random.Random) -> list[tuple[int, str]]:
    """The people who act in incidents: those already known, or a generated R&D department."""
    rows = connection.execute(sa.select(col(m.Person.id), col(m.Person.name))).all()
    if rows:
        return [(r[0], r[1]) for r in rows]
    team_ids = connection.execute(sa.select(col(m.Team.id))).scalars().all()
    if not team_ids:
        connection.execute(
            sa.insert(m.Team),
            [{"name": name, "components": parts, "slack_handle": ""} for name, parts in _TEAMS.items()],
        )
        team_ids = connection.execute(sa.select(col(m.Team.id))).scalars().all()
    people = []
    for i, (first, last) in enumerate((f, la) for la in _LAST for f in _FIRST):
        people.append(
            {
                "name": f"{first} {last}",
                "email": f"{first}.{last}.{i}@example.com".lower(),
                "slack_user_id": f"U{i:09d}",
                "roles": _ROLES[i % len(_ROLES)],
                "team_id": team_ids[i % len(team_ids)],
            }
        )
    connection.execute(sa.insert(m.Person), people)
    rows = connection.execute(sa.select(col(m.Person.id), col(m.Person.name))).all()
    return [(r[0], r[1]) for r in rows]


def _pick(rng: random.Random, weights: Mapping[Any, float]) -> Any:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _plan(
    rng: random.Random,
    number: int,
    declared: datetime,
    end: datetime,
    people: list[tuple[int, str]],
    store: Store,
    entries: int,
    updates: int,
    status: Status | None = None,
) -> dict[str, Any]:
    """One incident with its entries, updates and post-mortem, as plain rows.

    Every time falls between ``declared`` and ``end`` (now): nothing happens in the future.
    """
    age = end - declared
    if status is None and age < _RECENT:
        status = _RECENT_STATUSES[number % len(_RECENT_STATUSES)]
    elif status is None:
        status = _pick(rng, _STATUS_WEIGHTS_LAST_WEEK if age < _LAST_WEEK else _STATUS_WEIGHTS_OLD)
    severity = Severity.SEV4 if status is Status.DECLINED else _pick(rng, _SEVERITY_WEIGHTS)
    team, components = rng.choice(list(_TEAMS.items()))
    component = rng.choice(components)
    title = f"{component[0].upper()}{component[1:]} {rng.choice(_PROBLEMS)}"
    ic_id, ic_name = rng.choice(people)
    author = rng.choice(people)[1]
    room = end - declared
    active = status.is_active
    # An incident lasts minutes to hours; one still under way lasts until now.
    duration = room if active else min(timedelta(minutes=rng.randint(20, 600)), room / 2)
    # Closed after its post-mortem, a few days later (or sooner, for the most recent ones).
    closing = min(timedelta(days=3), (room - duration) / 2)
    reported = declared - timedelta(minutes=rng.randint(1, 30))
    declined = status is Status.DECLINED
    judged = status is not Status.TRIAGE
    breadth = rng.choice(list(Breadth))
    incident: dict[str, Any] = {
        "number": number,
        "title": title,
        "slug": slugify(title, 60),
        "summary": f"{title}; affects {breadth}.",
        "status": status,
        "severity": severity,
        "breadth": str(breadth),
        "verdict": ("defect" if declined else "incident") if judged else "",
        "decided_by": author if judged else "",
        "decided_at": declared if judged else None,
        "decision_reason": ("cosmetic only" if declined else "interrupts a normal business process")
        if judged
        else "",
        "erred_on_caution": False,
        "ic_id": None if declined or status is Status.TRIAGE else ic_id,
        "owning_teams": [team],
        "components": [component],
        "slack_channel_id": "" if declined or status is Status.TRIAGE else f"C{number:09d}",
        "slack_channel_name": ""
        if declined or status is Status.TRIAGE
        else f"incident-{number}-{slugify(title, 60)}",
        "cadence_minutes": store.policy.cadence_for(severity),
        "reported_at": reported,
        "declared_at": None if declined or status is Status.TRIAGE else declared,
        "mitigated_at": None,
        "resolved_at": None,
        "closed_at": None,
        "last_update_at": None,
        "created_at": reported,  # the record starts with the report
        "updated_at": declared,
    }
    rows: list[dict[str, Any]] = []

    def entry(at: datetime, text: str, kind: EntryKind, key: KeyEvent | None = None) -> None:
        manual = kind is EntryKind.NOTE
        rows.append(
            {
                "occurred_at": at,
                "recorded_at": at,
                "kind": kind,
                "author": author,
                "text": text,
                "source": EntrySource.MANUAL if manual else EntrySource.SYSTEM,
                "permalink": "",
                "slack_ts": "",
                "key_event": key,
                "shared": False,
                "deleted_at": None,
                "edited_at": None,
            }
        )

    if declined:
        entry(reported, f"Reported for triage: {title}", EntryKind.STATUS)
        entry(declared, "Triage: defect · SEV4. cosmetic only", EntryKind.DECISION)
        entry(declared, "Status: triage → declined", EntryKind.STATUS)
    elif status is Status.TRIAGE:
        entry(reported, f"Reported for triage: {title}", EntryKind.STATUS)
    else:
        entry(declared, f"Declared {severity} incident: {title}", EntryKind.STATUS, KeyEvent.DECLARED)
    # The status changes it went through, evenly over its duration.
    passed = [(s, k) for s, k in _KEY_STATUSES if _ORDER.index(s) <= _ORDER.index(status)]
    if declined or status is Status.TRIAGE:
        passed = []
    previous = Status.INVESTIGATING
    for i, (reached, key) in enumerate(passed, start=1):
        at = declared + duration * i / (len(passed) + 1)
        if reached is Status.CLOSED:
            at = declared + duration + closing
            incident["closed_at"] = at
        entry(at, f"Status: {previous} → {reached}", EntryKind.STATUS, key)
        if key is KeyEvent.MITIGATED:
            incident["mitigated_at"] = at
        if key is KeyEvent.RESOLVED:
            incident["resolved_at"] = at
        previous = reached
    last = declared + duration
    for i in range(max(0, entries - len(rows))):
        entry(declared + duration * (i + 1) / (entries + 1), rng.choice(_NOTES), EntryKind.NOTE)

    update_rows: list[dict[str, Any]] = []
    if incident["declared_at"] is not None:
        cadence = timedelta(minutes=incident["cadence_minutes"] or 60)
        for i in range(updates):
            at = min(declared + cadence * i + timedelta(minutes=rng.randint(0, 4)), end)
            text = f"Update {i + 1}: {title}. {rng.choice(_NOTES)}"
            update_rows.append(
                {
                    "state": UpdateState.SENT,
                    "text": text,
                    "author": ic_name,
                    "mirror_to_broadcast": severity in store.policy.mirror_severities,
                    "attempts": 1,
                    "slack_ts": f"{int(at.timestamp())}.000100",
                    "permalink": "",
                    "last_error": "",
                    "created_at": at,
                    "queued_at": at,
                    "sent_at": at,
                }
            )
            entry(at, text, EntryKind.UPDATE)
            incident["last_update_at"] = at
        incident["updated_at"] = max(last, incident["last_update_at"] or last)

    postmortem = None
    if incident["resolved_at"] is not None:
        postmortem = {
            "scheduled_at": store.policy.postmortem_deadline(incident["resolved_at"]),
            "held_at": incident["closed_at"],
            "facilitator": ic_name,
            "summary": f"{title}." if incident["closed_at"] else "",
            "updated_at": incident["closed_at"] or incident["resolved_at"],
        }
    return {"incident": incident, "entries": rows, "updates": update_rows, "postmortem": postmortem}


def _insert(connection: sa.Connection, plans: list[dict[str, Any]], counts: dict[str, int]) -> None:
    connection.execute(sa.insert(m.Incident), [p["incident"] for p in plans])
    numbers = [p["incident"]["number"] for p in plans]
    ids = dict(
        connection.execute(
            sa.select(col(m.Incident.number), col(m.Incident.id)).where(
                col(m.Incident.number).between(min(numbers), max(numbers))
            )
        ).all()
    )
    entries: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    postmortems = []
    for plan in plans:
        incident_id = ids[plan["incident"]["number"]]
        entries.extend({**row, "incident_id": incident_id} for row in plan["entries"])
        updates.extend({**row, "incident_id": incident_id} for row in plan["updates"])
        if plan["postmortem"]:
            postmortems.append({**plan["postmortem"], "incident_id": incident_id})
    connection.execute(sa.insert(m.TimelineEntry), entries)
    if updates:
        connection.execute(sa.insert(m.StatusUpdate), updates)
    if postmortems:
        connection.execute(sa.insert(m.PostMortem), postmortems)
    counts["incidents"] += len(plans)
    counts["timeline entries"] += len(entries)
    counts["status updates"] += len(updates)
    counts["post-mortems"] += len(postmortems)
