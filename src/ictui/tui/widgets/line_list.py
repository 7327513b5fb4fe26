"""What the incident list and the timeline share: a cursor over items drawn one a line.

Both are Line API widgets: Textual asks for the lines on screen only (``render_line``),
so the cost of a frame does not depend on how many items there are. The first
``HEADER_LINES`` lines stay put while the items under them scroll.
"""

from __future__ import annotations

from collections.abc import Hashable
from datetime import UTC, datetime
from typing import Any, ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ictui.tui.textual_compat import LinesByKey, install_styles_cache, own_vertical_scrollbar
from ictui.tui.widgets.content_size import set_content_size
from ictui.tui.widgets.steady_scrollbar import SteadyScrollBar

MOVE = Binding.Group("Move", compact=True)


class LineList(ScrollView, can_focus=True, inherit_bindings=False):
    """A focusable list with a cursor; subclasses draw the lines."""

    HEADER_LINES: ClassVar[int] = 0

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor_up", "Up", group=MOVE),
        Binding("down,j", "cursor_down", "Down", group=MOVE),
        Binding("home", "cursor_first", "First", show=False),
        Binding("end", "cursor_last", "Last", show=False),
        Binding("pageup", "cursor_page_up", "Page up", show=False),
        Binding("pagedown", "cursor_page_down", "Page down", show=False),
    ]

    DEFAULT_CSS = """
    LineList {
        overflow-x: hidden;
        overflow-y: scroll;
        scrollbar-size-vertical: 1;
    }
    """

    cursor: reactive[int] = reactive(0, repaint=False, init=False)
    """Index of the highlighted item among those listed."""

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self._count = 0
        self._overlays: dict[str, Style] = {}
        self._frame: Any = None
        self._drawn_frame: Any = None
        self._lines = LinesByKey(self.line_key)
        install_styles_cache(self, self._lines)

    def render_lines(self, crop: Region) -> list[Strip]:
        # What every line of a frame shares (width, styles, the time) is worked out once.
        self._frame = frame = self.make_frame()
        if frame != self._drawn_frame:
            # Another width, day or style: no line drawn for the last frame is right.
            self._lines.forget()
            self._drawn_frame = frame
        try:
            return super().render_lines(crop)
        finally:
            self._frame = None

    @property
    def vertical_scrollbar(self) -> SteadyScrollBar:
        # Textual's own property, making a SteadyScrollBar: on a long list, most moves and
        # every note leave the thumb where it was, and the bar need not be drawn again.
        return own_vertical_scrollbar(
            self,
            lambda: SteadyScrollBar(vertical=True, name="vertical", thickness=self.scrollbar_size_vertical),
        )

    def make_frame(self) -> Any:
        """What the lines of one frame share; subclasses say what."""
        return None

    def line_key(self, y: int) -> Hashable | None:
        """What line ``y`` shows, for as long as the frame stays the same; None: not kept.

        Subclasses that key their lines must keep every input of ``render_line`` other than
        the frame in the key (an item replaced when it changes, the cursor).
        """
        return None

    @property
    def frame(self) -> Any:
        """The frame being drawn, or a fresh one when a line is drawn on its own."""
        return self._frame if self._frame is not None else self.make_frame()

    def overlay(self, component: str) -> Style:
        """What a component class sets, to lay over a cell's own style.

        Only the properties the CSS sets are kept (a cursor's background leaves a
        severity's colour alone unless it sets a colour too), with translucent
        colours such as $text-muted blended as Textual would.
        """
        try:
            return self._overlays[component]
        except KeyError:
            full = self.get_component_rich_style(component)
            partial = self.get_component_rich_style(component, partial=True)
            blended = Style(
                color=full.color if partial.color else None,
                bgcolor=full.bgcolor if partial.bgcolor else None,
            )
            style = self._overlays[component] = partial + blended
            return style

    def notify_style_update(self) -> None:
        self._overlays.clear()
        self._lines.forget()
        super().notify_style_update()

    @property
    def page_height(self) -> int:
        """How many items fit on screen under the header."""
        return max(1, self.scrollable_content_region.height - self.HEADER_LINES)

    def item_at(self, y: int) -> int | None:
        """The index of the item drawn on screen line ``y``, if any."""
        if y < self.HEADER_LINES:
            return None
        index = self.scroll_offset.y + y - self.HEADER_LINES
        return index if 0 <= index < self._count else None

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, self._count - 1))

    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh_line(old + self.HEADER_LINES)
        self.refresh_line(new + self.HEADER_LINES)
        self.scroll_to_cursor()
        self.cursor_moved()

    def cursor_moved(self) -> None:
        """Called after the cursor moved or the items under it changed."""

    def scroll_to_cursor(self) -> None:
        """Show the cursor's item: centred when it leaves the screen, as Emacs does.

        A scroll redraws every line on screen (on a small machine, three times what a
        move within the screen costs). Scrolled a line at a time, a held key paid that on
        every line past the edge; centred, it pays it once every half page.
        """
        top = self.scroll_offset.y
        page = self.page_height
        if top <= self.cursor < top + page:
            return
        bottom = max(0, self._count - page)
        target = max(0, min(self.cursor - page // 2, bottom))
        self.scroll_to(y=target, animate=False, force=True)
        if self.scroll_offset.y < target:
            # Held short by the furthest scroll of a size not laid out yet (more items, or
            # a pane that shrank): once it is, again.
            self.call_after_refresh(self._scroll_to_cursor_again)

    def _scroll_to_cursor_again(self) -> None:
        top, page = self.scroll_offset.y, self.page_height
        if not top <= self.cursor < top + page:
            bottom = max(0, self._count - page)
            self.scroll_to(y=max(0, min(self.cursor - page // 2, bottom)), animate=False, force=True)

    def set_count(self, count: int, natural_width: int) -> None:
        """Say how many items there are now; the caller places the cursor afterwards."""
        self._count = count
        # The scrollbar always shows (overflow-y: scroll): more or fewer items never
        # lay out the screen (ictui.tui.widgets.content_size).
        set_content_size(self, Size(natural_width, count + self.HEADER_LINES))
        # Fewer items than before: do not stay scrolled past the new end.
        bottom = max(0, count + self.HEADER_LINES - self.scrollable_content_region.height)
        if self.scroll_offset.y > bottom:
            self.scroll_to(y=bottom, animate=False, force=True)

    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_cursor_first(self) -> None:
        self.cursor = 0

    def action_cursor_last(self) -> None:
        self.cursor = self._count - 1

    def action_cursor_page_up(self) -> None:
        self.cursor -= self.page_height

    def action_cursor_page_down(self) -> None:
        self.cursor += self.page_height

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        index = None if offset is None else self.item_at(offset.y)
        if index is None:
            return
        self.cursor = index
        if event.chain == 2:
            self.item_chosen()

    def item_chosen(self) -> None:
        """A double click on an item; subclasses that can open items do it here."""

    def on_resize(self, event: events.Resize) -> None:
        self.scroll_to_cursor()
        # Again once the new size is laid out: until then the furthest the view may scroll
        # is the old one's, and a pane that shrank (the broadcast's banner shown under it)
        # would hide the cursor's item, the newest entry, under its bottom edge.
        self.call_after_refresh(self.scroll_to_cursor)


class Same:
    """A key equal only to a key of the very same object, which it keeps alive.

    For views that are replaced, never changed, while a widget shows them: comparing
    their fields would cost more than the line they key.
    """

    __slots__ = ("item",)

    def __init__(self, item: object) -> None:
        self.item = item

    def __hash__(self) -> int:
        return id(self.item)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Same) and other.item is self.item


def timestamp(moment: datetime) -> float:
    """Seconds since the epoch; a naive time is UTC, as ictui stores it.

    Faster than going through pendulum, which matters for every line of every frame.
    """
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def fit(text: str, width: int) -> str:
    """``text`` in exactly ``width`` cells: cut with an ellipsis, or padded."""
    if width <= 0:
        return ""
    length = cell_len(text)
    if length > width:
        return set_cell_size(text, width - 1) + "…"
    return text + " " * (width - length)


def strip_of(cells: list[tuple[str, int, Style]], width: int, pad_style: Style) -> Strip:
    """One line of ``width`` cells from (text, cell width, style) cells, a space apart.

    Text goes into plain Segments, never through markup, so that whatever a user
    typed is drawn as it is; cells of width 0 are left out.
    """
    segments: list[Segment] = []
    used = -1
    for text, cell_width, style in cells:
        if not cell_width:
            continue
        if segments:
            segments.append(Segment(" ", pad_style))
        segments.append(Segment(fit(text, cell_width), style))
        used += cell_width + 1
    used = max(0, used)
    if used < width:
        segments.append(Segment(" " * (width - used), pad_style))
    elif used > width:
        return Strip(segments, used).crop(0, width)
    return Strip(segments, width)
