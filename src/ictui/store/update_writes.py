"""A status update queued for Slack, in plain SQL: the update (the incident's draft turned
into it, or a new row), its timeline entry, the incident's last-update time and the outbox
item that posts it, in one transaction on the DB-API connection; and the draft the composer
saves as the IC types.

The same text queued for the incident less than a minute before is refused
(:class:`RepeatedUpdate`) under the writers' lock, so of two sends racing (a double
``ctrl+s``, two cockpits) only the first passes.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ictui.domain.clock import now, to_local
from ictui.domain.enums import EntryKind, UpdateState
from ictui.domain.errors import RepeatedUpdate
from ictui.domain.limits import author_name
from ictui.domain.policy import Policy
from ictui.domain.slack_text import check_update
from ictui.domain.templates import DUPLICATE_WINDOW, recent_duplicate
from ictui.domain.views import UpdateView
from ictui.store.views import UPDATE_COLUMNS, read_time, update_view
from ictui.store.write_rows import (
    Incident,
    add_entry,
    enqueue,
    entry_values,
    incident,
    insert,
    person_name,
    stored_time,
    update,
)

_UPDATE = f"SELECT {UPDATE_COLUMNS} FROM statusupdate WHERE id = ?"
_DRAFT = "SELECT id FROM statusupdate WHERE incident_id = ? AND state = ?"
_RECENT = "SELECT text, queued_at FROM statusupdate WHERE incident_id = ? AND state != ? AND queued_at >= ?"


def queue_update(
    connection: Any, policy: Policy, number: int, text: str, author: str, mirror: bool | None, again: bool
) -> UpdateView:
    """Queue ``text`` (checked by the caller: store.everyday.EverydayOps.queue_update)."""
    found = incident(connection, number)
    # Slack's cap on a message's block text, checked here so that nothing Slack will
    # refuse is ever queued (the composer and `ictui update` alike).
    ic = person_name(connection, found.ic_id)
    check_update(text, found.title, [author_name(author)] + ([ic] if ic is not None else []))
    at = now()
    if not again:
        _refuse_repeat(connection, found, text, at)
    mirrored = mirror if mirror is not None else found.severity in policy.mirror_severities
    queued = {
        "text": text,
        "author": author_name(author),
        "state": UpdateState.QUEUED.name,
        "queued_at": at,
        "mirror_to_broadcast": mirrored,
    }
    draft = connection.execute(_DRAFT, (found.id, UpdateState.DRAFT.name)).fetchone()
    if draft is not None:
        update_id = int(draft[0])
        update(connection, "statusupdate", update_id, queued)
    else:
        update_id = insert(
            connection,
            "statusupdate",
            {**_NEW_UPDATE, "incident_id": found.id, **queued, "created_at": now()},
        )
    update(connection, "incident", found.id, {"last_update_at": at, "updated_at": at})
    add_entry(connection, found.id, entry_values(text, at, EntryKind.UPDATE, author))
    # The heading says what the text was written under, even if it goes out later.
    payload = {"mirror": mirrored, "severity": found.severity.name, "status": found.status.name}
    enqueue(connection, found, "post_update", payload, update_id=update_id, at=at)
    return update_view(connection.execute(_UPDATE, (update_id,)).fetchone())


def save_draft(connection: Any, number: int, text: str, author: str) -> None:
    """The composer's autosave: the incident's one draft, created or overwritten."""
    found = incident(connection, number)
    draft = connection.execute(_DRAFT, (found.id, UpdateState.DRAFT.name)).fetchone()
    if draft is not None:
        update(connection, "statusupdate", int(draft[0]), {"text": text, "created_at": now()})
        return
    new = {"incident_id": found.id, "state": UpdateState.DRAFT.name, "text": text, "author": author}
    insert(
        connection,
        "statusupdate",
        {**_NEW_UPDATE, **new, "mirror_to_broadcast": False, "queued_at": None, "created_at": now()},
    )


# A new update's columns, as the StatusUpdate model's defaults fill them.
_NEW_UPDATE: dict[str, Any] = {
    "attempts": 0,
    "slack_ts": "",
    "permalink": "",
    "last_error": "",
    "sent_at": None,
}


def _refuse_repeat(connection: Any, found: Incident, text: str, at: datetime) -> None:
    since = stored_time(at - DUPLICATE_WINDOW)
    rows = connection.execute(_RECENT, (found.id, UpdateState.DRAFT.name, since)).fetchall()
    recent = [(earlier, read_time(queued_at)) for earlier, queued_at in rows if queued_at is not None]
    earlier = recent_duplicate(text, recent, at)
    if earlier is not None:
        raise RepeatedUpdate(
            f"the same update for #{found.number} was queued at "
            f"{to_local(earlier).format('HH:mm:ss')}; send it again to repeat it",
            queued_at=earlier,
        )
