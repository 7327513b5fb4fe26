"""Views built from the ORM's objects, as the tests' own yardstick for the store's reads
(which build them from rows, in store/views.py)."""

from __future__ import annotations

from ictui.domain.enums import EntryKind, EntrySource
from ictui.domain.views import EntryView
from ictui.store import tables as m


def model_entry_view(entry: m.TimelineEntry) -> EntryView:
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
