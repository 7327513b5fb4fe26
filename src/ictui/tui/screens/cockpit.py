"""The cockpit: incident list on the left; the selected incident's panes on the right.

The screen owns the incident-wide actions (declare, status, severity, roles, note,
compose, broadcast, post-mortem) and every call to the store, which it makes in
workers. Widgets below it only draw what they are given and post messages up.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, Static

from ictui.domain.clock import to_local
from ictui.domain.enums import IncidentRole, KeyEvent, Severity, Status
from ictui.domain.views import EntryView, IncidentRow, IncidentView, PersonView
from ictui.tui.calls import call_in_thread
from ictui.tui.loads import LatestLoad
from ictui.tui.notes import Note, NoteQueue
from ictui.tui.typeahead import open_after_read
from ictui.tui.sending import UpdateSender, fill_composer
from ictui.tui.status_choices import confirm_severity, status_choices
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
    from ictui.domain.outbox import DeliveryReport
    from ictui.store import Store
    from ictui.tui.app import IctuiApp, Peeked

# How often the cockpit asks whether anyone else wrote (a one-row read): another
# terminal's `ictui note` shows up within this, plus the time to read it, which on a
# busy machine took up to half a second more (the bound is 2 s).
POLL_SECONDS = 0.5
# Incidents asked for less than this apart: the cursor is moving (a held key repeats
# every 30-50 ms). Each load then waits this long and is dropped if the cursor has
# moved on, so that drawing the incidents it passes does not hold the cursor back.
MOVING_SECONDS = 0.12
BROADCAST_UNDO_SECONDS = 5
# The panes `tab` cycles through, in order.
PANES = ("incident-list", "timeline-pane", "triage-pane", "composer")
NARROW_WIDTH = 100
SHORT_HEIGHT = 30


@dataclass
class IncidentState:
    """What the right-hand side shows; replaced whole when a load finishes."""

    view: IncidentView
    entries: list[EntryView] = field(default_factory=list)


class CockpitScreen(Screen[None]):
    CSS_PATH = "cockpit.tcss"
    # A maximised pane keeps the keys under it.
    ALLOW_IN_MAXIMIZED_VIEW = "KeysFooter"
    BINDINGS = [
        Binding("slash", "filter", "Filter", key_display="/", id="cockpit.filter"),
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
        self.state: IncidentState | None = None
        self._revision = -1
        self._undo: list[tuple[str, Callable[[], Any]]] = []
        self._broadcast_timer: Timer | None = None
        self._broadcast_number: int | None = None
        self._sender = UpdateSender(self)
        # The entry the IC just acted on: the cursor stays on it even where it moved to.
        self._keep_entry: int | None = None
        self._started = False
        self._peeked_revision: int | None = None
        self._notes: NoteQueue | None = None  # made on mount: it needs the app's settings
        self._last_load = 0.0
        # An action asked for while the incident under the cursor was being read.
        self._after_load: str | None = None
        self._after_load_hold = object()
        # The incident the triage and update panes show (they follow a frame after the rest).
        self._panes_number: int | None = None
        self._list_loads: LatestLoad[tuple[int, list[IncidentRow], int]] = LatestLoad(
            self, group="list", description="loading incidents"
        )
        self._incident_loads: LatestLoad[IncidentState | None] = LatestLoad(
            self, group="incident", description="loading the incident"
        )

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
    def ictui(self) -> IctuiApp:
        return self.app  # type: ignore[return-value]

    @property
    def store(self) -> Store:
        store = self.ictui.store
        assert store is not None, "the store opens before the cockpit loads"
        return store

    def on_mount(self) -> None:
        self._notes = NoteQueue(
            self, lambda: self.store, lambda: self.query_one(TimelinePane), self._note_saved,
            author=self.ictui.settings.user,
        )
        titles = {"timeline-pane": "Timeline", "triage-pane": "Triage", "composer": "Update"}
        for pane, title in titles.items():
            self.query_one(f"#{pane}").border_title = title
        self.query_one("#composer-preview").border_title = "Slack preview"
        self.watch(self.query_one("#filter", Input), "value", self._filter_changed, init=False)
        self.set_timer(1.0, self._show_keys)  # whatever happens to the list
        self.query_one(IncidentList).focus()
        self._fit_layout()
        self._show_tabs()
        if (peeked := self.ictui.take_peeked()) is not None:
            self.show_peeked(peeked)
        if self.ictui.store is not None:
            self._start()

    def on_resize(self) -> None:
        self._fit_layout()

    def _fit_layout(self) -> None:
        """Below 100x30 the right side shows one pane at a time; tab switches it."""
        size = self.app.size
        self.set_class(size.width < NARROW_WIDTH or size.height < SHORT_HEIGHT, "-compact")

    def on_ictui_app_store_ready(self) -> None:
        self._start()

    def _start(self) -> None:
        # Both the mount and StoreReady may come after the store opened: start once.
        if self._started:
            return
        self._started = True
        self.query_one(StatusBar).offline = not self.ictui.settings.slack_configured
        if self._peeked_revision is None:
            self.load_list()
        else:
            # Every incident was read before the store opened: read them again only if
            # the database changed since (10,000 rows read twice, and held twice at once).
            self._list_loads.request(
                lambda: (self.store.revision(), self.store.pending_outbox_count()), self._check_peeked_list
            )
        self.set_interval(POLL_SECONDS, self._poll)

    # ------------------------------------------------------------------ loading

    def load_list(self) -> None:
        self._list_loads.request(
            lambda: (self.store.revision(), self.store.list_incidents(), self.store.pending_outbox_count()),
            self._show_list,
        )

    def _show_list(self, result: tuple[int, list[IncidentRow], int]) -> None:
        revision, rows, pending = result
        self.query_one(IncidentList).set_rows(rows, keep_number=self.number)
        self._list_current(revision, pending)

    def _check_peeked_list(self, result: tuple[int, int]) -> None:
        """The list read before the store opened stands if nothing was written since."""
        revision, pending = result
        if revision != self._peeked_revision:
            self.load_list()
        else:
            self._list_current(revision, pending)

    def _list_current(self, revision: int, pending: int) -> None:
        """The list on screen is the database's at ``revision``: what follows from it."""
        incident_list = self.query_one(IncidentList)
        if self._revision < 0:
            # The cockpit is up: what it holds now is left out of garbage collections.
            self.call_after_refresh(self.ictui.pace_interpreter)
        self._revision = revision
        self.call_after_refresh(self._show_keys)
        self.query_one(StatusBar).update_counts(incident_list.rows, pending)
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

    def _poll(self) -> None:
        """Reload when anyone (another cockpit, the CLI, the outbox) has written."""
        self.query_one(IncidentList).tick()
        call_in_thread(self, self.store.revision, self._check_revision, group="poll",
                       exclusive=True, description="checking for changes")

    def _check_revision(self, revision: int) -> None:
        # A load under way reads the newest revision itself.
        if revision != self._revision and not self._list_loads.busy:
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

    # ------------------------------------------------------------------ list and filter

    @on(IncidentList.Highlighted)
    def _highlighted(self, event: IncidentList.Highlighted) -> None:
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
        self.query_one(IncidentList).apply_filter(value)

    @on(Input.Submitted, "#filter")
    def _filter_done(self, event: Input.Submitted) -> None:
        self.query_one(IncidentList).focus()

    def action_escape(self) -> None:
        filter_input = self.query_one("#filter", Input)
        if self.maximized is not None:
            self.minimize()
        elif self.pending_broadcast:
            self._cancel_broadcast()
        elif filter_input.has_focus or filter_input.value:
            filter_input.value = ""
            filter_input.remove_class("-open")
            self.query_one(IncidentList).focus()
        else:
            self.query_one(IncidentList).focus()

    # ------------------------------------------------------------------ panes

    def action_cycle_pane(self, step: int) -> None:
        current = self._current_pane()
        index = PANES.index(current) if current in PANES else 0
        self._focus_pane(PANES[(index + step) % len(PANES)])

    def _current_pane(self) -> str | None:
        focused = self.focused
        while focused is not None:
            if focused.id in PANES:
                return focused.id
            focused = focused.parent  # type: ignore[assignment]
        return None

    def _focus_pane(self, pane: str) -> None:
        if pane == "incident-list":
            self.query_one(IncidentList).focus()
        elif pane == "timeline-pane":
            self.query_one(TimelineView).focus()
        elif pane == "triage-pane":
            self.query_one(TriagePane).focus()
        else:
            self.query_one("#composer-text").focus()

    def on_descendant_focus(self) -> None:
        self._show_tabs()

    def _show_tabs(self) -> None:
        """In compact mode only the current right-hand pane shows; the tab line says which."""
        right = PANES[1:]
        try:
            panes = {pane: self.query_one(f"#{pane}") for pane in right}
        except NoMatches:
            return
        current = self._current_pane()
        if current not in right:
            current = next((p for p, w in panes.items() if w.has_class("-current")), "timeline-pane")
        for pane, widget in panes.items():
            widget.set_class(pane == current, "-current")
        bottom = self.query_one("#bottom")
        bottom.set_class(current != "timeline-pane", "-current")
        bottom.set_class(current == "composer", "-writing")
        labels = {"timeline-pane": "Timeline", "triage-pane": "Triage", "composer": "Update"}
        tabs = "  ".join(
            f"[reverse] {label} [/]" if pane == current else f" {label} " for pane, label in labels.items()
        )
        self.query_one("#pane-tabs", Static).update(tabs + "   [dim]tab switches[/]")

    def action_toggle_maximize(self) -> None:
        if self.maximized is not None:
            self.minimize()
            return
        pane = self._current_pane()
        if pane:
            self.maximize(self.query_one(f"#{pane}"), container=False)

    # ------------------------------------------------------------------ declare

    def action_declare(self) -> None:
        from ictui.tui.screens.forms import DeclareForm, DeclareModal

        def declared(form: DeclareForm | None) -> None:
            if form is None:
                return

            def work() -> IncidentView:
                return self.store.declare(
                    form.title,
                    severity=form.severity,
                    summary=form.summary,
                    ic_email=form.ic_email,
                    author=self.ictui.settings.user,
                    components=list(form.components),
                )

            def done(view: IncidentView) -> None:
                self.notify(f"Declared #{view.number} {view.title}", timeout=4)
                self.number = view.number
                self.load_list()
                self.ictui.deliver_outbox()

            call_in_thread(self, work, done, description="declaring the incident")

        def open_form(loaded: tuple[list[PersonView], list[str]]) -> None:
            people, components = loaded
            self.app.push_screen(DeclareModal(people, self.ictui.settings.user, components), declared)

        open_after_read(
            self,
            self.ictui.typeahead,
            lambda: (self.store.people(), self.store.components()),
            open_form,
            description="loading people",
        )

    # ------------------------------------------------------------------ status, severity, roles

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
            self.ictui.typeahead.hold(self._after_load_hold, on_expiry=self._give_up_after_load)
            if not self._incident_loads.busy:
                self.load_incident()  # whatever happened to the last one, this one comes
        else:
            self.notify(f"#{self.number} is still loading", severity="warning", timeout=2)
        return None

    def _give_up_after_load(self) -> None:
        """The incident did not come in time: the action is dropped, not run later by surprise."""
        if self._after_load is not None:
            self.notify(f"#{self.number} is still loading: {self._after_load} was not opened", severity="warning")
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

    def action_status(self) -> None:
        from ictui.tui.screens.forms import Choice, ChoiceModal

        view = self._need_incident("status")
        if view is None:
            return
        choices, highlight, back = status_choices(view.status)
        if not choices:
            self.notify(f"#{view.number} is {view.status}: that is final", severity="warning")
            return

        def chosen(result: tuple[Status, str] | None) -> None:
            if result is None:
                return
            status, note = result
            user = self.ictui.settings.user
            call_in_thread(
                self,
                lambda: self.store.change_status(view.number, status, user, note),
                lambda new: self._status_changed(new),
                description="changing the status",
            )

        self.app.push_screen(
            ChoiceModal(f"#{view.number}: {view.status} → ?", choices, note_label="Why (needed to go back)" if back else "Why (optional)",
                        highlight=highlight, needs_reason=back),
            chosen,
        )

    def _status_changed(self, view: IncidentView) -> None:
        self.notify(f"#{view.number} is now {view.status}", timeout=3)
        self.load_list()
        self.ictui.deliver_outbox()
        if view.status is Status.RESOLVED and view.postmortem_scheduled_at:
            self._ask_postmortem_date(view)

    def _ask_postmortem_date(self, view: IncidentView) -> None:
        from ictui.tui.screens.forms import DateModal

        default = to_local(view.postmortem_scheduled_at).format("YYYY-MM-DD HH:mm")  # type: ignore[arg-type]

        def chosen(when: Any) -> None:
            if when is None:
                return
            call_in_thread(
                self,
                lambda: self.store.schedule_postmortem(view.number, when),
                self._after_write(f"Post-mortem for #{view.number} set for {to_local(when).format('ddd D MMM HH:mm')}"),
                description="scheduling the post-mortem",
            )

        self.app.push_screen(
            DateModal(
                f"Post-mortem for #{view.number}: when? (within 3 business days)",
                default,
            ),
            chosen,
        )

    def action_severity(self) -> None:
        from ictui.tui.screens.forms import Choice, ChoiceModal

        view = self._need_incident("severity")
        if view is None:
            return
        choices = [Choice(sev, str(sev)) for sev in Severity if sev != view.severity]

        def chosen(result: tuple[Severity, str] | None) -> None:
            if result is None:
                return
            severity, reason = result
            user = self.ictui.settings.user
            call_in_thread(
                self,
                lambda: self.store.change_severity(view.number, severity, user, reason),
                self._after_write(f"#{view.number} is now {severity}"),
                description="changing the severity",
            )

        self.app.push_screen(
            ChoiceModal(f"#{view.number}: severity {view.severity} → ?", choices, note_label="Why (optional)"),
            chosen,
        )

    def action_roles(self) -> None:
        from ictui.tui.screens.forms import RoleModal

        view = self._need_incident("roles")
        if view is None:
            return

        def chosen(result: tuple[IncidentRole, str, str] | None) -> None:
            if result is None:
                return
            role, email, new_name = result
            settings, store = self.ictui.settings, self.store
            user = settings.user

            def assign() -> IncidentView:
                # Someone typed in is added to the roster first (looked up in Slack by email).
                from ictui.slack.people import ensure_person

                ensure_person(store, settings, email, new_name)  # type: ignore[arg-type]
                return store.assign_role(view.number, role, email, user)

            call_in_thread(
                self,
                assign,
                self._after_write(f"{role} assigned on #{view.number}"),
                description="assigning the role",
            )

        open_after_read(
            self,
            self.ictui.typeahead,
            lambda: (self.store.people(), self.store.suggest_responders(view.number)),
            lambda loaded: self.app.push_screen(RoleModal(view, *loaded), chosen),
            description="loading people",
        )

    # ------------------------------------------------------------------ triage

    def action_triage(self) -> None:
        if self._need_incident("triage") is not None:
            self._focus_pane("triage-pane")

    @on(TriagePane.Confirmed)
    def _triage_confirmed(self, event: TriagePane.Confirmed) -> None:
        view = self._need_incident()
        if view is None:
            return
        user = self.ictui.settings.user

        def record(apply_severity: bool) -> None:
            call_in_thread(
                self,
                lambda: self.store.record_triage(view.number, event.answers, user, apply_severity=apply_severity),
                lambda result: self._after_write(f"Triage recorded: {result.summary}")(result),
                description="recording the triage decision",
            )

        confirm_severity(self, view, event.answers, record)

    # ------------------------------------------------------------------ timeline

    def action_note(self) -> None:
        if self._need_incident("note") is not None:
            self.query_one(TimelinePane).open_note()
            self._show_tabs()

    @on(TimelinePane.NoteSubmitted)
    def _note_submitted(self, event: TimelinePane.NoteSubmitted) -> None:
        view = self._need_incident()
        if view is None:
            self.query_one(TimelinePane).restore_note(event.text)  # nothing typed is lost
            return
        assert self._notes is not None
        self._notes.submit(Note(view.number, event.text))

    def _note_saved(self, note: Note, entry: EntryView, revision: int) -> None:
        """A note is on disk: it shows, and nothing else is read again unless someone else
        wrote meanwhile."""
        if self.state is not None and self.state.view.number == note.number:
            self.state.entries.append(entry)
            self.query_one(TimelineView).add_entry(entry)
        if revision == self._revision + 1 and not (self._list_loads.busy or self._incident_loads.busy):
            # Nothing but this note changed since the list and the incident were read, and
            # a note changes neither a list row nor the header: both stand. (Reloading
            # them after every note read 10,000 rows and 5,000 entries again, in a thread
            # that held the interpreter while the IC typed the next one.)
            self._revision = revision
            if self.state is not None:
                # An untouched update template lists the latest entries: it follows, a
                # frame later (the editor costs what the timeline does to draw).
                self.call_after_refresh(self._show_incident_panes, self.state)
        else:
            # After the note's frame: the reload would compete with painting it.
            self.call_after_refresh(self.load_list)

    @on(TimelinePane.EntryAction)
    def _entry_action(self, event: TimelinePane.EntryAction) -> None:
        entry = event.entry
        self._keep_entry = entry.id
        user = self.ictui.settings.user
        if event.action == "delete":
            call_in_thread(
                self,
                lambda: self.store.delete_entry(entry.id, user),
                self._after_write("Entry deleted — ctrl+z brings it back"),
                description="deleting the entry",
            )
            self._undo.append(("restore", lambda: self.store.restore_entry(entry.id, user)))
        elif event.action == "edit":
            self._edit_entry(entry)
        elif event.action == "mark":
            self._mark_entry(entry)
        elif event.action == "share":
            call_in_thread(
                self,
                lambda: self.store.share_entry(entry.id),
                self._after_write("Shared to the incident channel (through the outbox)"),
                description="sharing the entry",
            )

    def _edit_entry(self, entry: EntryView) -> None:
        from ictui.tui.screens.forms import EditEntryModal

        user = self.ictui.settings.user

        def edited(result: tuple[str, Any] | None) -> None:
            if result is None:
                return
            text, at = result
            old_text, old_at = entry.text, entry.occurred_at
            call_in_thread(
                self,
                lambda: self.store.edit_entry(entry.id, text=text, at=at, editor=user),
                self._after_write("Entry updated — ctrl+z undoes"),
                description="editing the entry",
            )
            self._undo.append(
                ("edit", lambda: self.store.edit_entry(entry.id, text=old_text, at=old_at, editor=user))
            )

        self.app.push_screen(EditEntryModal(entry), edited)

    def _mark_entry(self, entry: EntryView) -> None:
        from ictui.tui.screens.forms import Choice, ChoiceModal

        choices = [Choice(None, "not a key event")] + [Choice(key, str(key)) for key in KeyEvent]
        user = self.ictui.settings.user

        def chosen(result: tuple[KeyEvent | None, str] | None) -> None:
            if result is None:
                return
            key = result[0]
            previous = KeyEvent(entry.key_event) if entry.key_event else None
            call_in_thread(
                self,
                lambda: self.store.set_key_event(entry.id, key, user),
                self._after_write(f"Marked: {key}" if key else "Key event cleared"),
                description="marking the entry",
            )
            self._undo.append(("mark", lambda: self.store.set_key_event(entry.id, previous, user)))

        self.app.push_screen(ChoiceModal("Mark this entry as", choices), chosen)

    @on(TimelinePane.UndoRequested)
    def _undo_requested(self) -> None:
        if not self._undo:
            self.notify("Nothing to undo", severity="warning")
            return
        what, undo = self._undo.pop()
        call_in_thread(self, undo, self._after_write(f"Undone ({what})"), description="undoing")

    # ------------------------------------------------------------------ updates

    def action_compose(self) -> None:
        if self._need_incident("compose") is not None:
            self._focus_pane("composer")

    @on(Composer.DraftChanged)
    def _draft_changed(self, event: Composer.DraftChanged) -> None:
        user = self.ictui.settings.user
        call_in_thread(
            self,
            lambda: self.store.save_draft(event.number, event.text, user),
            group="drafts",
            description="saving the draft",
        )

    @on(Composer.ResetRequested)
    def _reset_draft(self, event: Composer.ResetRequested) -> None:
        if self.state is not None and self.state.view.number == event.number:
            self._sender.reset(self.query_one(Composer), self.state.view, self.state.entries)

    @on(Composer.SendRequested)
    def _send(self, event: Composer.SendRequested) -> None:
        self._sender.send_composer(self.query_one(Composer))

    def action_broadcast(self) -> None:
        """One key: the templated update goes out after a 5-second undo window."""
        if self._need_incident("broadcast") is None or self.state is None:
            return
        if self.pending_broadcast:
            return
        self._broadcast_number = self.state.view.number
        self.pending_broadcast = BROADCAST_UNDO_SECONDS
        self._broadcast_timer = self.set_interval(1.0, self._broadcast_tick)

    def _broadcast_tick(self) -> None:
        self.pending_broadcast -= 1
        if self.pending_broadcast <= 0:
            self._stop_broadcast_timer()
            if self._broadcast_number is not None:
                # Built when it goes, from the incident as it is then (sending.py).
                self._sender.send_template(self._broadcast_number)

    def _stop_broadcast_timer(self) -> None:
        if self._broadcast_timer is not None:
            self._broadcast_timer.stop()
            self._broadcast_timer = None

    def _cancel_broadcast(self) -> None:
        self._stop_broadcast_timer()
        self.pending_broadcast = 0
        self.notify("Broadcast cancelled: nothing was sent", timeout=3)

    def watch_pending_broadcast(self, seconds: int) -> None:
        banner = self.query_one("#broadcast-banner", Static)
        banner.set_class(seconds > 0, "-shown")
        if seconds > 0:
            banner.update(
                f"Broadcasting the update for #{self._broadcast_number} in {seconds}s — escape cancels"
            )

    # ------------------------------------------------------------------ other screens

    def action_postmortem(self) -> None:
        view = self._need_incident("postmortem")
        if view is None:
            return
        from ictui.tui.screens.review import ReviewScreen

        self.app.push_screen(ReviewScreen(view.number))

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
                self.number = number
                self.load_list()
                self._focus_pane("triage-pane")

        self.app.push_screen(EscalationScreen(), started)
