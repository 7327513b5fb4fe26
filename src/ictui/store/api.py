"""The one store API: what the CLI calls, and the cockpit through :class:`LazyStore`
(store/lazy.py), which opens it the first time it is needed. No SQL outside ``ictui.store``.

The Store is its subjects put together, each a module of its own on the base that owns
the engine, the sessions and the row-to-view mapping (store/base.py, store/views.py).
What the rest of ictui may call is declared by :class:`ictui.store.interface.StoreAPI`.
"""

from __future__ import annotations

from ictui.store.incident_ops import MAX_TITLE, IncidentOps
from ictui.store.leases import Leases
from ictui.store.outbox_choices import OutboxChoices
from ictui.store.outbox_ops import OutboxOps
from ictui.store.paging_ops import PagingOps
from ictui.store.postmortem_ops import PostMortemOps
from ictui.store.roster_ops import RosterOps
from ictui.store.timeline_ops import TimelineOps

__all__ = ["MAX_TITLE", "Store"]


class Store(IncidentOps, TimelineOps, PostMortemOps, OutboxOps, OutboxChoices, Leases, PagingOps, RosterOps):
    """Incidents, the timeline and updates, post-mortems, the outbox, paging, people and teams."""
