"""How a line of the incident list is drawn: its columns, what fits, the times it shows.

The columns that do not fit are left out, least useful first (the IC, then the age),
so that at 80 columns the list still shows number, severity, status, title and the
overdue mark.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from rich.style import Style
from textual.strip import Strip

from ictui.domain import clock
from ictui.domain.enums import Severity, Status
from ictui.domain.text import clean_line
from ictui.domain.views import IncidentRow
from ictui.tui.widgets.line_list import strip_of, timestamp

SHORT_STATUS = {
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
COMPONENTS = (
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
SHORT_STATUS_WIDTH = max(len(label) for label in SHORT_STATUS.values())
IC_MAX_WIDTH = 14
_AGE_WIDTH = 5
_UPDATED_WIDTH = 7
_DUE_WIDTH = len("⚠ overdue 1h05m")
_COMPACT_DUE_WIDTH = 6
_TITLE_MIN_WIDTH = 18
NATURAL_TITLE_WIDTH = 40


@dataclass(frozen=True, slots=True)
class Columns:
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

    def fitted(self, width: int) -> Columns:
        title = max(1, width - self.fixed_width())
        return Columns(self.number, self.status, self.ic, self.age, self.updated, self.due, title)


def arrange(width: int, number_width: int, ic_width: int) -> Columns:
    """The widest arrangement that leaves the title room, dropping columns by priority."""
    preferences = (
        Columns(number_width, _STATUS_WIDTH, ic_width, _AGE_WIDTH, _UPDATED_WIDTH, _DUE_WIDTH),
        Columns(number_width, _STATUS_WIDTH, 0, _AGE_WIDTH, _UPDATED_WIDTH, _DUE_WIDTH),
        Columns(number_width, _STATUS_WIDTH, 0, 0, _UPDATED_WIDTH, _DUE_WIDTH),
        Columns(number_width, SHORT_STATUS_WIDTH, 0, 0, _UPDATED_WIDTH, _DUE_WIDTH),
        Columns(number_width, SHORT_STATUS_WIDTH, 0, 0, 0, _DUE_WIDTH),
        Columns(number_width, SHORT_STATUS_WIDTH, 0, 0, 0, _COMPACT_DUE_WIDTH),
        # Narrowest: the header above the panes shows the status; the title matters more.
        Columns(number_width, 0, 0, 0, 0, _COMPACT_DUE_WIDTH),
    )
    for columns in preferences:
        if width - columns.fixed_width() >= _TITLE_MIN_WIDTH:
            return columns.fitted(width)
    return preferences[-1].fitted(width)


@dataclass(frozen=True, slots=True)
class Frame:
    """What every line of one frame shares."""

    width: int
    columns: Columns
    now: datetime
    now_ts: float
    base: Style
    styles: dict[str, Style]  # component name -> the widget's style with it laid over
    cursor: Style


def times(row: IncidentRow, now: datetime) -> tuple[str, str, tuple[str, str]]:
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


def header(frame: Frame) -> Strip:
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


def row_line(row: IncidentRow, frame: Frame, is_cursor: bool) -> Strip:
    columns, styles, now = frame.columns, frame.styles, frame.now_ts
    text_style = styles["plain" if row.status.is_active else "inactive"]
    status = SHORT_STATUS[row.status] if columns.short_status else row.status.value
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


def placeholder_line(number_hint: str, frame: Frame, is_cursor: bool) -> Strip:
    """A row not read yet: a muted mark where its number goes."""
    style = frame.styles["muted"] + (frame.cursor if is_cursor else Style())
    base = frame.base + frame.cursor if is_cursor else frame.base
    return strip_of([(number_hint, frame.columns.number, style)], frame.width, base)
