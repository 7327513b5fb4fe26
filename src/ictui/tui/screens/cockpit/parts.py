"""What the cockpit's parts share: the incident on the right, and the state and methods
the modules beside this one use of each other.

:class:`CockpitScreen` (screen.py) is put together from ``sync``, ``panes``,
``incident_flows``, ``timeline_flows``, ``broadcast`` and ``paging_flow``. Each is a class
derived from :class:`CockpitParts`, which declares (for the type checker) the screen's
state, with its type, and the methods one part calls on another. At run time
CockpitParts is an empty class: screen.py sets the state up and each part defines its
methods; to the type checker it is a ``Screen``, so that a part's ``self`` is one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ictui.domain.views import EntryView, IncidentView

if TYPE_CHECKING:
    from pendulum import DateTime
    from textual.reactive import reactive
    from textual.screen import Screen
    from textual.timer import Timer

    from ictui.store.interface import StoreAPI
    from ictui.tui.loads import LatestLoad
    from ictui.tui.messages import AppServices, Peeked
    from ictui.tui.notes import Note, NoteQueue

    _Screen = Screen[None]
else:
    _Screen = object


@dataclass
class IncidentState:
    """What the right-hand side shows; replaced whole when a load finishes."""

    view: IncidentView
    entries: list[EntryView] = field(default_factory=list)


class CockpitParts(_Screen):
    """The state the cockpit's parts share (set up by ``CockpitScreen.__init__``)."""

    state: IncidentState | None
    # The database's revision the list on screen shows (-1 before the first list).
    _revision: int
    _undo: list[tuple[str, Callable[[], Any]]]
    _broadcast_timer: Timer | None
    _broadcast_number: int | None
    _broadcast_due: DateTime
    _keep_entry: int | None
    _selected_not_listed: bool
    _started: bool
    _peeked_revision: int | None
    _notes: NoteQueue | None
    _last_load: float
    _after_load: str | None
    _after_load_hold: object
    _panes_number: int | None
    # The incident as the last write here left it (its header shows it at once), and the
    # incident reads asked for up to then: their headers are older (sync.show_committed).
    _committed: IncidentView | None
    _incident_reads: int
    _committed_after: int
    # Two kinds of reads in turn: the list, and the check of a list read before the store
    # opened (its revision and the outbox's count).
    _list_loads: LatestLoad[Any]
    _incident_loads: LatestLoad[IncidentState | None]

    if TYPE_CHECKING:
        # Defined in screen.py.
        number: reactive[int | None] = reactive(None)
        pending_broadcast: reactive[int] = reactive(0)

        @property
        def ictui(self) -> AppServices: ...

        @property
        def store(self) -> StoreAPI: ...

        # Defined in sync.py.
        def load_list(self, then: Callable[[], object] | None = None) -> None: ...
        def show_written(self, then: Callable[[], object]) -> None: ...
        def show_committed(self, view: IncidentView) -> None: ...
        def show_peeked(self, peeked: Peeked) -> None: ...
        def load_incident(self) -> None: ...
        def _start(self) -> None: ...
        def _show_keys(self) -> None: ...
        def _show_incident_panes(self, state: IncidentState) -> None: ...
        def _need_incident(self, action: str | None = None) -> IncidentView | None: ...
        def _after_write(self, message: str | None = None) -> Callable[[Any], None]: ...

        # Defined in panes.py.
        def _fit_layout(self) -> None: ...
        def _focus_pane(self, pane: str) -> None: ...
        def _show_tabs(self) -> None: ...

        # Defined in timeline_flows.py and broadcast.py.
        def _note_saved(self, note: Note, entry: EntryView, revision: int) -> None: ...
        def _cancel_broadcast(self) -> None: ...
