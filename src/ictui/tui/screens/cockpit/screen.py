"""The cockpit: incident list on the left; the selected incident's panes on the right.

The screen owns the incident-wide actions (declare, status, severity, roles, note,
compose, broadcast, post-mortem) and every call to the store, which it makes in
workers. Widgets below it only draw what they are given and post messages up.

This module holds the screen itself: its keys, what it is made of, the list and its
filter, and the screens it opens. The rest is in the modules beside it, mixed in:
``sync`` (start-up, loads, polling), ``panes`` (focus, the small-terminal layout),
``incident_flows`` and ``timeline_flows`` (the forms, the note path, undo) and
``broadcast`` (the composer and the countdown).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Input, Static

from ictui.tui.loads import LatestLoad
from ictui.tui.messages import KeysHeld, NewReports, services
from ictui.tui.notes import NoteQueue
from ictui.tui.screens.cockpit.broadcast import CockpitBroadcast
from ictui.tui.screens.cockpit.incident_flows import IncidentFlows
from ictui.tui.screens.cockpit.paging_flow import PagingFlow
from ictui.tui.screens.cockpit.panes import CockpitPanes
from ictui.tui.screens.cockpit.sync import CockpitSync
from ictui.tui.screens.cockpit.timeline_flows import TimelineFlows
from ictui.tui.shown import shown
from ictui.tui.widgets.composer import Composer
from ictui.tui.widgets.footer import KeysFooter
from ictui.tui.widgets.incident_header import IncidentHeader
from ictui.tui.widgets.incident_list import IncidentList
from ictui.tui.widgets.status_bar import StatusBar
from ictui.tui.widgets.steady_input import SteadyInput
from ictui.tui.widgets.timeline import TimelineView
from ictui.tui.widgets.timeline_pane import TimelinePane
from ictui.tui.widgets.triage_pane import TriagePane

if TYPE_CHECKING:
    from ictui.store.interface import StoreAPI
    from ictui.tui.messages import AppServices


class CockpitScreen(
    CockpitSync, CockpitPanes, IncidentFlows, TimelineFlows, CockpitBroadcast, PagingFlow, Screen[None]
):
    CSS_PATH = "cockpit.tcss"
    # A maximised pane keeps the keys under it.
    ALLOW_IN_MAXIMIZED_VIEW = "KeysFooter"
    BINDINGS = [
        Binding("slash", "filter", "Filter", key_display="/", id="cockpit.filter"),
        # Search every incident's texts (tui/screens/search.py); / stays the list's filter.
        Binding("ctrl+f", "search", "Search everything", show=False, id="cockpit.search"),
        Binding("tab", "cycle_pane(1)", "Next pane", id="cockpit.next_pane"),
        Binding("shift+tab", "cycle_pane(-1)", "Previous pane", show=False, id="cockpit.prev_pane"),
        Binding("D", "declare", "Declare", id="cockpit.declare"),
        Binding("n", "note", "Note", id="cockpit.note"),
        Binding("s", "status", "Status", id="cockpit.status"),
        Binding("v", "severity", "Severity", id="cockpit.severity"),
        Binding("i", "roles", "Roles", id="cockpit.roles"),
        Binding("t", "triage", "Triage", id="cockpit.triage"),
        Binding("c", "compose", "Compose", id="cockpit.compose"),
        Binding("U", "broadcast", "Broadcast", id="cockpit.broadcast"),
        Binding("p", "postmortem", "Post-mortem", id="cockpit.postmortem"),
        Binding("g", "stats", "Stats", id="cockpit.stats"),
        Binding("G", "page", "Page on-call", id="cockpit.page"),
        Binding("E", "escalations", "Escalations", id="cockpit.escalations"),
        Binding("o", "outbox", "Outbox", id="cockpit.outbox"),
        Binding("P", "people", "People and teams", id="cockpit.people"),
        # f11 too: in the composer z is a letter.
        Binding("z,f11", "toggle_maximize", "Maximise", key_display="z", id="cockpit.maximize"),
        Binding("escape", "escape", "Back", show=False, id="cockpit.escape"),
    ]

    # repaint=False: the screen draws nothing of its own from these (its widgets do), and
    # a repaint of the screen redraws every widget on it, on every move of the cursor.
    number: reactive[int | None] = reactive(None, repaint=False)
    pending_broadcast: reactive[int] = reactive(0, repaint=False)

    def __init__(self) -> None:
        super().__init__()
        self.state = None
        self._revision = -1
        self._undo = []
        self._broadcast_timer = None
        self._broadcast_number = None
        # The entry the IC just acted on: the cursor stays on it even where it moved to.
        self._keep_entry = None
        # The incident selected (just declared) is not in the list on screen yet.
        self._selected_not_listed = False
        self._committed = None
        self._incident_reads = 0
        self._committed_after = 0
        self._started = False
        self._peeked_revision = None
        self._notes = None  # made on mount: it needs the app's settings
        self._last_load = 0.0
        # An action asked for while the incident under the cursor was being read.
        self._after_load = None
        self._after_load_hold = object()
        # The incident the triage and update panes show (they follow a frame after the rest).
        self._panes_number = None
        self._list_loads = LatestLoad(self, group="list", description="loading incidents")
        self._incident_loads = LatestLoad(self, group="incident", description="loading the incident")

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield StatusBar(id="status-bar")
        with Horizontal(id="main"):
            with Vertical(id="left"):
                yield SteadyInput(placeholder="Filter: text, sev1, sev:1,2, status:inv, active", id="filter")
                yield IncidentList(id="incident-list")
            with Vertical(id="right"):
                yield IncidentHeader(id="incident-header")
                yield Static(id="pane-tabs")
                yield TimelinePane(id="timeline-pane", classes="pane")
                with Horizontal(id="bottom"):
                    yield TriagePane(id="triage-pane", classes="pane")
                    yield Composer(id="composer", classes="pane")
                yield Static(id="broadcast-banner")
        yield KeysFooter(hold=True)  # released once the list is on screen

    @property
    def ictui(self) -> AppServices:
        return services(self)

    @property
    def store(self) -> StoreAPI:
        store = self.ictui.store
        assert store is not None, "the store opens before the cockpit loads"
        return store

    def on_mount(self) -> None:
        self._notes = NoteQueue(
            self,
            lambda: self.store,
            lambda: self.query_one(TimelinePane),
            self._note_saved,
            author=self.ictui.settings.user,
            writes=self.ictui.writes,
        )
        titles = {"timeline-pane": "Timeline", "triage-pane": "Triage", "composer": "Update"}
        for pane, title in titles.items():
            self.query_one(f"#{pane}").border_title = shown(title)
        self.watch(self.query_one("#filter", Input), "value", self._filter_changed, init=False)
        self.set_timer(1.0, self._show_keys)  # whatever happens to the list
        self.query_one(IncidentList).focus()
        # Keys typed before the cockpit was built: the marker says so from its first frame.
        self.query_one(StatusBar).keys_held = self.ictui.typeahead.held_count
        self._fit_layout()
        self._show_tabs()
        if (peeked := self.ictui.take_peeked()) is not None:
            self.show_peeked(peeked)
        if self.ictui.store is not None:
            self._start()

    def on_keys_held(self, message: KeysHeld) -> None:
        self.query_one(StatusBar).keys_held = message.count

    def on_new_reports(self, message: NewReports) -> None:
        self.query_one(StatusBar).new_reports = message.count

    @property
    def unsaved_notes(self) -> int:
        """Notes typed and not on disk yet (the database refused them for now)."""
        return self._notes.unsaved if self._notes is not None else 0

    # ------------------------------------------------------------------ list and filter

    @on(IncidentList.Highlighted)
    def _highlighted(self, event: IncidentList.Highlighted) -> None:
        # The list's cursor as it is now decides, not as it was when the message left: a
        # list read before the incident just declared was shown, moved the cursor off it,
        # and a newer read put it back before this came. And while the list on screen
        # predates the selected incident (declared here, not read yet), the cursor the
        # old list shows does not choose the incident the next keys act on.
        if self._selected_not_listed or event.number != self.query_one(IncidentList).selected_number:
            return
        self.number = event.number

    @on(IncidentList.Selected)
    def _selected(self, event: IncidentList.Selected) -> None:
        self.number = event.number
        self.query_one(TimelineView).focus()

    def action_filter(self) -> None:
        filter_input = self.query_one("#filter", Input)
        filter_input.add_class("-open")
        filter_input.focus()

    def _filter_changed(self, value: str) -> None:
        # Called as the value changes, not from the Input.Changed message: the frame that
        # echoes the key would otherwise go out first and hold the filtered list back by
        # a frame interval.
        # Typing a filter moves the cursor over incidents as a held key does: the one it
        # lands on loads once the typing pauses (MOVING_SECONDS), not on every letter.
        self._last_load = time.monotonic()
        # The next letters go on into the filter without waiting for this one's list: a
        # newer filter is read instead. Keys for the list wait once the filter is left.
        incident_list = self.query_one(IncidentList)
        incident_list.apply_filter(value, hold=not self.query_one("#filter", Input).has_focus)

    @on(Input.Submitted, "#filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        incident_list = self.query_one(IncidentList)
        incident_list.wait_for_filter()
        incident_list.focus()

    def action_escape(self) -> None:
        filter_input = self.query_one("#filter", Input)
        if self.maximized is not None:
            self.minimize()
        elif self.pending_broadcast:
            self._cancel_broadcast()
        elif filter_input.has_focus or filter_input.value:
            filter_input.value = ""
            filter_input.remove_class("-open")
            self.query_one(IncidentList).wait_for_filter()
            self.query_one(IncidentList).focus()
        else:
            self.query_one(IncidentList).focus()

    # ------------------------------------------------------------------ other screens

    def action_postmortem(self) -> None:
        view = self._need_incident("postmortem")
        if view is None:
            return
        from ictui.tui.screens.review import ReviewScreen

        self.app.push_screen(ReviewScreen(view.number))

    def action_search(self) -> None:
        from ictui.tui.screens.search import SearchScreen

        def chosen(number: int | None) -> None:
            if number is not None:
                filter_input = self.query_one("#filter", Input)
                filter_input.value = ""  # the incident found is on the list
                filter_input.remove_class("-open")
                self.number = number
                self.load_list()
                self.query_one(TimelineView).focus()

        self.app.push_screen(SearchScreen(self.query_one("#filter", Input).value), chosen)

    def action_stats(self) -> None:
        from ictui.tui.screens.stats import StatsScreen

        self.app.push_screen(StatsScreen())

    def action_outbox(self) -> None:
        from ictui.tui.screens.outbox import OutboxScreen

        self.app.push_screen(OutboxScreen(), lambda _: self.load_list())

    def action_people(self) -> None:
        from ictui.tui.screens.roster import RosterScreen

        self.app.push_screen(RosterScreen())

    def action_escalations(self) -> None:
        from ictui.tui.screens.escalations import EscalationScreen

        def started(number: int | None) -> None:
            if number is not None:
                # The keys typed after it are for the triage just started: they wait for it.
                hold = object()
                self.ictui.typeahead.hold_for_write(hold, "starting the triage")
                self.number = number
                self._focus_pane("triage-pane")
                self.show_written(lambda: self.ictui.typeahead.release(hold))

        self.ictui.escalations_seen()
        self.app.push_screen(EscalationScreen(), started)
