"""Review mode: the screen the IC shares in the post-mortem meeting.

It starts where the meeting starts, with how the incident surfaced and the timeline
(j/k step through it); shows the durations and how long people waited for news; holds
the record, saved as it is typed; takes action items as they are agreed (a); and
writes the document and the tickets' CSV (ctrl+e). Every store call runs in a worker.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import ContentSwitcher, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from ictui.domain import exports
from ictui.domain.clock import now, short_duration, to_local
from ictui.domain.enums import ActionStatus
from ictui.domain.errors import IctuiError
from ictui.domain.review import SECTIONS, ActionItemView, PostMortemView
from ictui.domain.views import EntryView
from ictui.tui.screens.forms import ConfirmModal, DateModal
from ictui.tui.widgets.section_editor import SectionEditor
from ictui.tui.screens.postmortem_forms import ActionItemForm, ActionItemModal, ExportModal
from ictui.tui.calls import call_in_thread
from ictui.tui.messages import services
from ictui.tui.shown import plain
from ictui.tui.widgets.charts import DurationsTable, IntervalChart
from ictui.tui.widgets.footer import KeysFooter
from ictui.tui.widgets.review_timeline import SURFACED_MARK, ReviewTimeline
from ictui.tui.widgets.styles import severity_style

if TYPE_CHECKING:
    from ictui.store.interface import StoreAPI

# What each section of the record asks the room.
SECTION_PROMPTS = {
    "summary": "What happened, in two or three sentences.",
    "impact": "Who was affected, how badly, for how long.",
    "root_cause": "Why it happened. Keep asking why.",
    "contributing_factors": "What made it more likely, bigger, or slower to fix.",
    "went_well": "What worked. Keep doing it.",
    "went_badly": "What got in the way. Did we find the right owner quickly?",
    "got_lucky": "What could have made this worse, and did not.",
    "kudos": "Thank the people who helped, by name.",
}

# Typing pauses this long before the record is saved: often enough that nothing is
# lost, rarely enough not to write on every key.
AUTOSAVE_SECONDS = 0.6
# How often the screen asks whether the database changed (one cheap read): a note, an
# action item or a section written elsewhere shows within a second.
REFRESH_SECONDS = 0.5


class ReviewScreen(Screen[None]):
    """The post-mortem of incident ``number``, full screen."""

    CSS_PATH = "review.tcss"
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (100, "-wide")]
    VERTICAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-short"), (32, "-tall")]

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
        Binding("left_square_bracket", "section(-1)", "Previous section", show=False, priority=True,
                id="review.prev_section"),
        Binding("right_square_bracket", "section(1)", "Next section", show=False, priority=True,
                id="review.next_section"),
        Binding("escape", "back", "Back", id="review.back"),
    ]

    def __init__(self, number: int) -> None:
        super().__init__()
        self.number = number
        self.view: PostMortemView | None = None
        self._owners: list[str] = []
        # The record as last loaded or saved, what was typed since, and what waits for it.
        self._stored: dict[str, str] = {}
        self._dirty: dict[str, str] = {}
        self._saving = False
        self._when_saved: list[Callable[[], object]] = []
        self._save_timer: Timer | None = None
        # The database's revision when the view on screen was read (None: not yet).
        self._revision: int | None = None

    @property
    def store(self) -> StoreAPI:
        return services(self).store  # type: ignore[return-value]

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
                    yield OptionList(*[Option(heading, id=name) for name, heading in SECTIONS], id="pm-sections")
                    with Vertical(id="pm-editor"):
                        with ContentSwitcher(initial=f"sec-{SECTIONS[0][0]}", id="pm-switcher"):
                            for name, _ in SECTIONS:
                                yield SectionEditor(
                                    id=f"sec-{name}", soft_wrap=True, read_only=True,
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
            self.query_one(selector).border_title = title
        self.query_one("#pm-timeline-box").border_subtitle = "j/k step"
        self.query_one("#pm-record-box").border_subtitle = "[ ] section · saved as you type"
        self.query_one("#pm-actions-box").border_subtitle = "a add · enter edit"
        self.query_one(ReviewTimeline).focus()
        # After the first frame: the first read loads the database layer, whose import in
        # a thread would hold the screen's first frame back by a third of a second.
        self.call_after_refresh(self._load, first=True)
        self.set_interval(REFRESH_SECONDS, self._check)

    # ------------------------------------------------------------------ loading

    def _load(self, first: bool = False) -> None:
        store = self.store

        def load() -> tuple[PostMortemView, list[str] | None, int]:
            # The revision first: a write that lands between the reads is read again.
            revision = store.revision()
            view = store.postmortem(self.number)
            owners = [p.name for p in store.people()] if first else None
            return view, owners, revision

        call_in_thread(self, load, lambda loaded: self._show(*loaded), on_error=self._load_failed,
                       group="review-load", exclusive=True, description="loading the post-mortem")

    def _check(self) -> None:
        """The review follows the database: what others write shows within a second."""
        if self._revision is None:
            return  # a read is under way
        call_in_thread(self, self.store.revision, self._checked, on_error=lambda _: None,
                       group="review-check", exclusive=True, description="checking for changes")

    def _checked(self, revision: int) -> None:
        if self._revision is not None and revision != self._revision and self in self.app.screen_stack:
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
        self.query_one(DurationsTable).show(view.durations)
        self.query_one(IntervalChart).show(view.intervals, view.cadence_minutes)
        late = len(view.late_intervals)
        self.query_one("#pm-chart-box").border_subtitle = (
            f"{late} of {len(view.intervals)} late" if view.cadence_minutes and view.intervals else ""
        )
        self._show_items(view.action_items)
        if first:
            for name, _ in SECTIONS:
                self._stored[name] = text = plain(view.section(name))
                editor = self.query_one(f"#sec-{name}", TextArea)
                editor.load_text(text)
                editor.read_only = False
            self._mark_sections()
        else:
            self._follow_record(view)

    def _follow_record(self, view: PostMortemView) -> None:
        """Sections written elsewhere show here, unless the IC is typing in them.

        A section with typing not yet saved keeps the IC's text (it is saved over the
        other); while a save is on its way, the next check reads again."""
        if self._saving:
            self._revision = -1
            return
        changed = False
        for name, _ in SECTIONS:
            text = plain(view.section(name))
            if name in self._dirty or text == self._stored.get(name):
                continue
            editor = self.query_one(f"#sec-{name}", TextArea)
            if editor.text != self._stored.get(name):
                continue  # typed, the change not yet seen
            row, column = editor.cursor_location
            self._stored[name] = text
            editor.load_text(text)
            last = editor.document.line_count - 1
            row = min(row, last)
            editor.cursor_location = (row, min(column, len(editor.document.get_line(row))))
            changed = True
        if changed:
            self._mark_sections()

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
            facts.append(("OVERDUE, was due " if overdue else "due ")
                         + to_local(view.scheduled_at).format("ddd D MMM HH:mm"))
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

    def _show_items(self, items: tuple[ActionItemView, ...]) -> None:
        listing = self.query_one("#pm-actions", OptionList)
        selected = listing.highlighted
        listing.clear_options()
        today = to_local(now()).date().isoformat()
        listing.add_options(Option(_item_prompt(item, today), id=str(item.id)) for item in items)
        if items:
            listing.highlighted = min(selected or 0, len(items) - 1)
        else:
            listing.add_option(Option(Text("None yet. If you don't create them in the meeting, you probably "
                                           "never will: a adds one.", style="dim italic"), disabled=True))
        open_items = sum(1 for item in items if item.is_open)
        self.query_one("#pm-actions-box").border_title = (
            f"Action items ({open_items} open)" if items else "Action items"
        )

    # ------------------------------------------------------------------ the timeline

    @on(ReviewTimeline.Highlighted)
    def _entry_highlighted(self, event: ReviewTimeline.Highlighted) -> None:
        self.query_one("#pm-entry", Static).update(self._entry_text(event.entry, event.index))

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

    # ------------------------------------------------------------------ the record

    @on(OptionList.OptionHighlighted, "#pm-sections")
    def _section_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.query_one(ContentSwitcher).current = f"sec-{event.option.id}"

    @on(OptionList.OptionSelected, "#pm-sections")
    def _section_chosen(self, event: OptionList.OptionSelected) -> None:
        self.query_one(f"#sec-{event.option.id}", TextArea).focus()

    def action_section(self, step: int) -> None:
        sections = self.query_one("#pm-sections", OptionList)
        sections.highlighted = ((sections.highlighted or 0) + step) % len(SECTIONS)
        name = SECTIONS[sections.highlighted][0]
        # Shown now, not when the highlight's message arrives: a hidden editor takes no focus.
        self.query_one(ContentSwitcher).current = f"sec-{name}"
        self.query_one(f"#sec-{name}", TextArea).focus()

    def _mark_sections(self) -> None:
        """A tick on the sections already written: what is left to talk about shows."""
        sections = self.query_one("#pm-sections", OptionList)
        for name, heading in SECTIONS:
            written = bool(self.query_one(f"#sec-{name}", TextArea).text.strip())
            sections.replace_option_prompt(name, f"{'✓' if written else '·'} {heading}")

    @on(TextArea.Changed)
    def _record_changed(self, event: TextArea.Changed) -> None:
        editor_id = event.text_area.id or ""
        name = editor_id.removeprefix("sec-")
        text = event.text_area.text
        if not editor_id.startswith("sec-") or (name not in self._dirty and text == self._stored.get(name)):
            return  # loading the record, not typing
        self._dirty[name] = text
        self._mark_sections()
        self.query_one("#pm-saved", Static).update(Text("editing…", style="dim"))
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(AUTOSAVE_SECONDS, self._flush)

    def _flush(self) -> None:
        """Save what changed; one save at a time, so that an older text never lands last."""
        if self._saving or not self._dirty:
            return
        pending, self._dirty = self._dirty, {}
        self._saving = True
        self._save(pending)

    def _save(self, pending: dict[str, str]) -> None:
        call_in_thread(
            self, lambda: self.store.save_postmortem(self.number, **pending), lambda _: self._saved(pending),
            on_error=lambda message: self._save_failed(pending, message),
            group="review-save", description="saving the post-mortem",
        )

    def _saved(self, pending: dict[str, str]) -> None:
        self._saving = False
        self._stored.update(pending)
        if self._dirty:
            self._flush()
            return
        self.query_one("#pm-saved", Static).update(
            Text(f"saved {to_local(now()).format('HH:mm:ss')}", style="dim")
        )
        waiting, self._when_saved = self._when_saved, []
        for then in waiting:
            then()

    def _save_failed(self, pending: dict[str, str], message: str) -> None:
        self._saving = False
        self._when_saved.clear()
        for name, text in pending.items():
            self._dirty.setdefault(name, text)  # newer typing wins; the text is never dropped
        self.query_one("#pm-saved", Static).update(Text(f"NOT SAVED: {message}", style="bold red"))
        self.notify(f"The record is not saved: {message}", severity="error")

    def _after_saving(self, then: Callable[[], object]) -> None:
        """Run ``then`` once everything typed is on disk (at once if it already is)."""
        if not self._dirty and not self._saving:
            then()
            return
        self._when_saved.append(then)
        if self._save_timer is not None:
            self._save_timer.stop()
        self._flush()

    def on_unmount(self) -> None:
        # The app is closing with typing not yet saved: write it now, on the way out,
        # rather than lose it (the one store call not made in a worker).
        if self._dirty and not self._saving and services(self).store is not None:
            try:
                self.store.save_postmortem(self.number, **self._dirty)
            except IctuiError:
                pass

    # ------------------------------------------------------------------ action items

    def action_add_item(self) -> None:
        self.app.push_screen(ActionItemModal(self.number, self._add_item, owners=self._owners), self._item_saved)

    def action_edit_item(self) -> None:
        item = self._selected_item()
        if item is None:
            self.notify("No action item yet: a adds one", timeout=3)
            return
        self.app.push_screen(
            ActionItemModal(self.number, lambda form: self._update_item(item.id, form), item, self._owners),
            self._item_saved,
        )

    @on(OptionList.OptionSelected, "#pm-actions")
    def _item_chosen(self) -> None:
        self.action_edit_item()

    def _selected_item(self) -> ActionItemView | None:
        if self.view is None or not self.view.action_items:
            return None
        row = self.query_one("#pm-actions", OptionList).highlighted or 0
        return self.view.action_items[min(row, len(self.view.action_items) - 1)]

    def _add_item(self, form: ActionItemForm) -> ActionItemView:
        """Runs in the form's worker thread."""
        return self.store.add_action_item(
            self.number,
            form.title,
            owner=form.owner,
            due_date=form.due_date,
            kind=form.kind,
            ticket_key=form.ticket_key,
            ticket_url=form.ticket_url,
            description=form.description,
            status=form.status,
            author=services(self).settings.user,
        )

    def _update_item(self, item_id: int, form: ActionItemForm) -> ActionItemView:
        """Runs in the form's worker thread."""
        return self.store.update_action_item(
            item_id,
            title=form.title,
            owner=form.owner,
            due_date=form.due_date,
            kind=form.kind,
            ticket_key=form.ticket_key,
            ticket_url=form.ticket_url,
            description=form.description,
            status=form.status,
        )

    def _item_saved(self, item: ActionItemView | None) -> None:
        if item is not None:
            self.notify(f"Action item saved: {plain(item.title)}", timeout=3)
            self._load()

    # ------------------------------------------------------------------ the meeting

    def action_mark_held(self) -> None:
        if self.view is not None and self.view.held_at is not None:
            held = to_local(self.view.held_at).format("ddd D MMM HH:mm")
            self.notify(f"Already marked as held ({held})", timeout=3)
            return
        self._write(lambda: self.store.save_postmortem(self.number, held_at=now()), "Marked as held now")

    def action_reschedule(self) -> None:
        view = self.view
        default = to_local(view.scheduled_at).format("YYYY-MM-DD HH:mm") if view and view.scheduled_at else ""

        def chosen(when: object) -> None:
            if when is not None:
                self._write(lambda: self.store.schedule_postmortem(self.number, when),  # type: ignore[arg-type]
                            "Post-mortem rescheduled")

        self.app.push_screen(DateModal(f"When is the post-mortem of #{self.number}?", default), chosen)

    def action_post_summary(self) -> None:
        channel = f"#{self.view.slack_channel_name}" if self.view and self.view.slack_channel_name else "its channel"

        def answered(yes: bool | None) -> None:
            if yes:
                # The summary is built from the stored record: what was just typed first.
                self._after_saving(lambda: self._write(
                    lambda: self.store.post_postmortem_summary(self.number), f"Summary queued for {channel}"
                ))

        self.app.push_screen(
            ConfirmModal(f"Post the post-mortem summary to {channel}?", confirm="Post", cancel="Not now"),
            answered,
        )

    def _write(self, call: Callable[[], object], done: str) -> None:
        def written(_: object) -> None:
            self.notify(done, timeout=3)
            self._load()

        call_in_thread(
            self, call, written,
            on_error=lambda message: self.notify(message, title="Not done", severity="error"),
            group="review-write", description="writing the post-mortem",
        )

    # ------------------------------------------------------------------ export

    def action_export(self) -> None:
        if self.view is None:
            return
        base = exports.export_basename(self.view)
        names = [f"{base}.md", f"{base}-actions.csv"]
        self.app.push_screen(ExportModal(Path.cwd(), names), self._export_to)

    def _export_to(self, folder: Path | None) -> None:
        if folder is not None:
            self._after_saving(lambda: self._export(folder))

    def _export(self, folder: Path) -> None:
        def export() -> list[Path]:
            try:
                return write_exports(self.store.postmortem(self.number), folder)
            except OSError as exc:  # said as the system says it: "Permission denied"
                raise IctuiError(exc.strerror or str(exc)) from exc

        call_in_thread(
            self, export,
            lambda written: self.notify("\n".join(str(path) for path in written), title="Exported", timeout=8),
            on_error=lambda message: self.notify(message, title="Export failed", severity="error"),
            group="review-export", description="exporting the post-mortem",
        )

    # ------------------------------------------------------------------ leaving

    def action_back(self) -> None:
        """From an editor, back to the sections; from anywhere else, back to the cockpit."""
        if isinstance(self.focused, TextArea):
            self.query_one("#pm-sections", OptionList).focus()
            return
        self._after_saving(self.dismiss)


_STATUS_GLYPHS = {
    ActionStatus.OPEN: "○",
    ActionStatus.IN_PROGRESS: "◐",
    ActionStatus.DONE: "●",
    ActionStatus.WONT_DO: "✕",
}


def _item_prompt(item: ActionItemView, today: str) -> Text:
    """Two lines: what will be done; then who, by when, which ticket."""
    prompt = Text(no_wrap=True, overflow="ellipsis")
    prompt.append(f"{_STATUS_GLYPHS[item.status]} ", "bold")
    prompt.append(plain(item.title), "bold" if item.is_open else "dim")
    details = [plain(item.owner) or "no owner"]
    details.append(f"due {item.due_date}" if item.due_date else "no due date")
    details.append(plain(item.ticket_key) or ("ticket link" if item.ticket_url else "no ticket yet"))
    if item.status not in (ActionStatus.OPEN,):
        details.append(str(item.status))
    prompt.append("\n  " + " · ".join(details), "dim")
    if item.overdue(today):
        prompt.append(" · OVERDUE", "bold red")
    return prompt


def write_exports(view: PostMortemView, folder: Path) -> list[Path]:
    """The Markdown document, and the Jira CSV when there are items to make tickets of."""
    base = exports.export_basename(view)
    document = folder / f"{base}.md"
    document.write_text(exports.markdown(view), encoding="utf-8")
    written = [document]
    if exports.jira_rows(view):
        sheet = folder / f"{base}-actions.csv"
        with sheet.open("w", encoding="utf-8", newline="") as handle:
            handle.write(exports.action_items_csv(view))
        written.append(sheet)
    return written
