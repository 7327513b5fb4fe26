"""The ictui application: opens the store after the first frame, then runs the cockpit."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Input, Static

from ictui.domain.text import without_controls
from ictui.tui import flows
from ictui.tui.calls import call_in_thread
from ictui.tui.changes import RevisionWatcher
from ictui.tui.commands import CockpitCommands
from ictui.tui.delivery import SlackLoop
from ictui.tui.loads import InOrder
from ictui.tui.messages import (
    DatabaseChanged,
    EscalationArrived,
    KeysHeld,
    ListPeeked,
    NewReports,
    PagingReport,
    Peeked,
    SlackReport,
    SlackRun,
    StoreReady,
)
from ictui.tui.pacing import CHECK_SECONDS, InterpreterPacing
from ictui.tui.paging_loop import PagingLoop
from ictui.tui.screen_styles import prepare
from ictui.tui.shown import markup, plain
from ictui.tui.textual_compat import keep_escape_an_escape, result_requester
from ictui.tui.typeahead import KeyDone, TypeAhead

# More lines than a terminal shows: the list's first read, painted before the rest is read.
FIRST_ROWS = 200
# The keys typed before the cockpit shows the database wait for it (released by the
# cockpit once its list and incident are on screen; the app ends if the database fails).
OPENING = "opening"

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel

    from ictui.config import Settings
    from ictui.domain.paging import PagingHealth
    from ictui.store.bulk_reads import ListRead
    from ictui.store.interface import StoreAPI


def warm_up() -> None:
    """Import what the cockpit's keys open, so that the first opening is as quick as the next."""
    import ictui.tui.screens.escalations
    import ictui.tui.screens.forms
    import ictui.tui.screens.help
    import ictui.tui.screens.outbox
    import ictui.tui.screens.page_form
    import ictui.tui.screens.postmortem_forms
    import ictui.tui.screens.review
    import ictui.tui.screens.roster
    import ictui.tui.screens.roster_forms
    import ictui.tui.screens.stats  # noqa: F401 - imported to be loaded, not used here


class IctuiApp(App[None]):
    """The IC's cockpit.

    ``store`` is a :class:`Store` or a function that opens one. The function runs in a
    thread after the first frame is painted: importing the database layer costs more
    than starting Textual, and the IC should see the cockpit at once. ``peek``, when
    given, reads the incident list without that layer (ictui.store.bulk_reads): the list
    is painted first, then the store opens.
    """

    TITLE = "ictui"
    SUB_TITLE = "Incident Controller's cockpit"
    # Every screen's styles, read at start: a screen whose styles come with its first
    # opening makes Textual parse them and restyle the whole app (the cockpit's thousands
    # of nodes) on that key, the first time only. In the order the screens load them.
    CSS_PATH = [
        "app.tcss",
        "screens/cockpit/cockpit.tcss",
        "screens/forms.tcss",
        "screens/roster.tcss",
        "screens/review/review.tcss",
        "screens/stats.tcss",
        "screens/help.tcss",
    ]
    COMMANDS = App.COMMANDS | {CockpitCommands}
    BINDINGS = [
        Binding("question_mark,f1", "help", "Help", key_display="?", id="help"),
        Binding("q", "quit_safely", "Quit", id="quit"),
    ]

    def __init__(
        self,
        store: StoreAPI | Callable[[], StoreAPI],
        settings: Settings,
        *,
        cursor_blink: bool = True,
        pace_interpreter: bool | None = None,
        peek: Callable[[int | None], ListRead | None] | None = None,
    ) -> None:
        super().__init__()
        # Escape, a key and an arrow in one read are escape, the key and the arrow (not "^").
        keep_escape_an_escape()
        self._open_store = store if callable(store) else (lambda: store)
        self._peek = peek
        self.store: StoreAPI | None = None
        self.settings = settings
        # Off in snapshot tests (a blinking cursor makes screenshots flaky) and for
        # people who find blinking distracting.
        self.cursor_blink = cursor_blink
        self._slack: SlackLoop | None = None
        self._paging: PagingLoop | None = None
        self._slack_error = ""
        # Why the app ended early (the database could not be opened), for the CLI to print.
        self.error_message = ""
        self._peeked: Peeked | None = None
        self._pacing = InterpreterPacing()
        # A real terminal's setting; tests that measure the event loop ask for it too.
        self._pace = pace_interpreter
        # Keys go one at a time, and wait for what the key before them opens. Those typed
        # before the database is open and the cockpit shows it wait too (OPENING).
        self.typeahead = TypeAhead(self, self._dispatch_input, on_held=self._keys_held)
        self.typeahead.hold(OPENING, None)
        # Every write the IC asks for, one at a time in the order asked: the timeline's
        # order is the order typed (tui/loads.py).
        self.writes = InOrder(self, group="writes")
        # Reports that arrived in the escalation channel (Socket Mode) since E was opened.
        self._new_reports = 0
        # The one reader of the database's revision, for every screen (tui/changes.py).
        self._changes: RevisionWatcher | None = None

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notification, from any screen or widget, is plain text (ictui.tui.shown).

        Their messages carry titles, names, paths, Slack's text and error messages that
        quote SQL: read as markup, a "[/]" in any of them ended the cockpit. ``markup``
        is accepted (screens pass Textual's default) and never used.
        """
        super().notify(plain(message), title=plain(title), severity=severity, timeout=timeout, markup=False)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if not self.cursor_blink and hasattr(event.widget, "cursor_blink"):
            event.widget.cursor_blink = False

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseDown, events.Paste)):
            self._pacing.input_seen()
        if isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded:
            await self.typeahead.take(event)  # now, or once the keys before it are handled
            return
        await super().on_event(event)

    async def _dispatch_input(self, event: events.Event) -> None:
        """A key or a paste, routed as Textual does, to what has the focus now."""
        if isinstance(event, events.Paste):
            # Pasted text can carry escape sequences (copied from a log or a web page):
            # drawn raw in an input, they would drive the IC's terminal.
            text = without_controls(event.text)
            # A one-line input keeps only the first line of a paste; a log excerpt pasted
            # into a note is wanted whole.
            event.text = " ".join(text.splitlines()) if isinstance(self.focused, Input) else text
        await super().on_event(event)

    def _keys_held(self, count: int) -> None:
        """The marker: keys typed ahead wait for what is on its way."""
        for screen in self.screen_stack:
            if screen.is_mounted:
                screen.post_message(KeysHeld(count))
        if self.typeahead.held(OPENING):
            opening = self.query("#opening")
            if opening:
                held = f"  ({count} key{'s' if count != 1 else ''} held)" if count else ""
                opening.first(Static).update(
                    markup("[b reverse] ictui [/]  [dim]opening the database…$held[/]", held=held)
                )

    def cockpit_ready(self) -> None:
        """The cockpit shows the database: the keys typed while it opened go on."""
        self.typeahead.release(OPENING)

    def on_key_done(self, message: KeyDone) -> None:
        self.typeahead.key_done(message)

    # Keys typed while a screen opens or closes wait for it, then go to what it focuses.

    def push_screen(self, *args: Any, **kwargs: Any) -> Any:
        screen = args[0] if args else kwargs.get("screen")
        if isinstance(screen, Screen) and not screen.is_mounted:
            prepare(screen, self)  # styled once, as it mounts (screen_styles.py)
        result = super().push_screen(*args, **kwargs)
        self._keys_wait_for_screen()
        return result

    def pop_screen(self) -> Any:
        # A form dismissed with an answer: the answer reaches whoever asked through its
        # message queue; the next keys wait until it has been handled there (the flow
        # that writes it then holds them in its turn until the write is on screen).
        requester = result_requester(self.screen)
        flows.answered(self.screen, self.typeahead)
        result = super().pop_screen()
        self._keys_wait_for_screen()
        if requester is not None:
            token = object()
            self.typeahead.hold(token)
            requester.call_next(self.typeahead.release, token)
        return result

    def switch_screen(self, screen: Any) -> Any:
        result = super().switch_screen(screen)
        self._keys_wait_for_screen()
        return result

    def _keys_wait_for_screen(self) -> None:
        token = object()
        self.typeahead.hold(token)
        self.typeahead.screen_changed()

        def settled() -> None:
            screen = self.screen
            if screen.is_mounted and (screen.focused is not None or not screen.focus_chain):
                self.typeahead.release(token)
            elif self.typeahead.held(token):
                self.call_after_refresh(settled)

        self.call_after_refresh(settled)

    def compose(self) -> ComposeResult:
        # The first frame is the cockpit's top line, painted before the cockpit's modules
        # (a fifth of the start-up) are even imported.
        yield Static("[b reverse] ictui [/]  [dim]opening the database…[/]", id="opening")

    def on_mount(self) -> None:
        self.call_after_refresh(self._show_cockpit)
        # The list is read (peek) while the cockpit's modules load: SQLite reads with the
        # interpreter released. The database layer's import waits for the list on screen.
        self.call_after_refresh(self._open_store_in_thread)

    def _show_cockpit(self) -> None:
        # Imported here, after the first frame, on purpose (see compose); the app tells
        # the cockpit what comes later through messages (ictui.tui.messages).
        from ictui.tui.screens.cockpit import CockpitScreen

        self.push_screen(CockpitScreen())

    def _open_store_in_thread(self) -> None:
        self.pace_interpreter()
        call_in_thread(
            self,
            self._peek_then_open,
            self._store_opened,
            on_error=self._store_failed,
            group="open",
            description="opening the database",
        )

    def pace_interpreter(self) -> None:
        """The event loop first, garbage collections in the IC's pauses (ictui.tui.pacing).

        Called again once more is loaded for good (the database layer, the cockpit with its
        list): what is alive then is left out of every later collection.
        """
        if not (self._pace if self._pace is not None else not self.is_headless):
            return
        first = not self._pacing.active
        self._pacing.start()
        if first:
            self.set_interval(CHECK_SECONDS, self._pacing.tick)

    def _peek_then_open(self) -> StoreAPI:
        """In the opening thread: the list on screen first, then the database layer.

        The newest incidents, a screenful (read in a millisecond); the store then reads
        the list a window at a time (widgets/incident_list.py), however many there are.
        """
        read = self._peek(FIRST_ROWS) if self._peek is not None else None
        if read is not None:
            complete = len(read.rows) < FIRST_ROWS
            peeked = Peeked(read.rows, threading.Event(), read.revision if complete else None)
            self.call_from_thread(self._show_peeked, peeked)
            # Loading the database layer now would slow the painting of the list.
            peeked.painted.wait(timeout=1.0)
        return self._open_store()

    def _show_peeked(self, peeked: Peeked) -> None:
        # The cockpit takes the rows when it mounts, if they came first (take_peeked);
        # if it is up, it is told.
        self._peeked = peeked
        for screen in self.screen_stack:
            if screen.is_mounted:
                screen.post_message(ListPeeked())

    def take_peeked(self) -> Peeked | None:
        """The list read before the store opened, once."""
        peeked, self._peeked = self._peeked, None
        return peeked

    def _store_opened(self, store: StoreAPI) -> None:
        self.pace_interpreter()  # the database layer's modules and classes too
        self.store = store
        self.screen.post_message(StoreReady())
        # Whoever writes (another process too), the screens hear of it (DatabaseChanged).
        self._changes = RevisionWatcher(self, store, self._database_changed)
        self._changes.start()
        # The forms and screens are imported now, in a thread: imported on their key,
        # the first opening of each took several times as long as the next ones.
        call_in_thread(self, warm_up, group="warm-up", description="loading the screens")
        if self.settings.slack_configured:
            self._slack = SlackLoop(
                store,
                self.settings,
                on_report=lambda report, error: self.post_message(SlackReport(report, error)),
                on_escalation=lambda author, text: self.post_message(EscalationArrived(author, text)),
            )
            call_in_thread(self, self._slack.run, group="slack", description="delivering to Slack")
        # Paging's loop starts with the first page, or now if pages wait from before (read
        # on the database's own connection: a cockpit that never pages loads nothing more).
        call_in_thread(
            self,
            store.paging_health,
            self._paging_waits,
            on_error=lambda _: None,
            description="reading the pages",
        )

    def _database_changed(self, revision: int) -> None:
        """The revision moved: every screen in the stack hears it, the covered ones too."""
        for screen in self.screen_stack:
            if screen.is_mounted:
                screen.post_message(DatabaseChanged(revision))

    def deliver_outbox(self) -> None:
        """Something was queued: send it now when Slack is configured (else it waits)."""
        if self._slack is not None:
            self._slack.wake()

    def on_escalation_arrived(self, event: EscalationArrived) -> None:
        """A new report in the escalation channel, live: said at once; E lists it."""
        from ictui.domain.text import clean_line

        self._new_reports += 1
        self._tell_new_reports()
        first = clean_line(event.text.splitlines()[0] if event.text.strip() else "")[:120]
        self.notify(
            f"{event.author}: {first} — E lists it",
            title=f"New in {self.settings.escalation_channel}",
            severity="warning",
            timeout=15,
            markup=False,
        )

    def escalations_seen(self) -> None:
        self._new_reports = 0
        self._tell_new_reports()

    def _tell_new_reports(self) -> None:
        for screen in self.screen_stack:
            if screen.is_mounted:
                screen.post_message(NewReports(self._new_reports))

    def _paging_waits(self, health: PagingHealth) -> None:
        if health.pending or (self.settings.pagerduty_api_token and health.triggered + health.acknowledged):
            self.deliver_pages()

    def deliver_pages(self) -> None:
        """A page was queued: send it now. The paging loop runs from the first page on."""
        if self.store is None:
            return
        if self._paging is None:
            self._paging = PagingLoop(
                self.store,
                self.settings,
                on_report=lambda report, error: self.post_message(PagingReport(report, error)),
            )
            call_in_thread(self, self._paging.run, group="paging", description="paging the on-call")
        self._paging.wake()

    def on_paging_report(self, event: PagingReport) -> None:
        report = event.report
        refused = getattr(report, "failed", 0)
        if event.error:
            self.notify(event.error, title="Paging", severity="error", timeout=10)
        elif refused and report is not None:
            self.notify(report.errors[-1], title="PagerDuty refused a page", severity="error", timeout=10)

    def on_slack_report(self, event: SlackReport) -> None:
        if event.error and event.error != self._slack_error:
            # Said once; the Slack light on the top line keeps saying it until it is fixed.
            self.notify(event.error, title="Slack", severity="error", timeout=10)
        self._slack_error = event.error
        for screen in self.screen_stack:
            # A report can come before the cockpit is built (it shows its counts on start).
            if screen.is_mounted:
                screen.post_message(SlackRun(event.report, event.error))

    def on_unmount(self) -> None:
        self._pacing.stop()
        if self._changes is not None:
            self._changes.stop()

    def _store_failed(self, message: str) -> None:
        self.error_message = message
        self.exit(return_code=2)

    def stop_on_damage(self, message: str) -> None:
        """The database turned out damaged: nothing more is written; the CLI prints why."""
        self._store_failed(message)

    def action_help(self) -> None:
        from ictui.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    @flows.flow
    async def action_quit_safely(self) -> None:
        """Quit, but ask first when an update draft has not been sent."""
        if self.store is None:
            self.exit()
            return
        if self._unsaved_notes():
            # The database does not answer: asked now, not after a read that would fail.
            self._confirm_quit([])
            return
        self._confirm_quit(await flows.read(self, self.store.unsent_drafts, "checking drafts"))

    def _unsaved_notes(self) -> int:
        return sum(getattr(screen, "unsaved_notes", 0) for screen in self.screen_stack)

    def _confirm_quit(self, drafts: list[int]) -> None:
        notes = self._unsaved_notes()
        if not drafts and not notes:
            self.exit()
            return
        from ictui.tui.screens.forms import ConfirmModal

        numbers = ", ".join(f"#{n}" for n in drafts)
        if notes:
            count = "1 note" if notes == 1 else f"{notes} notes"
            question = (
                f"{count} could not be saved yet (the database does not answer) and would be "
                "lost. Quit anyway?"
            )
        else:
            question = (
                f"The update draft for {numbers} has not been sent. It is saved and will be "
                "here next time. Quit anyway?"
            )

        def answered(yes: bool | None) -> None:
            if yes:
                self.exit()

        self.push_screen(ConfirmModal(question, confirm="Quit", cancel="Stay"), answered)
