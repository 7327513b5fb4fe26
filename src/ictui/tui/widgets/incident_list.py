"""The incident list: every incident at a glance, drawn only where it shows.

Rows become segments when they scroll into view and never before, so setting,
filtering and moving through 10,000 incidents costs what 40 do. Line 0 is the column
header; the rows scroll under it. How a row is drawn: incident_rows.py.

On a store, the list holds the pages around the screen (list_pages.py), the filter runs
in the database, and a reload reads one window: 100,000 incidents cost what 1,000 do.
A row not read yet shows as a placeholder while its page is read in a thread; keys
typed meanwhile wait for it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from textual.binding import Binding, BindingType
from textual.message import Message
from textual.strip import Strip

from ictui.domain import clock
from ictui.domain.errors import InvalidInput
from ictui.domain.incident_filter import IncidentFilter
from ictui.domain.text import clean_line
from ictui.domain.views import IncidentRow, ListWindow
from ictui.tui.loads import LatestLoad
from ictui.tui.widgets.incident_rows import (
    COMPONENTS,
    IC_MAX_WIDTH,
    NATURAL_TITLE_WIDTH,
    Frame,
    arrange,
    header,
    placeholder_line,
    row_line,
    times,
)
from ictui.tui.widgets.line_list import LineList, strip_of, timestamp
from ictui.tui.widgets.list_pages import MAX_PAGES, PAGE_SIZE, MemorySource, Pages, StoreSource


class IncidentList(LineList):
    """Every incident, one a line, with a cursor; ``/`` filters belong to the screen."""

    HEADER_LINES: ClassVar[int] = 1

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Open"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "incident-list--cursor",
        *(f"incident-list--{component}" for component in COMPONENTS),
    }

    DEFAULT_CSS = """
    IncidentList {
        & > .incident-list--header { color: $text-muted; text-style: bold; }
        & > .incident-list--cursor { background: $block-cursor-blurred-background; }
        &:focus > .incident-list--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: bold;
        }
        & > .incident-list--empty { color: $text-muted; text-style: italic; }
        & > .incident-list--number { color: $text-muted; }
        /* The colours of ictui.tui.widgets.styles, so a severity reads the same everywhere. */
        & > .incident-list--sev1 { color: #ff5f5f; text-style: bold; }
        & > .incident-list--sev2 { color: #ffaf00; text-style: bold; }
        & > .incident-list--sev3 { color: #5fafff; }
        & > .incident-list--sev4 { color: #8a8a8a; }
        & > .incident-list--inactive { color: $text-muted; }
        & > .incident-list--muted { color: $text-muted; }
        & > .incident-list--due { color: $text-muted; }
        & > .incident-list--overdue { color: #ff5f5f; text-style: bold; }
        & > .incident-list--pm-due { color: $text-warning; }
        & > .incident-list--pm-overdue { color: #ff5f5f; text-style: bold; }
    }
    """

    @dataclass(eq=False)
    class Highlighted(Message):
        """The cursor is on another incident; ``number`` is None when none is listed.

        A newer one replaces one not yet handled, so that a held key does not queue
        a load per row passed.
        """

        incident_list: IncidentList
        number: int | None

        @property
        def control(self) -> IncidentList:
            return self.incident_list

        def can_replace(self, message: Message) -> bool:
            return (
                isinstance(message, IncidentList.Highlighted) and message.incident_list is self.incident_list
            )

    @dataclass(eq=False)
    class Selected(Message):
        """``enter`` (or a double click) on an incident: open it."""

        incident_list: IncidentList
        number: int

        @property
        def control(self) -> IncidentList:
            return self.incident_list

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        # The rows held (a few pages around the screen) and what the last read said.
        self._pages = Pages()
        self.window = ListWindow(0, 0, None, 0, ())
        self._memory: MemorySource | None = None  # every row is in memory (set_rows)
        self._store: StoreSource | None = None
        self._reload: Callable[[], object] | None = None
        self._generation = 0  # a new one with every window: pages read before it are dropped
        self._asked: set[int] = set()  # pages being read for this generation
        self._page_loads: (
            LatestLoad[tuple[int, IncidentFilter, list[tuple[int, list[IncidentRow]]]]] | None
        ) = None
        # False until the first rows come: an empty list before the database answered (a
        # server that is slow to reach, or cannot be) is not "no incidents".
        self._read = False
        self._filter = IncidentFilter()
        self._filter_text = ""
        self._filter_error: str | None = None
        self._number_width = 3
        self._ic_width = 2
        self._now = clock.now()
        self._announced: int | None = None
        # Keys wait while the cursor is on a row not read yet, or a filter is being read:
        # they act on what the IC sees (tui/typeahead.py).
        self._row_hold = object()
        self._filter_hold = object()
        self._filtered = False  # a new filter is being read: the cursor goes to the top

    # ------------------------------------------------------------------ data

    def set_rows(self, rows: list[IncidentRow], keep_number: int | None = None) -> None:
        """Show these incidents, in this order, under the current filter (all held).

        The cursor stays on ``keep_number`` (by default the incident it is on) while
        that incident is listed; otherwise it stays where it is on screen.
        """
        self._memory = MemorySource(list(rows))
        self._show_memory(self.selected_number if keep_number is None else keep_number, self.cursor)

    def use_store(self, store: Any, reload: Callable[[], object]) -> None:
        """Read the list from ``store`` a window at a time from now on; ``reload`` asks the
        screen to read it again (:meth:`window_reader`, :meth:`show_window`)."""
        self._store = StoreSource(store)
        self._reload = reload
        self._page_loads = LatestLoad(self, group="list-pages", description="reading the list")

    def window_reader(
        self, keep_number: int | None
    ) -> Callable[[], tuple[IncidentFilter, int | None, ListWindow]]:
        """What reads the list again in a thread, around ``keep_number`` (or the cursor's row)."""
        store, flt, fallback = self._store, self._filter, 0 if self._filtered else self.cursor
        keep = self.selected_number if keep_number is None else keep_number
        if store is None:
            raise RuntimeError("the list has no store to read from")
        # A filter typed since (a key while this is read) makes the rows read here
        # useless: the newer filter's read follows, and only it is shown.
        return lambda: (flt, keep, store.window(flt, keep, fallback, lambda: self._filter != flt))

    def show_window(
        self, read: tuple[IncidentFilter, int | None, ListWindow], keep_number: int | None
    ) -> bool | None:
        """Show a window read by :meth:`window_reader`'s reader; the cursor goes to
        ``keep_number`` if it is listed. Returns whether it is (None: not known from this
        read, the cursor having moved meanwhile: the caller reads again)."""
        flt, asked, window = read
        if flt != self._filter or self._filter_error is not None:
            return None  # read under a filter since changed: the newer read shows
        self._memory = None
        keep = self.selected_number if keep_number is None else keep_number
        self._show(window, limit=MAX_PAGES)
        listed: bool | None
        if keep == asked:
            position, listed = window.position, window.position is not None
        else:
            position = self._pages.find(keep) if keep is not None else None
            listed = True if position is not None else None
        self._place(position, fallback=0 if self._filtered else self.cursor)
        self._filtered = False
        self._release(self._filter_hold)
        return listed

    def _show_memory(self, keep: int | None, fallback: int) -> None:
        assert self._memory is not None
        if self._filter_error is not None:
            window = ListWindow(len(self._memory.rows), 0, None, 0, ())
        else:
            window = self._memory.window(self._filter, keep, fallback)
        self._show(window, limit=None)
        self._place(window.position, fallback)

    def _show(self, window: ListWindow, limit: int | None) -> None:
        self._read = True
        self._generation += 1
        self._asked = set()
        self.window = window
        self._pages.reset(window.start, window.rows, limit)
        self._number_width = max(3, len(f"#{window.newest}"))
        longest_ic = max((len(row.ic_name) for row in window.rows), default=0)
        self._ic_width = min(IC_MAX_WIDTH, max(2, longest_ic))
        self._now = clock.now()
        self._lines.forget()
        self.set_count(window.count, self._natural_width())

    def _place(self, position: int | None, fallback: int) -> None:
        self.cursor = fallback if position is None else position
        self.scroll_to_cursor()
        self.refresh()
        self.cursor_moved()

    def apply_filter(self, text: str, *, hold: bool = True) -> int | None:
        """Filter the list (see ictui.domain.incident_filter); returns how many match, or
        None when the store is asked (the list shows the answer when it comes).

        The cursor stays on its incident while it matches. A filter naming a severity
        or status that does not exist matches nothing, and the list says why
        (``filter_error``) where the rows would be, instead of failing mid-typing.

        ``hold``: the keys typed next wait for the filtered list. Keys typed into the
        filter itself need not (``hold=False``): each is a newer filter, which is read
        instead of the one before it; :meth:`wait_for_filter` then holds the keys that
        follow the filter (for the list) until the latest filter shows.
        """
        self._filter_text = clean_line(text)
        try:
            self._filter = IncidentFilter.parse(text)
            self._filter_error = None
        except InvalidInput as error:
            self._filter_error = str(error)
        if self._memory is not None or self._filter_error is not None or self._reload is None:
            if self._memory is None:  # a filter error: nothing to read
                self._show(ListWindow(self.window.total, 0, None, 0, (), self.window.newest), limit=MAX_PAGES)
                self._place(None, 0)
                self._release(self._filter_hold)
            else:
                self._show_memory(self.selected_number, 0)
            return self.shown_count
        if hold:  # the keys typed next are for the filtered list: they wait for it
            self._take_hold(self._filter_hold)
        self._filtered = True
        self._reload()
        return None

    def wait_for_filter(self) -> None:
        """The keys typed from now on wait for the filtered list, if it is being read."""
        if self._filtered:
            self._take_hold(self._filter_hold)

    def _natural_width(self) -> int:
        full = arrange(10_000, self._number_width, self._ic_width)
        return full.fixed_width() + NATURAL_TITLE_WIDTH

    @property
    def selected_number(self) -> int | None:
        """The number of the incident under the cursor, if any is listed and read."""
        if not self.window.count:
            return None
        row = self._pages.row(self.cursor)
        return None if row is None else row.number

    @property
    def filter_text(self) -> str:
        return self._filter_text

    @property
    def filter_error(self) -> str | None:
        """Why the filter matches nothing, when it names no real severity or status."""
        return self._filter_error

    @property
    def shown_count(self) -> int:
        return self.window.count

    @property
    def total_count(self) -> int:
        return self.window.total

    @property
    def held_rows(self) -> int:
        """How many rows the list holds now (the pages around the screen)."""
        return self._pages.held

    def tick(self) -> None:
        """Redraw ages and overdue marks at the current time; the cockpit calls it as it polls.

        Only the lines on screen whose times now read differently are redrawn: most read
        in minutes, and redrawing the whole list every second cost a frame that a key
        pressed just after had to wait for.
        """
        before, self._now = self._now, clock.now()
        top = self.scroll_offset.y
        for index in range(top, min(top + self.page_height, self.window.count)):
            row = self._pages.row(index)
            if row is not None and times(row, before) != times(row, self._now):
                self.refresh_line(index + self.HEADER_LINES)

    # ------------------------------------------------------------------ paging

    def _want_pages(self) -> None:
        """Read the pages on screen and around the cursor that are not held yet."""
        if self._memory is not None or self._page_loads is None or self._store is None:
            return
        count = self.window.count
        if not count:
            return
        top = self.scroll_offset.y
        margin = PAGE_SIZE // 2
        first = max(0, top - margin) // PAGE_SIZE
        last = min(count - 1, top + self.page_height + margin) // PAGE_SIZE
        wanted = {*range(first, last + 1), min(self.cursor, count - 1) // PAGE_SIZE}
        for index in wanted:
            self._pages.touch(index)
        missing = {index for index in wanted if not self._pages.has(index)}
        if not missing or missing <= self._asked:
            return
        self._asked = missing
        asks = [(index, self._pages.anchor(index, count)) for index in sorted(missing)]
        store, flt, generation = self._store, self._filter, self._generation
        self._page_loads.request(lambda: (generation, flt, store.pages(flt, asks)), self._pages_read)

    def _pages_read(self, result: tuple[int, IncidentFilter, list[tuple[int, list[IncidentRow]]]]) -> None:
        generation, flt, pages = result
        if generation != self._generation or flt != self._filter:
            return  # the list was read again meanwhile
        count = self.window.count
        changed = False
        for index, rows in pages:
            self._asked.discard(index)
            expected = min(PAGE_SIZE, count - index * PAGE_SIZE)
            changed = changed or len(rows) != expected
            self._pages.put(index, rows)
        self._lines.forget()
        self.refresh()
        if changed and self._reload is not None:
            self._reload()  # the database changed under the list: read it again whole
        self.cursor_moved()
        self._want_pages()

    def _take_hold(self, hold: object) -> None:
        typeahead = getattr(self.app, "typeahead", None)
        if typeahead is not None:
            typeahead.hold(hold)

    def _release(self, hold: object) -> None:
        typeahead = getattr(self.app, "typeahead", None)
        if typeahead is not None and typeahead.held(hold):
            typeahead.release(hold)

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        self._want_pages()

    # ------------------------------------------------------------------ cursor

    def cursor_moved(self) -> None:
        number = self.selected_number
        if number is None and self.window.count:
            # On a row not read yet: the keys wait until it shows (its page is read).
            self._take_hold(self._row_hold)
            self._want_pages()
            return
        self._release(self._row_hold)
        self._want_pages()
        if number != self._announced:
            self._announced = number
            self.post_message(self.Highlighted(self, number))

    def action_select(self) -> None:
        number = self.selected_number
        if number is not None:
            self.post_message(self.Selected(self, number))

    def item_chosen(self) -> None:
        self.action_select()

    # ------------------------------------------------------------------ drawing

    def make_frame(self) -> Frame:
        width = self.scrollable_content_region.width
        base = self.rich_style
        styles = {component: base + self.overlay(f"incident-list--{component}") for component in COMPONENTS}
        return Frame(
            width=width,
            columns=arrange(width, self._number_width, self._ic_width),
            now=self._now,
            now_ts=timestamp(self._now),
            base=base,
            styles=styles,
            cursor=self.overlay("incident-list--cursor"),
        )

    def render_line(self, y: int) -> Strip:
        frame = self.frame
        if y == 0:
            return header(frame)
        index = self.item_at(y)
        if index is not None:
            row = self._pages.row(index)
            if row is None:
                self.call_later(self._want_pages)
                return placeholder_line("…", frame, index == self.cursor)
            return row_line(row, frame, index == self.cursor)
        if y == 1 and not self.window.count:
            return self._empty_state(frame)
        if y == 2 and not self.window.total and self._read:
            # A fresh database: nobody can be named IC until the roster is set up.
            return strip_of(
                [(EMPTY_ROSTER_HINT, frame.width, frame.styles["empty"])], frame.width, frame.base
            )
        return Strip.blank(frame.width, frame.base)

    def _empty_state(self, frame: Frame) -> Strip:
        if self._filter_error:
            message = f"{self._filter_error} — escape clears the filter"
        elif self.window.total:
            message = f"No incidents match {self._filter_text!r} — escape clears the filter"
        elif not self._read:
            message = "Reading the incidents…"
        else:
            message = "No incidents yet — D declares one"
        return strip_of([(message, frame.width, frame.styles["empty"])], frame.width, frame.base)


EMPTY_ROSTER_HINT = "P adds people and teams · ictui people sync"
