"""Review mode: the screen the IC shares in the post-mortem meeting.

It starts where the meeting starts, with how the incident surfaced and the timeline
(j/k step through it); shows the durations and how long people waited for news; holds
the record, saved as it is typed; takes action items as they are agreed (a); and
writes the document and the tickets' CSV (ctrl+e). Every store call runs in a worker.

This module holds the screen itself: its keys, its layout, loading the post-mortem and
following the database, and the timeline. The rest is mixed in from the modules beside
it: ``record`` (the sections, autosave), ``items`` (the action items) and ``meeting``
(held, reschedule, the summary, export).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import ContentSwitcher, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from ictui.domain.clock import now, short_duration, to_local
from ictui.domain.review import SECTIONS, PostMortemView
from ictui.domain.views import EntryView
from ictui.tui.calls import call_in_thread
from ictui.tui.messages import DatabaseChanged, services
from ictui.tui.screen_styles import StyledOnce
from ictui.tui.screens.review.items import ReviewItems
from ictui.tui.screens.review.meeting import ReviewMeeting
from ictui.tui.screens.review.record import SECTION_PROMPTS, ReviewRecord
from ictui.tui.shown import plain, shown
from ictui.tui.widgets.charts import DurationsTable, IntervalChart
from ictui.tui.widgets.footer import KeysFooter
from ictui.tui.widgets.review_timeline import SURFACED_MARK, ReviewTimeline
from ictui.tui.widgets.section_editor import SectionEditor
from ictui.tui.widgets.styles import severity_style

if TYPE_CHECKING:
    from ictui.store.interface import StoreAPI


class ReviewScreen(ReviewRecord, ReviewItems, ReviewMeeting, StyledOnce, Screen[None]):
    """The post-mortem of incident ``number``, full screen."""

    CSS_PATH = "review.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-tall")]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j", "step(1)", "Next entry", show=False, id="review.next"),
        Binding("k", "step(-1)", "Previous entry", show=False, id="review.previous"),
        Binding("a", "add_item", "Add action", id="review.add_item"),
        Binding("e", "edit_item", "Edit action", show=False, id="review.edit_item"),
        Binding("ctrl+e", "export", "Export", priority=True, id="review.export"),
        Binding("h", "mark_held", "Mark held", id="review.held"),
        Binding("s", "reschedule", "Reschedule", show=False, id="review.reschedule"),
        Binding("P", "post_summary", "Post summary to Slack", show=False, id="review.post"),
        # Priority: they move between sections from inside an editor too (a bracket still
        # goes into the text by pasting it).
        Binding(
            "left_square_bracket",
            "section(-1)",
            "Previous section",
            show=False,
            priority=True,
            id="review.prev_section",
        ),
        Binding(
            "right_square_bracket",
            "section(1)",
            "Next section",
            show=False,
            priority=True,
            id="review.next_section",
        ),
        Binding("escape", "back", "Back", id="review.back"),
    ]

    def __init__(self, number: int) -> None:
        super().__init__()
        self.number = number
        self.view = None
        self._owners = []
        self._stored = {}
        self._dirty = {}
        self._saving = False
        self._when_saved = []
        self._save_timer = None
        self._revision = None
        # A change the app announced while the view was being read (None: none).
        self._changed_to: int | None = None

    @property
    def store(self) -> StoreAPI:
        # None only before the store opens: a read made then fails in its thread, and says so.
        return cast("StoreAPI", services(self).store)

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        yield Static(Text(f" POST-MORTEM  #{self.number}"), id="pm-title")
        with Vertical(id="pm-body"):
            yield Static(id="pm-surfaced")
            with Horizontal(id="pm-middle"):
                with Vertical(id="pm-timeline-box", classes="pm-panel"):
                    yield ReviewTimeline(id="pm-timeline")
                    yield Static(id="pm-entry")
                with Vertical(id="pm-side"):
                    with Vertical(id="pm-durations-box", classes="pm-panel"):
                        yield DurationsTable(id="pm-durations")
                    with Vertical(id="pm-chart-box", classes="pm-panel"):
                        yield IntervalChart(id="pm-chart")
            with Horizontal(id="pm-bottom"):
                with Horizontal(id="pm-record-box", classes="pm-panel"):
                    yield OptionList(
                        *[Option(shown(heading), id=name) for name, heading in SECTIONS], id="pm-sections"
                    )
                    with Vertical(id="pm-editor"):
                        with ContentSwitcher(initial=f"sec-{SECTIONS[0][0]}", id="pm-switcher"):
                            for name, _ in SECTIONS:
                                yield SectionEditor(
                                    id=f"sec-{name}",
                                    soft_wrap=True,
                                    read_only=True,
                                    placeholder=SECTION_PROMPTS[name],
                                )
                        yield Static("", id="pm-saved")
                with Vertical(id="pm-actions-box", classes="pm-panel"):
                    yield OptionList(id="pm-actions")
        yield KeysFooter()

    def on_mount(self) -> None:
        titles = {
            "#pm-timeline-box": "Timeline",
            "#pm-durations-box": "Durations",
            "#pm-chart-box": "Waits for news",
            "#pm-record-box": "The record",
            "#pm-actions-box": "Action items",
        }
        for selector, title in titles.items():
            self.query_one(selector).border_title = shown(title)
        self.query_one("#pm-timeline-box").border_subtitle = "j/k step"
        self.query_one("#pm-record-box").border_subtitle = "[ ] section · saved as you type"
        self.query_one("#pm-actions-box").border_subtitle = "a add · enter edit"
        self.query_one(ReviewTimeline).focus()
        # After the first frame: the first read loads the database layer, whose import in
        # a thread would hold the screen's first frame back by a third of a second.
        self.call_after_refresh(self._load, first=True)

    # ------------------------------------------------------------------ loading

    def _load(self, first: bool = False) -> None:
        store = self.store

        def load() -> tuple[PostMortemView, list[str] | None, int]:
            # The revision first: a write that lands between the reads is read again.
            revision = store.revision()
            view = store.postmortem(self.number)
            owners = [p.name for p in store.people()] if first else None
            return view, owners, revision

        call_in_thread(
            self,
            load,
            lambda loaded: self._show(*loaded),
            on_error=self._load_failed,
            group="review-load",
            exclusive=True,
            description="loading the post-mortem",
        )

    def on_database_changed(self, changed: DatabaseChanged) -> None:
        """The review follows the database: what others write shows within a second."""
        self._follow(changed.revision)

    def _follow(self, revision: int) -> None:
        if self._revision is None:
            self._changed_to = revision  # a read is under way: it may predate the change
        elif revision != self._revision and self in self.app.screen_stack:
            self._revision = None  # one reload at a time
            self._load()

    def _load_failed(self, message: str) -> None:
        self.notify(message, title="Cannot open the post-mortem", severity="error")
        if self.view is None and self in self.app.screen_stack:
            self.dismiss()

    def _show(self, view: PostMortemView, owners: list[str] | None, revision: int) -> None:
        if self not in self.app.screen_stack:
            return  # closed while its data was read
        first = self.view is None
        self.view = view
        self._revision = revision
        if owners is not None:
            self._owners = owners
        self._show_title(view)
        self._show_surfaced(view)
        self.query_one(ReviewTimeline).set_entries(
            view.timeline, view.gaps, view.notable_gap_seconds, view.first_entry
        )
        self.query_one(DurationsTable).show(view.durations, view.engagement)
        self.query_one(IntervalChart).show(view.intervals, view.cadence_minutes)
        late = len(view.late_intervals)
        self.query_one("#pm-chart-box").border_subtitle = (
            shown(f"{late} of {len(view.intervals)} late") if view.cadence_minutes and view.intervals else ""
        )
        self._show_items(view.action_items)
        if first:
            self._show_record(view)
        else:
            self._follow_record(view)
        changed, self._changed_to = self._changed_to, None
        if changed is not None and changed != self._revision:
            self._follow(changed)  # announced while this was read: read again

    def _show_title(self, view: PostMortemView) -> None:
        title = Text(no_wrap=True, overflow="ellipsis")
        title.append(" POST-MORTEM ", "bold reverse")
        title.append(f" #{view.number} ", "bold")
        title.append(plain(view.title), "bold")
        title.append("\n")
        title.append(f" {view.severity} ", severity_style(view.severity, badge=True))
        facts = [str(view.status), f"IC {plain(view.ic_name) or 'none'}"]
        if view.facilitator and view.facilitator != view.ic_name:
            facts.append(f"facilitator {plain(view.facilitator)}")
        if view.held_at:
            facts.append(f"held {to_local(view.held_at).format('ddd D MMM HH:mm')}")
        elif view.scheduled_at:
            overdue = to_local(view.scheduled_at).date() < to_local(now()).date()
            facts.append(
                ("OVERDUE, was due " if overdue else "due ")
                + to_local(view.scheduled_at).format("ddd D MMM HH:mm")
            )
        title.append("  " + " · ".join(facts))
        self.query_one("#pm-title", Static).update(title)

    def _show_surfaced(self, view: PostMortemView) -> None:
        first = view.first_entry
        callout = Text()
        callout.append(f"{SURFACED_MARK} How it surfaced", "bold")
        if first is None:
            callout.append(" — nothing on the timeline yet")
        else:
            when = to_local(first.occurred_at).format("ddd D MMM HH:mm")
            source = " · ".join(part for part in (when, plain(first.author), str(first.kind)) if part)
            callout.append(f" — {source}\n")
            callout.append(plain(first.text).strip())
        self.query_one("#pm-surfaced", Static).update(callout)

    # ------------------------------------------------------------------ the timeline

    @on(ReviewTimeline.Highlighted)
    def _entry_highlighted(self, event: ReviewTimeline.Highlighted) -> None:
        self.query_one("#pm-entry", Static).update(shown(self._entry_text(event.entry, event.index)))

    def _entry_text(self, entry: EntryView | None, index: int) -> Text:
        if entry is None or self.view is None:
            return Text("")
        gap = self.view.gaps[index]
        when = to_local(entry.occurred_at).format("ddd D MMM HH:mm")
        head = [when, plain(entry.author) or "unknown", str(entry.kind)]
        if entry.key_event:
            head.append(f"★ {entry.key_event}")
        if gap is not None and gap >= 60:
            head.append(f"{short_duration(gap)} after the one before")
        text = Text(" · ".join(head) + "\n", style="dim")
        text.append(plain(entry.text).strip())
        if entry.permalink:
            text.append(f"\n{plain(entry.permalink)}", style="dim")
        return text

    def action_step(self, step: int) -> None:
        self.query_one(ReviewTimeline).cursor += step

    # ------------------------------------------------------------------ leaving

    def action_back(self) -> None:
        """From an editor, back to the sections; from anywhere else, back to the cockpit."""
        if isinstance(self.focused, TextArea):
            self.query_one("#pm-sections", OptionList).focus()
            return
        self._after_saving(self.dismiss)
