"""The cockpit in step with the database: the start-up hand-over, loads, and polling.

The list read before the database opened (the app's ``peek``) is shown first and kept if
nothing was written since; then the list and the incident under the cursor load in
threads, one at a time each (``tui/loads.py``), and they load again when the app says
that anyone (another cockpit, the CLI, the outbox) wrote (``DatabaseChanged``,
``tui/changes.py``). An action asked for while its incident is being read runs once it is
(``_need_incident``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

from ictui.domain.incident_filter import IncidentFilter
from ictui.domain.views import IncidentRow, IncidentView, ListWindow
from ictui.tui.changes import POLL_SECONDS
from ictui.tui.screens.cockpit.parts import CockpitParts, IncidentState
from ictui.tui.sending import fill_composer
from ictui.tui.widgets.composer import Composer
from ictui.tui.widgets.footer import KeysFooter
from ictui.tui.widgets.incident_header import IncidentHeader
from ictui.tui.widgets.incident_list import IncidentList
from ictui.tui.widgets.status_bar import StatusBar
from ictui.tui.widgets.timeline import TimelineView
from ictui.tui.widgets.triage_pane import TriagePane

if TYPE_CHECKING:
    from ictui.domain.outbox import DeliveryReport
    from ictui.tui.messages import DatabaseChanged, ListPeeked, Peeked, SlackRun, StoreReady

ALL = IncidentFilter()


class ListRead(NamedTuple):
    """What a reload of the list read: the revision, the window (IncidentList's reader),
    whether the incident asked for exists, the active incidents and the Slack actions
    not delivered."""

    revision: int
    shown: tuple[IncidentFilter, int | None, ListWindow]
    exists: bool
    active: list[IncidentRow]
    pending: int


# Incidents asked for less than this apart: the cursor is moving (a held key repeats
# every 30-50 ms). Each load then waits this long and is dropped if the cursor has
# moved on, so that drawing the incidents it passes does not hold the cursor back.
MOVING_SECONDS = 0.12


class CockpitSync(CockpitParts):
    """The cockpit's part that reads: mixed into :class:`CockpitScreen`."""

    # The newest revision the app announced, while a reload for it waits.
    _changed_to: int | None = None

    # ------------------------------------------------------------------ what the app says

    def on_store_ready(self, _: StoreReady) -> None:
        self._start()

    def on_list_peeked(self, _: ListPeeked) -> None:
        if (peeked := self.ictui.take_peeked()) is not None:
            self.show_peeked(peeked)

    def on_slack_run(self, run: SlackRun) -> None:
        self.show_slack_error(run.error)
        if run.report is not None:
            self.show_delivery(run.report)

    def _start(self) -> None:
        # Both the mount and StoreReady may come after the store opened: start once.
        if self._started:
            return
        self._started = True
        self.query_one(StatusBar).offline = not self.ictui.settings.slack_configured
        # The keys typed since the start go on once the list and the incident are shown.
        ready = lambda: self._incident_loads.after_current(self.ictui.cockpit_ready)  # noqa: E731 - one line, like the calls it is passed to
        # From now on the list reads the window on screen from the store, a page at a time.
        self.query_one(IncidentList).use_store(self.store, self.load_list)
        store = self.store
        if self._peeked_revision is None:
            self.load_list(then=ready)
        else:
            # Every incident was read before the store opened: read them again only if
            # the database changed since (10,000 rows read twice, and held twice at once).
            self._list_loads.request(
                lambda: (
                    store.revision(),
                    store.pending_outbox_count(),
                    store.list_incidents(active_only=True),
                ),
                self._check_peeked_list,
                then=lambda: self._list_loads.after_current(ready),
            )
        # The ages and overdue marks in the list follow the clock.
        self.set_interval(POLL_SECONDS, self._tick)

    # ------------------------------------------------------------------ the list

    def load_list(self, then: Callable[[], object] | None = None) -> None:
        """Read the list again (the window on screen, around the selected incident, with
        the active incidents the status bar counts); ``then`` runs once it is shown (or
        could not be read)."""
        read = self.query_one(IncidentList).window_reader(self.number)
        store = self.store

        def load() -> ListRead:
            revision = store.revision()
            _, keep, window = shown = read()
            # Not in the window: is it in the database at all (or only left out by the filter)?
            exists = keep is None or window.position is not None or store.list_position(ALL, keep) is not None
            return ListRead(
                revision, shown, exists, store.list_incidents(active_only=True), store.pending_outbox_count()
            )

        self._list_loads.request(load, self._show_list, then)

    def show_written(self, then: Callable[[], object]) -> None:
        """A write is on disk: ``then`` runs once the list and the incident under the
        cursor show it (the keys typed after the write wait for that)."""
        # The triage and update panes follow the incident a frame later: after them.
        self.load_list(then=lambda: self._incident_loads.after_current(lambda: self.call_after_refresh(then)))

    def _show_list(self, result: ListRead) -> None:
        (_, keep, _) = result.shown
        listed = self.query_one(IncidentList).show_window(result.shown, keep_number=self.number)
        if keep == self.number:
            # A list read before the incident the IC is on was written (a declare, and
            # another process's write that made the poll read the list meanwhile): shown,
            # it must not move the IC off that incident.
            self._selected_not_listed = self.number is not None and not result.exists
        elif listed is None:
            # Read around another incident, before the IC came to this one (a declare
            # made here while another process's write had the list read): this window
            # may not hold it, and the row left under the cursor is not the IC's choice
            # (the newest, another process's, say). Until the read around it (below)
            # shows, the cursor does not choose the incident the next keys act on.
            self._selected_not_listed = self.number is not None
        self._list_current(result.revision, result.pending, result.active)
        if listed is None:
            self.load_list()  # the cursor moved on while it was read: read around it

    def _check_peeked_list(self, result: tuple[int, int, list[IncidentRow]]) -> None:
        """The list read before the store opened stands if nothing was written since."""
        revision, pending, active = result
        if revision != self._peeked_revision:
            self.load_list()
        else:
            self._list_current(revision, pending, active)

    def _list_current(self, revision: int, pending: int, active: list[IncidentRow]) -> None:
        """The list on screen is the database's at ``revision``: what follows from it."""
        incident_list = self.query_one(IncidentList)
        if self._revision < 0:
            # The cockpit is up: what it holds now is left out of garbage collections.
            self.call_after_refresh(self.ictui.pace_interpreter)
        self._revision = revision
        self.call_after_refresh(self._show_keys)
        self.query_one(StatusBar).update_counts(active, pending)
        if self.number is None and incident_list.selected_number is not None:
            self.number = incident_list.selected_number
        elif self.number is not None:
            self.load_incident()

    def show_peeked(self, peeked: Peeked) -> None:
        """The list read before the store opened (IctuiApp's ``peek``); the store's replaces
        it unless the database is still at the revision it was read at."""
        self.call_after_refresh(peeked.painted.set)
        if self._started:
            return
        self._peeked_revision = peeked.revision
        incident_list = self.query_one(IncidentList)
        incident_list.set_rows(peeked.rows)
        self.call_after_refresh(self._show_keys)
        if self.number is None:
            self.number = incident_list.selected_number

    def _show_keys(self) -> None:
        self.query_one(KeysFooter).release()

    # ------------------------------------------------------------------ the incident

    def load_incident(self) -> None:
        number = self.number
        # Before the store opens (a peeked list), the incident loads once it has.
        if number is None or self.ictui.store is None:
            return

        moving = time.monotonic() - self._last_load < MOVING_SECONDS
        self._last_load = time.monotonic()
        store = self.store  # here: in the thread, the app may have ended (self.app fails)

        def load() -> IncidentState | None:
            if moving:
                time.sleep(MOVING_SECONDS)
                if self.number != number:
                    return None
            return IncidentState(store.incident(number), store.timeline(number))

        self._incident_loads.request(load, self._show_incident)

    def _show_incident(self, state: IncidentState | None) -> None:
        if state is None or state.view.number != self.number:
            return
        self.state = state
        self.query_one(IncidentHeader).incident = state.view
        timeline = self.query_one(TimelineView)
        if self._keep_entry is not None:
            timeline.set_entries(state.entries, keep_id=self._keep_entry, follow_tail=False)
            self._keep_entry = None
        else:
            selected = timeline.selected_entry
            timeline.set_entries(state.entries, keep_id=selected.id if selected else None)
        # The triage and the update come a frame later: the text editor alone costs what
        # the timeline does to draw, and the IC looks at the timeline first.
        self.call_after_refresh(self._show_incident_panes, state)
        if self._after_load is not None:
            self._run_after_load()

    def _show_incident_panes(self, state: IncidentState) -> None:
        if self.state is not state:
            return  # another load came in meanwhile; it shows its own
        triage = self.query_one(TriagePane)
        # Answers being given are the IC's until they confirm, unless the incident changed.
        if self._panes_number != state.view.number or not triage.has_focus:
            triage.load(state.view.triage)
        self._panes_number = state.view.number
        composer = self.query_one(Composer)
        # An untouched template follows the incident as it changes; a draft is the IC's.
        if composer.number != state.view.number or not (composer.edited or state.view.draft):
            fill_composer(composer, state.view, state.entries)

    def watch_number(self, number: int | None) -> None:
        if number is not None:
            self.load_incident()

    # ------------------------------------------------------------------ following the database

    def _tick(self) -> None:
        self.query_one(IncidentList).tick()

    def on_database_changed(self, changed: DatabaseChanged) -> None:
        """Reload when anyone (another cockpit, the CLI, the outbox) has written."""
        if not self._started:
            return  # the start reads the list (or checks the one read before) itself
        waiting = self._changed_to is not None
        self._changed_to = changed.revision
        if not waiting:
            # After the load under way, if any: it may have read the change itself.
            self._list_loads.after_current(self._check_revision)

    def _check_revision(self) -> None:
        revision, self._changed_to = self._changed_to, None
        if revision is not None and revision != self._revision:
            self.load_list()

    def _after_write(self, message: str | None = None) -> Callable[[Any], None]:
        def done(_: Any) -> None:
            if message:
                self.notify(message, timeout=3)
            self.load_list()

        return done

    def show_delivery(self, report: DeliveryReport) -> None:
        self.query_one(StatusBar).show_run(report)
        if report.delivered:
            self.load_list()

    def show_slack_error(self, error: str) -> None:
        """What the Slack loop's last run met ("" once a run went through)."""
        self.query_one(StatusBar).sync_error = error

    # ------------------------------------------------------------------ actions that wait for it

    def _need_incident(self, action: str | None = None) -> IncidentView | None:
        """The incident under the cursor, if it is on screen.

        If it is still being read, ``action`` runs once it is, and the keys typed after it
        wait: they are meant for the form the action opens, not for the cockpit.
        """
        if self.state is not None and (self.number is None or self.state.view.number == self.number):
            return self.state.view
        if self.number is None:
            self.notify("Select an incident first (or press D to declare one)", severity="warning")
        elif action is not None:
            self._after_load = action
            self.ictui.typeahead.hold(
                self._after_load_hold,
                on_expiry=self._give_up_after_load,
                what=f"#{self.number} is still loading",
            )
            if not self._incident_loads.busy:
                self.load_incident()  # whatever happened to the last one, this one comes
        else:
            self.notify(f"#{self.number} is still loading", severity="warning", timeout=2)
        return None

    def _give_up_after_load(self) -> None:
        """The incident did not come in time: the action is dropped, not run later by surprise."""
        if self._after_load is not None:
            self.notify(
                f"#{self.number} is still loading: {self._after_load} was not opened", severity="warning"
            )
            self._after_load = None

    def _run_after_load(self) -> None:
        """The action asked for while the incident was being read, now that it is."""
        action, self._after_load = self._after_load, None
        try:
            if action is not None:
                getattr(self, f"action_{action}")()
        finally:
            # After the action: a form it opens holds the keys in its turn.
            self.ictui.typeahead.release(self._after_load_hold)
