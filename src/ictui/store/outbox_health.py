"""The outbox's health for the Slack light, and paging's for its neighbour, in a few
queries on SQLite's own connection (paging's items are not Slack's: each light counts its own)."""

from __future__ import annotations

import sqlite3

from ictui.domain.enums import OutboxState
from ictui.domain.outbox import CREATE_CHANNEL, PAGING_ACTIONS, holding_actions, label
from ictui.domain.paging import PageState, PagingHealth
from ictui.domain.slack_light import HeldBack, OutboxHealth
from ictui.store.driver import read_transaction
from ictui.store.views import read_time

_OPEN = ", ".join(f"'{s.name}'" for s in (OutboxState.PENDING, OutboxState.IN_FLIGHT))
_PAGING = ", ".join(f"'{action}'" for action in sorted(PAGING_ACTIONS))
_COUNTS = f"""
SELECT
  sum(CASE WHEN state IN ({_OPEN}) THEN 1 ELSE 0 END),
  sum(CASE WHEN state = '{OutboxState.PENDING.name}' AND last_error != '' THEN 1 ELSE 0 END),
  sum(CASE WHEN state = '{OutboxState.FAILED.name}' THEN 1 ELSE 0 END),
  min(CASE WHEN state = '{OutboxState.PENDING.name}' AND last_error != '' THEN next_attempt_at END)
FROM outboxitem WHERE state != '{OutboxState.DONE.name}' AND action NOT IN ({_PAGING})
"""
# Open items that wait behind a failed one of their incident (or channel): nothing sends
# them until the failed one is retried, edited or dropped (domain/outbox.py, plan). The
# kinds that hold back are read when asked: another gateway may register its own.
_SAME_GROUP = """CASE WHEN o.incident_id IS NOT NULL THEN f.incident_id = o.incident_id
             ELSE f.incident_id IS NULL AND f.channel_key = o.channel_key END"""
_HELD = f"""
SELECT f.id, i.number, f.action, f.last_error, count(o.id) FROM outboxitem AS f
JOIN outboxitem AS o ON o.id > f.id AND o.state IN ({_OPEN}) AND o.action NOT IN ({_PAGING}) AND {_SAME_GROUP}
LEFT JOIN incident AS i ON i.id = f.incident_id
WHERE f.state = '{OutboxState.FAILED.name}' AND f.action IN ({{holding}})
GROUP BY f.id, i.number, f.action, f.last_error ORDER BY f.id
"""
# Open items of an incident whose channel is not made yet (its creation and pages aside):
# nothing can send them until it is, so the light says they wait for the channel.
_NO_CHANNEL = f"""
SELECT count(*) FROM outboxitem AS o JOIN incident AS i ON i.id = o.incident_id
WHERE o.state IN ({_OPEN}) AND o.action != '{CREATE_CHANNEL}' AND o.action NOT IN ({_PAGING})
  AND (i.slack_channel_id IS NULL OR i.slack_channel_id = '')
"""
_LAST_ERROR = (
    "SELECT last_error FROM outboxitem WHERE state IN ({states}) AND last_error != '' "
    "AND action {paging} ORDER BY id DESC LIMIT 1"
)
_PAGE_ITEMS = f"""
SELECT
  sum(CASE WHEN state IN ({_OPEN}) THEN 1 ELSE 0 END),
  sum(CASE WHEN state = '{OutboxState.FAILED.name}' THEN 1 ELSE 0 END)
FROM outboxitem WHERE state != '{OutboxState.DONE.name}' AND action IN ({_PAGING})
"""
_PAGES = f"""
SELECT state, acknowledged_by FROM page
WHERE state IN ('{PageState.TRIGGERED}', '{PageState.ACKNOWLEDGED}') ORDER BY id
"""


def outbox_health(connection: sqlite3.Connection) -> OutboxHealth:
    slack = f"NOT IN ({_PAGING})"
    with read_transaction(connection):
        pending, retrying, failed, next_retry = connection.execute(_COUNTS).fetchone()
        held_rows = connection.execute(_HELD.format(holding=_holding())).fetchall() if failed else []
        (no_channel,) = connection.execute(_NO_CHANNEL).fetchone() if pending else (0,)
        retry_error = connection.execute(
            _LAST_ERROR.format(states=f"'{OutboxState.PENDING.name}'", paging=slack)
        ).fetchone()
        failed_error = connection.execute(
            _LAST_ERROR.format(states=f"'{OutboxState.FAILED.name}'", paging=slack)
        ).fetchone()
    held: dict[object, HeldBack] = {}
    for item_id, number, action, error, behind in held_rows:
        key = number if number is not None else f"item-{item_id}"
        if key in held:
            # A second failed item behind the first: its followers wait for the first too.
            first = held[key]
            held[key] = HeldBack(
                first.item_id,
                first.incident_number,
                first.action,
                first.error,
                max(first.waiting, int(behind)),
            )
        else:
            held[key] = HeldBack(int(item_id), number, label(action), error or "", int(behind))
    return OutboxHealth(
        pending=int(pending or 0),
        retrying=int(retrying or 0),
        failed=int(failed or 0),
        blocked=sum(h.waiting for h in held.values()),
        held=tuple(held.values()),
        no_channel=int(no_channel or 0),
        next_retry_at=read_time(next_retry),
        retry_error=retry_error[0] if retry_error else "",
        failed_error=failed_error[0] if failed_error else "",
    )


def paging_health(connection: sqlite3.Connection) -> PagingHealth:
    """Pages waiting to go, refused, and those PagerDuty has (acknowledged by whom)."""
    with read_transaction(connection):
        pending, failed = connection.execute(_PAGE_ITEMS).fetchone()
        open_states = (
            f"'{OutboxState.PENDING.name}', '{OutboxState.IN_FLIGHT.name}', '{OutboxState.FAILED.name}'"
        )
        error = connection.execute(
            _LAST_ERROR.format(states=open_states, paging=f"IN ({_PAGING})")
        ).fetchone()
        pages = connection.execute(_PAGES).fetchall()
    acknowledged = [by for state, by in pages if state == PageState.ACKNOWLEDGED]
    return PagingHealth(
        pending=int(pending or 0),
        failed=int(failed or 0),
        last_error=error[0] if error else "",
        triggered=sum(1 for state, _ in pages if state == PageState.TRIGGERED),
        acknowledged=len(acknowledged),
        acknowledged_by=", ".join(dict.fromkeys(by for by in acknowledged if by)),
    )


def _holding() -> str:
    return ", ".join(f"'{action}'" for action in sorted(holding_actions())) or "''"
