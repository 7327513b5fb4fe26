"""The timeline as the post-mortem replays it: silences between entries, key events, how it surfaced.

One entry a line, like the cockpit's timeline (and drawn the same lazy way), with a
column for the time since the entry before: a long silence is a question for the
meeting, so it stands out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from rich.cells import cell_len
from rich.style import Style
from textual.message import Message
from textual.strip import Strip

from ictui.domain import clock
from ictui.domain.text import clean_line
from ictui.domain.views import EntryView
from ictui.tui.widgets.line_list import LineList, strip_of

SURFACED_MARK = "⚑"
_AUTHOR_MAX_WIDTH = 12
_GAP_WIDTH = len("+12h05m")
_WIDE_FROM = 56
_DATED_WIDTH = len("23 Nov 14:32")


class ReviewTimeline(LineList):
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "review-timeline--cursor",
        "review-timeline--empty",
        "review-timeline--time",
        "review-timeline--gap",
        "review-timeline--gap-notable",
        "review-timeline--key-event",
        "review-timeline--surfaced",
        "review-timeline--author",
    }

    DEFAULT_CSS = """
    ReviewTimeline {
        & > .review-timeline--cursor { background: $block-cursor-blurred-background; }
        &:focus > .review-timeline--cursor {
            background: $block-cursor-background;
            color: $block-cursor-foreground;
            text-style: bold;
        }
        & > .review-timeline--empty { color: $text-muted; text-style: italic; }
        & > .review-timeline--time { color: $text-muted; }
        & > .review-timeline--gap { color: $text-muted; }
        & > .review-timeline--gap-notable { color: $text-warning; text-style: bold; }
        & > .review-timeline--key-event { color: $warning; text-style: bold reverse; }
        & > .review-timeline--surfaced { color: $accent; text-style: bold; }
        & > .review-timeline--author { color: $text-secondary; }
    }
    """

    @dataclass(eq=False)
    class Highlighted(Message):
        timeline: ReviewTimeline
        entry: EntryView | None
        index: int

        @property
        def control(self) -> ReviewTimeline:
            return self.timeline

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, ReviewTimeline.Highlighted)

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._entries: tuple[EntryView, ...] = ()
        self._gaps: tuple[float | None, ...] = ()
        self._notable = 0.0
        self._surfaced_id: int | None = None
        self._dated = False
        self._author_width = 0
        self._announced: EntryView | None = None

    def set_entries(
        self,
        entries: tuple[EntryView, ...],
        gaps: tuple[float | None, ...],
        notable_gap_seconds: float,
        surfaced: EntryView | None,
    ) -> None:
        """Show these entries (time-ordered); the cursor stays on the entry it was on."""
        keep = self.selected_entry.id if self.selected_entry else None
        self._entries, self._gaps, self._notable = entries, gaps, notable_gap_seconds
        self._surfaced_id = surfaced.id if surfaced else None
        days = {clock.to_local(e.occurred_at).date() for e in (entries[:1] + entries[-1:])}
        self._dated = len(days) > 1
        self._author_width = min(_AUTHOR_MAX_WIDTH, max((cell_len(e.author) for e in entries), default=0))
        time_width = _DATED_WIDTH if self._dated else len("14:32")
        self.set_count(len(entries), 2 + time_width + 1 + _GAP_WIDTH + 1 + self._author_width + 1 + 60)
        positions = {entry.id: index for index, entry in enumerate(entries)}
        if keep in positions:
            self.cursor = positions[keep]
        self.scroll_to_cursor()
        self.cursor_moved()

    @property
    def selected_entry(self) -> EntryView | None:
        return self._entries[self.cursor] if self._entries else None

    def cursor_moved(self) -> None:
        entry = self.selected_entry
        if entry is not self._announced:
            self._announced = entry
            self.post_message(self.Highlighted(self, entry, self.cursor))

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        index = self.item_at(y)
        if index is not None:
            return self._line(index, width, base)
        if y == 0 and not self._entries:
            return strip_of([("The timeline is empty.", width, base + self._style("empty"))], width, base)
        return Strip.blank(width, base)

    def _style(self, component: str) -> Style:
        return self.get_component_rich_style(f"review-timeline--{component}", partial=True)

    def _line(self, index: int, width: int, base: Style) -> Strip:
        entry, gap = self._entries[index], self._gaps[index]
        wide = width >= _WIDE_FROM
        # Seconds apart reads as "at the same time"; minutes are worth a number.
        gap_text = "" if gap is None or gap < 60 else "+" + clock.short_duration(gap)
        gap_style = "gap-notable" if gap is not None and gap >= self._notable else "gap"
        surfaced = entry.id == self._surfaced_id
        badge = _badge(entry, wide)
        first_line, _, rest = entry.text.strip().partition("\n")
        text = clean_line(first_line) + (" …" if rest.strip() else "")
        cells = [
            (SURFACED_MARK if surfaced else " ", 1, self._style("surfaced")),
            (self._time(entry.occurred_at), len(self._time(entry.occurred_at)), self._style("time")),
            (gap_text.rjust(_GAP_WIDTH), _GAP_WIDTH, self._style(gap_style)),
            (
                clean_line(entry.author),
                self._author_width if wide else min(self._author_width, 8),
                self._style("author"),
            ),
            # Only key events carry a badge, so that the other entries keep the room for text.
            (badge, cell_len(badge), self._style("key-event")),
        ]
        fixed = sum(w + 1 for _, w, _ in cells if w)
        cells.append((text, max(1, width - fixed), Style()))
        cursor = self._style("cursor") if index == self.cursor else Style()
        return strip_of(
            [(value, w, base + style + cursor) for value, w, style in cells], width, base + cursor
        )

    def _time(self, moment: datetime) -> str:
        local = clock.to_local(moment)
        # Right-aligned to one width, so that the clocks line up across "3 Nov" and "23 Nov".
        return local.format("D MMM HH:mm").rjust(_DATED_WIDTH) if self._dated else local.format("HH:mm")


def _badge(entry: EntryView, wide: bool) -> str:
    if not entry.key_event:
        return ""
    return f" {entry.key_event.upper()} " if wide else " ★ "
