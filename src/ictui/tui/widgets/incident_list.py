"""The incident list: every incident at a glance, drawn only where it shows.

Rows become segments when they scroll into view and never before, so setting,
filtering and moving through 10,000 incidents costs what 40 do. Line 0 is the column
header; the rows scroll under it.

The columns that do not fit are left out, least useful first (the IC, then the age),
so that at 80 columns the list still shows number, severity, status, title and the
overdue mark.
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from rich.style import Style
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.strip import Strip

from ictui.domain import clock
from ictui.domain.enums import Severity, Status
from ictui.domain.errors import InvalidInput
from ictui.domain.incident_filter import IncidentFilter, searchable
from ictui.domain.text import clean_line
from ictui.domain.views import IncidentRow
from ictui.tui.widgets.line_list import LineList, strip_of, timestamp

_SHORT_STATUS = {
    Status.TRIAGE: "triage",
    Status.INVESTIGATING: "investig",
    Status.IDENTIFIED: "identif",
    Status.MONITORING: "monitor",
    Status.RESOLVED: "resolved",
    Status.CLOSED: "closed",
    Status.DECLINED: "declined",
}
# The component classes cells are drawn with: "plain" is the text of a row that still
# owes updates, "inactive" that of a resolved, closed or declined one.
_COMPONENTS = (
    "header",
    "empty",
    "number",
    "sev1",
    "sev2",
    "sev3",
    "sev4",
    "plain",
    "inactive",
    "muted",
    "due",
    "overdue",
    "pm-due",
    "pm-overdue",
)
_SEVERITY_COMPONENT = {severity: f"sev{severity.rank}" for severity in Severity}
_SEVERITY_WIDTH = 4
_STATUS_WIDTH = max(len(status.value) for status in Status)
_SHORT_STATUS_WIDTH = max(len(label) for label in _SHORT_STATUS.values())
_IC_MAX_WIDTH = 14
_AGE_WIDTH = 5
_UPDATED_WIDTH = 7
_DUE_WIDTH = len("⚠ overdue 1h05m")
_COMPACT_DUE_WIDTH = 6
_TITLE_MIN_WIDTH = 18
_NATURAL_TITLE_WIDTH = 40


@dataclass(frozen=True, slots=True)
class _Columns:
    """Cell widths of one arrangement; 0 leaves a column out."""

    number: int
    status: int
    ic: int
    age: int
    updated: int
    due: int
    title: int = 0

    @property
    def short_status(self) -> bool:
        return self.status < _STATUS_WIDTH

    @property
    def compact_due(self) -> bool:
        return self.due < _DUE_WIDTH

    def fixed_width(self) -> int:
        widths = (self.number, _SEVERITY_WIDTH, self.status, self.ic, self.age, self.updated, self.due)
        shown = [width for width in widths if width]
        return sum(shown) + len(shown)  # each column but the title has a space after it

    def fitted(self, width: int) -> _Columns:
        title = max(1, width - self.fixed_width())
        return _Columns(self.number, self.status, self.ic, self.age, self.updated, self.due, title)


def _arrange(width: int, number_width: int, ic_width: int) -> _Columns:
    """The widest arrangement that leaves the title room, dropping columns by priority."""
    preferences = (
        _Columns(number_width, _STATUS_WIDTH, ic_width, _AGE_WIDTH, _UPDATED_WIDTH, _DUE_WIDTH),
        _Columns(number_width, _STATUS_WIDTH, 0, _AGE_WIDTH, _UPDATED_WIDTH, _DUE_WIDTH),
        _Columns(number_width, _STATUS_WIDTH, 0, 0, _UPDATED_WIDTH, _DUE_WIDTH),
        _Columns(number_width, _SHORT_STATUS_WIDTH, 0, 0, _UPDATED_WIDTH, _DUE_WIDTH),
        _Columns(number_width, _SHORT_STATUS_WIDTH, 0, 0, 0, _DUE_WIDTH),
        _Columns(number_width, _SHORT_STATUS_WIDTH, 0, 0, 0, _COMPACT_DUE_WIDTH),
        # Narrowest: the header above the panes shows the status; the title matters more.
        _Columns(number_width, 0, 0, 0, 0, _COMPACT_DUE_WIDTH),
    )
    for columns in preferences:
        if width - columns.fixed_width() >= _TITLE_MIN_WIDTH:
            return columns.fitted(width)
    return preferences[-1].fitted(width)


class IncidentList(LineList):
    """Every incident, one a line, with a cursor; ``/`` filters belong to the screen."""

    HEADER_LINES: ClassVar[int] = 1

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Open"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "incident-list--cursor",
        *(f"incident-list--{component}" for component in _COMPONENTS),
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
        self._rows: list[IncidentRow] = []
        # False until the first rows come: an empty list before the database answered (a
        # server that is slow to reach, or cannot be) is not "no incidents".
        self._read = False
        self._searchable: list[str] | None = None
        self._shown: list[int] = []  # indices into _rows that pass the filter, ascending
        self._position: dict[int, int] = {}  # incident number -> index into _rows
        self._filter = IncidentFilter()
        self._filter_text = ""
        self._filter_error: str | None = None
        self._number_width = 3
        self._ic_width = 2
        self._now = clock.now()
        self._announced: int | None = None

    # ------------------------------------------------------------------ data

    def set_rows(self, rows: list[IncidentRow], keep_number: int | None = None) -> None:
        """Show these incidents, in this order, under the current filter.

        The cursor stays on ``keep_number`` (by default the incident it is on) while
        that incident is listed; otherwise it stays where it is on screen.
        """
        keep = self.selected_number if keep_number is None else keep_number
        self._read = True
        self._rows = list(rows)
        # What text filters look in, made by the first one: every reload after every write
        # would otherwise spend milliseconds on it in the event loop, filter or not.
        self._searchable = None
        self._position = {row.number: index for index, row in enumerate(self._rows)}
        biggest = max(self._position, default=0)
        self._number_width = max(3, len(f"#{biggest}"))
        longest_ic = max((len(row.ic_name) for row in self._rows), default=0)
        self._ic_width = min(_IC_MAX_WIDTH, max(2, longest_ic))
        self._now = clock.now()
        self._refilter(keep, fallback=self.cursor)

    def apply_filter(self, text: str) -> int:
        """Filter the list (see ictui.domain.incident_filter); returns how many match.

        The cursor stays on its incident while it matches. A filter naming a severity
        or status that does not exist matches nothing, and the list says why
        (``filter_error``) where the rows would be, instead of failing mid-typing.
        """
        self._filter_text = clean_line(text)
        try:
            self._filter = IncidentFilter.parse(text)
            self._filter_error = None
        except InvalidInput as error:
            self._filter_error = str(error)
        self._refilter(self.selected_number, fallback=0)
        return len(self._shown)

    def _refilter(self, keep: int | None, fallback: int) -> None:
        if self._filter_error is not None:
            self._shown = []
        else:
            if self._searchable is None and self._filter.words:
                self._searchable = [searchable(row) for row in self._rows]
            self._shown = self._filter.select(self._rows, self._searchable or ())
        self.set_count(len(self._shown), self._natural_width())
        position = self._shown_position(keep)
        self.cursor = fallback if position is None else position
        self.scroll_to_cursor()
        self.cursor_moved()

    def _shown_position(self, number: int | None) -> int | None:
        index = self._position.get(number) if number is not None else None
        if index is None:
            return None
        position = bisect_left(self._shown, index)
        found = position < len(self._shown) and self._shown[position] == index
        return position if found else None

    def _natural_width(self) -> int:
        full = _arrange(10_000, self._number_width, self._ic_width)
        return full.fixed_width() + _NATURAL_TITLE_WIDTH

    @property
    def selected_number(self) -> int | None:
        """The number of the incident under the cursor, if any is listed."""
        if not self._shown:
            return None
        return self._rows[self._shown[self.cursor]].number

    @property
    def filter_text(self) -> str:
        return self._filter_text

    @property
    def filter_error(self) -> str | None:
        """Why the filter matches nothing, when it names no real severity or status."""
        return self._filter_error

    @property
    def shown_count(self) -> int:
        return len(self._shown)

    @property
    def total_count(self) -> int:
        return len(self._rows)

    @property
    def rows(self) -> list[IncidentRow]:
        """Every incident listed, filtered or not (not to be changed in place)."""
        return self._rows

    def tick(self) -> None:
        """Redraw ages and overdue marks at the current time; the cockpit calls it as it polls.

        Only the lines on screen whose times now read differently are redrawn: most read
        in minutes, and redrawing the whole list every second cost a frame that a key
        pressed just after had to wait for.
        """
        before, self._now = self._now, clock.now()
        top = self.scroll_offset.y
        for index in range(top, min(top + self.page_height, len(self._shown))):
            row = self._rows[self._shown[index]]
            if _times(row, before) != _times(row, self._now):
                self.refresh_line(index + self.HEADER_LINES)

    # ------------------------------------------------------------------ cursor

    def cursor_moved(self) -> None:
        number = self.selected_number
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

    def make_frame(self) -> _Frame:
        width = self.scrollable_content_region.width
        base = self.rich_style
        styles = {component: base + self.overlay(f"incident-list--{component}") for component in _COMPONENTS}
        return _Frame(
            width=width,
            columns=_arrange(width, self._number_width, self._ic_width),
            now=self._now,
            now_ts=timestamp(self._now),
            base=base,
            styles=styles,
            cursor=self.overlay("incident-list--cursor"),
        )

    def render_line(self, y: int) -> Strip:
        frame = self.frame
        if y == 0:
            return self._header(frame)
        index = self.item_at(y)
        if index is not None:
            return self._row(self._rows[self._shown[index]], frame, index == self.cursor)
        if y == 1 and not self._shown:
            return self._empty_state(frame)
        if y == 2 and not self._rows and self._read:
            # A fresh database: nobody can be named IC until the roster is set up.
            return strip_of(
                [(EMPTY_ROSTER_HINT, frame.width, frame.styles["empty"])], frame.width, frame.base
            )
        return Strip.blank(frame.width, frame.base)

    def _header(self, frame: _Frame) -> Strip:
        columns, style = frame.columns, frame.styles["header"]
        cells = [
            ("#", columns.number, style),
            ("SEV", _SEVERITY_WIDTH, style),
            ("STATUS", columns.status, style),
            ("TITLE", columns.title, style),
            ("IC", columns.ic, style),
            ("AGE", columns.age, style),
            ("UPDATED", columns.updated, style),
            ("DUE", columns.due, style),
        ]
        return strip_of(cells, frame.width, frame.base)

    def _row(self, row: IncidentRow, frame: _Frame, is_cursor: bool) -> Strip:
        columns, styles, now = frame.columns, frame.styles, frame.now_ts
        text_style = styles["plain" if row.status.is_active else "inactive"]
        status = _SHORT_STATUS[row.status] if columns.short_status else row.status.value
        due_text, due_component = _due(row, frame.now, now, columns.compact_due)
        updated = _since(now, row.last_update_at) if row.last_update_at else "—"
        cells = [
            (f"#{row.number}", columns.number, styles["number"]),
            (row.severity.value, _SEVERITY_WIDTH, styles[_SEVERITY_COMPONENT[row.severity]]),
            (status, columns.status, text_style),
            (clean_line(row.title), columns.title, text_style),
            (clean_line(row.ic_name) or "—", columns.ic, text_style),
            (_since(now, row.started_at), columns.age, styles["muted"]),
            (updated, columns.updated, styles["muted"]),
            (due_text, columns.due, styles[due_component]),
        ]
        if is_cursor:
            cursor = frame.cursor
            cells = [(text, cell_width, style + cursor) for text, cell_width, style in cells]
            return strip_of(cells, frame.width, frame.base + cursor)
        return strip_of(cells, frame.width, frame.base)

    def _empty_state(self, frame: _Frame) -> Strip:
        if self._filter_error:
            message = f"{self._filter_error} — escape clears the filter"
        elif self._rows:
            message = f"No incidents match {self._filter_text!r} — escape clears the filter"
        elif not self._read:
            message = "Reading the incidents…"
        else:
            message = "No incidents yet — D declares one"
        return strip_of([(message, frame.width, frame.styles["empty"])], frame.width, frame.base)


EMPTY_ROSTER_HINT = "P adds people and teams · ictui people sync"


@dataclass(frozen=True, slots=True)
class _Frame:
    """What every line of one frame shares."""

    width: int
    columns: _Columns
    now: datetime
    now_ts: float
    base: Style
    styles: dict[str, Style]  # component name -> the widget's style with it laid over
    cursor: Style


def _times(row: IncidentRow, now: datetime) -> tuple[str, str, tuple[str, str]]:
    """What a row's time columns read at ``now``."""
    now_ts = timestamp(now)
    updated = _since(now_ts, row.last_update_at) if row.last_update_at else ""
    return _since(now_ts, row.started_at), updated, _due(row, now, now_ts, False)


def _since(now: float, moment: datetime) -> str:
    return clock.short_duration(max(0.0, now - timestamp(moment)))


def _due(row: IncidentRow, now: datetime, now_ts: float, compact: bool) -> tuple[str, str]:
    """The last column: the next update (overdue in red) or, once resolved, the post-mortem."""
    due = row.next_update_due()
    if due is not None:
        late = now_ts - timestamp(due)
        if late >= 0:
            overdue = clock.short_duration(late)
            return (f"⚠{overdue}" if compact else f"⚠ overdue {overdue}"), "overdue"
        return f"in {clock.short_duration(-late)}", "due"
    if row.status.is_active or row.postmortem_due_at is None or row.postmortem_held:
        return "", "plain"
    if now_ts > timestamp(row.postmortem_due_at):
        return ("⚠ PM" if compact else "⚠ PM overdue"), "pm-overdue"
    day = _day_label(row.postmortem_due_at, now)
    return (f"PM {day}" if compact else f"PM due {day}"), "pm-due"


def _day_label(moment: datetime, now: datetime) -> str:
    """'today', 'Thu' within the week, '3 Mar' beyond it: in the IC's zone."""
    local, today = clock.to_local(moment), clock.to_local(now)
    days = (local.date() - today.date()).days
    if days == 0:
        return "today"
    if 0 < days < 7:
        return local.format("ddd")
    return local.format("D MMM")
