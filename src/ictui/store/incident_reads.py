"""One incident as the cockpit's right-hand side shows it, read on SQLite's connection
(and the two counts the status bar and the quit question need).

The one way an :class:`IncidentView` is built: by the reads (on the cockpit's own
connection, store/everyday.py) and by the writes (on their session's connection, inside
their transaction, so that a write returns what it made). Stored values as bulk_reads
reads them (store/views.py builds the people and updates in it).
"""

from __future__ import annotations

import sqlite3
from typing import Any

from ictui.domain.enums import OutboxState, Severity, Status, UpdateState
from ictui.domain.views import IncidentView, TriageView
from ictui.store.driver import read_transaction
from ictui.store.views import PERSON_COLUMNS, UPDATE_COLUMNS, json_list, person_view, update_views, when

_INCIDENT = """
SELECT id, number, title, slug, summary, status, severity, breadth, verdict, decided_by,
       decided_at, decision_reason, erred_on_caution, ic_id, owning_teams, components,
       slack_channel_id, slack_channel_name, cadence_minutes, reported_at, declared_at,
       mitigated_at, resolved_at, closed_at, last_update_at, created_at, reopened_at
FROM incident WHERE number = ?
"""
_IC = f"""
SELECT {PERSON_COLUMNS} FROM person AS p LEFT OUTER JOIN team AS t ON t.id = p.team_id
WHERE p.id = ?
"""
# The people in roles are named without their team: that is what the cockpit shows of them.
_ROLES = f"""
SELECT r.role, {PERSON_COLUMNS.replace("t.name", "NULL")} FROM incident_role AS r JOIN person AS p ON p.id = r.person_id
WHERE r.incident_id = ? ORDER BY r.id
"""
_TRIAGE = """
SELECT breadth, impact, interrupts_business, workaround, customer_visible, needs_second_team,
       unsolved_after_hour, confidence, suggested_severity, verdict, erred_on_caution,
       assessed_by, assessed_at, reason
FROM triageassessment WHERE incident_id = ? ORDER BY id DESC LIMIT 1
"""
_DRAFT = f"SELECT text FROM statusupdate WHERE incident_id = ? AND state = '{UpdateState.DRAFT.name}'"
_UPDATES = f"""
SELECT {UPDATE_COLUMNS}
FROM statusupdate WHERE incident_id = ? AND state != '{UpdateState.DRAFT.name}' ORDER BY id
"""
_UNSENT = ", ".join(f"'{state.name}'" for state in (OutboxState.PENDING, OutboxState.IN_FLIGHT))
# Slack's items: paging has its own (store/outbox_health.py, paging_health).
_SLACK = "action NOT IN ('page', 'resolve_page')"
_PENDING = f"SELECT count(*) FROM outboxitem WHERE incident_id = ? AND state IN ({_UNSENT}) AND {_SLACK}"
_ALL_PENDING = f"SELECT count(*) FROM outboxitem WHERE state IN ({_UNSENT}) AND {_SLACK}"
_POSTMORTEM = "SELECT scheduled_at, held_at FROM postmortem WHERE incident_id = ?"
_UNSENT_DRAFTS = f"""
SELECT i.number FROM incident AS i JOIN statusupdate AS u ON u.incident_id = i.id
WHERE u.state = '{UpdateState.DRAFT.name}' AND u.text != '' ORDER BY i.number
"""


def incident_view(connection: sqlite3.Connection, number: int) -> IncidentView | None:
    """Incident ``number`` with its people, last triage, draft, updates; None if there is none."""
    with read_transaction(connection):
        row = connection.execute(_INCIDENT, (number,)).fetchone()
        if row is None:
            return None
        incident_id, ic_id = row[0], row[13]
        ic_row = connection.execute(_IC, (ic_id,)).fetchone() if ic_id else None
        roles = connection.execute(_ROLES, (incident_id,)).fetchall()
        triage = connection.execute(_TRIAGE, (incident_id,)).fetchone()
        draft = connection.execute(_DRAFT, (incident_id,)).fetchone()
        (pending,) = connection.execute(_PENDING, (incident_id,)).fetchone()
        postmortem = connection.execute(_POSTMORTEM, (incident_id,)).fetchone()
        updates = update_views(connection.execute(_UPDATES, (incident_id,)))
    return IncidentView(
        id=incident_id,
        number=row[1],
        title=row[2],
        slug=row[3],
        summary=row[4],
        status=Status[row[5]],
        severity=Severity[row[6]],
        breadth=row[7],
        verdict=row[8],
        decided_by=row[9],
        decided_at=when(row[10]),
        decision_reason=row[11],
        erred_on_caution=bool(row[12]),
        ic=person_view(ic_row) if ic_row else None,
        roles=tuple((role[0], person_view(role[1:])) for role in roles),
        owning_teams=tuple(json_list(row[14])),
        components=tuple(json_list(row[15])),
        slack_channel_id=row[16],
        slack_channel_name=row[17],
        cadence_minutes=row[18],
        reported_at=when(row[19]),
        declared_at=when(row[20]),
        mitigated_at=when(row[21]),
        resolved_at=when(row[22]),
        closed_at=when(row[23]),
        last_update_at=when(row[24]),
        created_at=when(row[25]),
        reopened_at=when(row[26]),
        triage=_triage(triage) if triage else None,
        draft=draft[0] if draft else "",
        pending_outbox=pending,
        postmortem_scheduled_at=when(postmortem[0]) if postmortem else None,
        postmortem_held_at=when(postmortem[1]) if postmortem else None,
        updates=tuple(updates),
    )


def pending_outbox_count(connection: sqlite3.Connection) -> int:
    """Slack actions not delivered yet, for every incident."""
    (count,) = connection.execute(_ALL_PENDING).fetchone()
    return int(count)


def unsent_drafts(connection: sqlite3.Connection) -> list[int]:
    """Numbers of the incidents with a non-empty update draft."""
    return [number for (number,) in connection.execute(_UNSENT_DRAFTS)]


def _triage(r: Any) -> TriageView:
    def flag(value: int | None) -> bool | None:
        return None if value is None else bool(value)

    return TriageView(
        breadth=r[0],
        impact=r[1],
        interrupts_business=flag(r[2]),
        workaround=flag(r[3]),
        customer_visible=flag(r[4]),
        needs_second_team=flag(r[5]),
        unsolved_after_hour=flag(r[6]),
        confidence=r[7],
        suggested_severity=r[8],
        verdict=r[9],
        erred_on_caution=bool(r[10]),
        assessed_by=r[11],
        assessed_at=when(r[12]),
        reason=r[13],
    )
