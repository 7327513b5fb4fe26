"""The outbox's health for the Slack light, in one query on SQLite's own connection."""

from __future__ import annotations

import sqlite3

from ictui.domain.enums import OutboxState
from ictui.domain.outbox import CREATE_CHANNEL, HOLDS_BACK_WHEN_FAILED
from ictui.domain.slack_light import OutboxHealth
from ictui.store.views import read_time
from ictui.store.driver import read_transaction

_OPEN = ", ".join(f"'{s.name}'" for s in (OutboxState.PENDING, OutboxState.IN_FLIGHT))
_COUNTS = f"""
SELECT
  sum(CASE WHEN state IN ({_OPEN}) THEN 1 ELSE 0 END),
  sum(CASE WHEN state = '{OutboxState.PENDING.name}' AND last_error != '' THEN 1 ELSE 0 END),
  sum(CASE WHEN state = '{OutboxState.FAILED.name}' THEN 1 ELSE 0 END),
  min(CASE WHEN state = '{OutboxState.PENDING.name}' AND last_error != '' THEN next_attempt_at END)
FROM outboxitem WHERE state != '{OutboxState.DONE.name}'
"""
# Open items that wait behind a failed one of their incident (or channel): nothing sends
# them until the failed one is retried (domain/outbox.py, plan).
_HOLDING = ", ".join(f"'{action}'" for action in sorted(HOLDS_BACK_WHEN_FAILED))
_BLOCKED = f"""
SELECT count(*) FROM outboxitem AS o
WHERE o.state IN ({_OPEN}) AND EXISTS (
  SELECT 1 FROM outboxitem AS f
  WHERE f.state = '{OutboxState.FAILED.name}' AND f.id < o.id AND f.action IN ({_HOLDING})
    AND CASE WHEN o.incident_id IS NOT NULL THEN f.incident_id = o.incident_id
             ELSE f.incident_id IS NULL AND f.channel_key = o.channel_key END
)
"""
# Open items of an incident whose channel is not made yet (its creation aside): nothing can
# send them until it is, so the light says they wait for the channel, never "sending".
_NO_CHANNEL = f"""
SELECT count(*) FROM outboxitem AS o JOIN incident AS i ON i.id = o.incident_id
WHERE o.state IN ({_OPEN}) AND o.action != '{CREATE_CHANNEL}'
  AND (i.slack_channel_id IS NULL OR i.slack_channel_id = '')
"""
_LAST_ERROR = "SELECT last_error FROM outboxitem WHERE state IN ({states}) AND last_error != '' ORDER BY id DESC LIMIT 1"


def outbox_health(connection: sqlite3.Connection) -> OutboxHealth:
    with read_transaction(connection):
        pending, retrying, failed, next_retry = connection.execute(_COUNTS).fetchone()
        (blocked,) = connection.execute(_BLOCKED).fetchone() if failed else (0,)
        (no_channel,) = connection.execute(_NO_CHANNEL).fetchone() if pending else (0,)
        retry_error = connection.execute(_LAST_ERROR.format(states=f"'{OutboxState.PENDING.name}'")).fetchone()
        failed_error = connection.execute(_LAST_ERROR.format(states=f"'{OutboxState.FAILED.name}'")).fetchone()
    return OutboxHealth(
        pending=int(pending or 0),
        retrying=int(retrying or 0),
        failed=int(failed or 0),
        blocked=int(blocked or 0),
        no_channel=int(no_channel or 0),
        next_retry_at=read_time(next_retry),
        retry_error=retry_error[0] if retry_error else "",
        failed_error=failed_error[0] if failed_error else "",
    )
