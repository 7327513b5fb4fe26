"""The outbox's health for the Slack light, in one query on SQLite's own connection."""

from __future__ import annotations

import sqlite3

from ictui.domain.enums import OutboxState
from ictui.domain.slack_light import OutboxHealth
from ictui.store.bulk_reads import read_time
from ictui.store.driver import read_transaction

_OPEN = ", ".join(f"'{s.name}'" for s in (OutboxState.PENDING, OutboxState.IN_FLIGHT))
_COUNTS = f"""
SELECT
  sum(state IN ({_OPEN})),
  sum(state = '{OutboxState.PENDING.name}' AND last_error != ''),
  sum(state = '{OutboxState.FAILED.name}'),
  min(CASE WHEN state = '{OutboxState.PENDING.name}' AND last_error != '' THEN next_attempt_at END)
FROM outboxitem WHERE state != '{OutboxState.DONE.name}'
"""
_LAST_ERROR = "SELECT last_error FROM outboxitem WHERE state IN ({states}) AND last_error != '' ORDER BY id DESC LIMIT 1"


def outbox_health(connection: sqlite3.Connection) -> OutboxHealth:
    with read_transaction(connection):
        pending, retrying, failed, next_retry = connection.execute(_COUNTS).fetchone()
        retry_error = connection.execute(_LAST_ERROR.format(states=f"'{OutboxState.PENDING.name}'")).fetchone()
        failed_error = connection.execute(_LAST_ERROR.format(states=f"'{OutboxState.FAILED.name}'")).fetchone()
    return OutboxHealth(
        pending=int(pending or 0),
        retrying=int(retrying or 0),
        failed=int(failed or 0),
        next_retry_at=read_time(next_retry),
        retry_error=retry_error[0] if retry_error else "",
        failed_error=failed_error[0] if failed_error else "",
    )
