"""The timeline's history: what an entry said before each change (a mixin of the Store).

The timeline's writes are everyday writes, in plain SQL: a note (store/note_writes.py),
an entry shared or marked, edited, deleted, restored (store/entry_writes.py), an update
and its draft (store/update_writes.py)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import col

from ictui.store import tables as m
from ictui.store.records import Records


class TimelineOps(Records):
    def entry_history(self, entry_id: int) -> list[m.TimelineEdit]:
        with self._read() as s:
            return list(
                s.execute(
                    sa.select(m.TimelineEdit)
                    .where(col(m.TimelineEdit.entry_id) == entry_id)
                    .order_by(col(m.TimelineEdit.id))
                ).scalars()
            )
