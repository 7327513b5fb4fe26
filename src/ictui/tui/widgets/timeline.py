"""The timeline of one incident: one entry a line, oldest first, drawn only where it shows.

An incident can collect thousands of entries; only the ones on screen are ever
turned into segments, so opening or refreshing a long timeline costs what a short one
does. While the cursor sits on the last entry the view follows new ones, so that an
IC annotating continuously always sees what they just typed.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from typing import ClassVar

from rich.cells import cell_len
from rich.style import Style
from textual.message import Message
from textual.strip import Strip

from ictui.domain import clock
from ictui.domain.enums import EntryKind
from ictui.domain.text import clean_line
from ictui.domain.views import EntryView
from ictui.tui.widgets.line_list import LineList, Same, strip_of, timestamp

# (glyph, word): the word too when there is room for it.
_KINDS = {
    EntryKind.NOTE: ("✎", "note"),
    EntryKind.STATUS: ("◆", "status"),
    EntryKind.SEVERITY: ("▲", "sev"),
    EntryKind.ROLE: ("@", "role"),
    EntryKind.UPDATE: ("✉", "update"),
    EntryKind.SLACK: ("#", "slack"),
    EntryKind.DECISION: ("⚖", "decide"),
    EntryKind.ACTION: ("☐", "action"),
}
_KIND_WIDTH = 1 + 1 + max(len(word) for _, word in _KINDS.values())
# Below this width the glyph alone marks the kind, authors are cut shorter and the
# marks after the text shrink, so that the text keeps room.
_WIDE_FROM = 70
_TIME_WIDTH = len("14:32")
_DATED_TIME_WIDTH = len("24 Nov 14:32")
_AUTHOR_MAX_WIDTH = 12
_NARROW_AUTHOR_MAX_WIDTH = 8
# The component classes cells are drawn with: their own parts, and one per kind.
_COMPONENTS = (
    "empty",
    "time",
    "author",
    "key-event",
    "edited",
    "shared",
    "deleted",
    *(kind.name.lower() for kind in EntryKind),
)


class TimelineView(LineList):
    """The entries of the open incident, with a cursor; the screen owns the editing keys."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "timeline--cursor",
        *(f"timeline--{name}" for name in _COMPONENTS),
    }

    DEFAULT_CSS = """
    TimelineView {
        & > .timeline--cursor { background: $block-cursor-blurred-background; }
        &:focus > .timeline--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: bold;
        }
        & > .timeline--empty { color: $text-muted; text-style: italic; }
        & > .timeline--time { color: $text-muted; }
        & > .timeline--author { color: $text-secondary; }
        & > .timeline--key-event { color: $warning; text-style: bold; }
        & > .timeline--edited { color: $text-muted; text-style: italic; }
        & > .timeline--shared { color: $text-accent; }
        & > .timeline--deleted { color: $text-disabled; text-style: strike; }
        & > .timeline--note { color: $text-muted; }
        & > .timeline--status { color: $text-primary; }
        & > .timeline--severity { color: $text-error; }
        & > .timeline--role { color: $text-secondary; }
        & > .timeline--update { color: $text-success; }
        & > .timeline--slack { color: $text-accent; }
        & > .timeline--decision { color: $text-warning; }
        & > .timeline--action { color: $text-primary; }
    }
    """

    @dataclass(eq=False)
    class Highlighted(Message):
        """The cursor is on another entry; ``entry_id`` is None when there is none.

        A newer one replaces one not yet handled, as with the incident list.
        """

        timeline: TimelineView
        entry_id: int | None

        @property
        def control(self) -> TimelineView:
            return self.timeline

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, TimelineView.Highlighted) and message.timeline is self.timeline

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._entries: list[EntryView] = []
        self._author_width = 0
        self._dated = False
        self._announced: int | None = None

    def set_entries(
        self, entries: list[EntryView], keep_id: int | None = None, follow_tail: bool = True
    ) -> None:
        """Show these entries, oldest first.

        The cursor goes to ``keep_id`` (by default the entry it is on) while that is
        listed, with one exception: with ``follow_tail``, a cursor on the last entry
        moves on to the new last one, unless ``keep_id`` names another entry (a note
        just added with an earlier time). With ``follow_tail`` the entries of another
        incident open at their last one. Otherwise the cursor stays where it is.
        """
        old = self._entries
        old_tail_id = old[-1].id if old else None
        was_at_tail = bool(old) and self.cursor == len(old) - 1
        keep = keep_id if keep_id is not None else (old[self.cursor].id if old else None)

        positions = {entry.id: index for index, entry in enumerate(entries)}
        same_incident = bool(old) and (old[0].id in positions or old_tail_id in positions)
        at_tail = follow_tail and (was_at_tail or not same_incident)

        self._entries = list(entries)
        self._author_width = min(
            _AUTHOR_MAX_WIDTH, max((len(entry.author) for entry in self._entries), default=0)
        )
        self._dated = self._spans_other_days()
        self.set_count(len(self._entries), self._natural_width())
        if keep in positions and not (at_tail and keep == old_tail_id):
            self.cursor = positions[keep]
        elif at_tail:
            self.cursor = len(self._entries) - 1
        self.scroll_to_cursor()
        self.cursor_moved()

    def add_entry(self, entry: EntryView) -> None:
        """One entry just written: put in its place by time, with the cursor on it.

        What set_entries does for a whole timeline, done for one: a note added to an
        incident of 5,000 entries costs what it costs on one of five.
        """
        entries = self._entries
        index = bisect_right(entries, _order(entry), key=_order)
        entries.insert(index, entry)
        self._author_width = max(self._author_width, min(_AUTHOR_MAX_WIDTH, len(entry.author)))
        self._dated = self._spans_other_days()  # this one's day, or past midnight, all others'
        with self.vertical_scrollbar.repaint_if_moved():
            self.set_count(len(entries), self._natural_width())
            self.cursor = index
            self.scroll_to_cursor()
        self.cursor_moved()

    def _spans_other_days(self) -> bool:
        """Whether any entry falls on another day than today, so times need a date."""
        if not self._entries:
            return False
        # The first and the last tell: the entries are in order of time.
        first, last = self._entries[0].occurred_at, self._entries[-1].occurred_at
        today = _today()
        return _other_day(first, today) or _other_day(last, today)

    def _natural_width(self) -> int:
        time_width = _DATED_TIME_WIDTH if self._dated else _TIME_WIDTH
        return time_width + 1 + _KIND_WIDTH + 1 + self._author_width + 1 + 60

    @property
    def selected_entry(self) -> EntryView | None:
        if not self._entries:
            return None
        return self._entries[self.cursor]

    def cursor_moved(self) -> None:
        entry = self.selected_entry
        entry_id = entry.id if entry else None
        if entry_id != self._announced:
            self._announced = entry_id
            self.post_message(self.Highlighted(self, entry_id))

    # ------------------------------------------------------------------ drawing

    def make_frame(self) -> _Frame:
        width = self.scrollable_content_region.width
        base = self.rich_style
        wide = width >= _WIDE_FROM
        return _Frame(
            width=width,
            wide=wide,
            time_width=_DATED_TIME_WIDTH if self._dated else _TIME_WIDTH,
            author_width=self._author_width if wide else min(self._author_width, _NARROW_AUTHOR_MAX_WIDTH),
            zone=clock.local_zone(),
            today=_today(),
            base=base,
            styles={name: base + self.overlay(f"timeline--{name}") for name in _COMPONENTS},
            cursor=self.overlay("timeline--cursor"),
            deleted=self.overlay("timeline--deleted"),
        )

    def line_key(self, y: int) -> Hashable | None:
        index = self.item_at(y)
        # An entry is replaced, never changed, when it is edited: itself and the cursor
        # are all its line shows besides the frame.
        return None if index is None else (Same(self._entries[index]), index == self.cursor)

    def render_line(self, y: int) -> Strip:
        frame = self.frame
        index = self.item_at(y)
        if index is not None:
            return self._entry_line(self._entries[index], frame, index == self.cursor)
        if y == 0 and not self._entries:
            message = "No entries yet — n adds a note"
            return strip_of([(message, frame.width, frame.styles["empty"])], frame.width, frame.base)
        return Strip.blank(frame.width, frame.base)

    def _entry_line(self, entry: EntryView, frame: _Frame, is_cursor: bool) -> Strip:
        styles, wide = frame.styles, frame.wide
        glyph, word = _KINDS[entry.kind]
        first_line, _, rest = entry.text.strip().partition("\n")
        text = clean_line(first_line) + (" …" if rest.strip() else "")
        badge = f"★ {clean_line(entry.key_event)}" if entry.key_event else ""
        marks = [
            ("(deleted)" if wide else "(del)", "deleted") if entry.deleted else None,
            ("(edited)" if wide else "(ed)", "edited") if entry.edited else None,
            ("↗ shared" if wide else "↗", "shared") if entry.shared else None,
        ]
        before = [
            (self._time(entry.occurred_at, frame), frame.time_width, styles["time"]),
            (
                f"{glyph} {word}" if wide else glyph,
                _KIND_WIDTH if wide else 1,
                styles[entry.kind.name.lower()],
            ),
            (clean_line(entry.author), frame.author_width, styles["author"]),
        ]
        after = [(mark, cell_len(mark), styles[name]) for mark, name in filter(None, marks)]
        # Every other cell keeps its width and a space after it; the badge and the
        # text share the rest, the badge taking at most half when room is short.
        room = frame.width - sum(cell_width + 1 for _, cell_width, _ in before + after if cell_width)
        badge_width = min(cell_len(badge), max(2, room // 2)) if badge else 0
        room -= badge_width + 1 if badge else 0
        cells = [
            *before,
            (badge, badge_width, styles["key-event"]),
            (text, max(1, room), frame.base),
            *after,
        ]
        pad = frame.base
        if entry.deleted:
            cells = [(value, cell_width, style + frame.deleted) for value, cell_width, style in cells]
        if is_cursor:
            cells = [(value, cell_width, style + frame.cursor) for value, cell_width, style in cells]
            pad = pad + frame.cursor
        return strip_of(cells, frame.width, pad)

    def _time(self, moment: datetime, frame: _Frame) -> str:
        """'14:32' today; '3 Nov 14:32' on other days, right-aligned so the clocks line up."""
        # The standard library's conversion and strftime: pendulum's are ten times slower,
        # and this runs for every line of every frame.
        local = datetime.fromtimestamp(timestamp(moment), frame.zone)
        if not self._dated:
            return local.strftime("%H:%M")
        if local.date() == frame.today:
            return local.strftime("%H:%M").rjust(_DATED_TIME_WIDTH)
        return f"{local.day} {local.strftime('%b %H:%M')}".rjust(_DATED_TIME_WIDTH)


def _order(entry: EntryView) -> tuple[datetime, int]:
    return entry.occurred_at, entry.id


def _today() -> date:
    return clock.to_local(clock.now()).date()


def _other_day(moment: datetime, today: date) -> bool:
    return clock.to_local(moment).date() != today


@dataclass(frozen=True, slots=True)
class _Frame:
    """What every line of one frame shares."""

    width: int
    wide: bool
    time_width: int
    author_width: int
    zone: tzinfo
    today: date
    base: Style
    styles: dict[str, Style]  # component name -> the widget's style with it laid over
    cursor: Style
    deleted: Style
