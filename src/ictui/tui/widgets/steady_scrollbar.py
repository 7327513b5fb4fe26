"""A vertical scrollbar drawn again only when its thumb moves on screen.

Textual draws a scrollbar again whenever the size or offset it stands for changes. On a
timeline of 5,000 entries, the note just added changes both, while the thumb, a cell
high, stays where it was: the bar's lines were styled again for nothing, in about the
time the timeline's own lines take.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from math import ceil

from textual.geometry import Region
from textual.reactive import Reactive
from textual.scrollbar import ScrollBar, ScrollBarRender


class SteadyScrollBar(ScrollBar):
    window_virtual_size: Reactive[int] = Reactive(100, repaint=False)
    window_size: Reactive[int] = Reactive(0, repaint=False)
    position: Reactive[float] = Reactive(0, repaint=False)

    _drawn: tuple[int, int, int] | None = None
    _held = 0

    @contextmanager
    def repaint_if_moved(self) -> Iterator[None]:
        """Changes made within it repaint the bar once, at the end, and only if its thumb
        moved. (A size and then an offset set one after the other can move the thumb
        and put it back.)"""
        self._held += 1
        try:
            yield
        finally:
            self._held -= 1
            if not self._held and self.thumb() != self._drawn:
                self.refresh()

    def refresh(
        self, *regions: Region, repaint: bool = True, layout: bool = False, recompose: bool = False
    ) -> SteadyScrollBar:
        if self._held and not (regions or layout or recompose):
            return self  # Textual's own refresh after a content size is set, among others
        self._drawn = self.thumb()
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    def watch_window_virtual_size(self) -> None:
        self.refresh()

    def watch_window_size(self) -> None:
        self.refresh()

    def watch_position(self) -> None:
        self.refresh()

    def thumb(self) -> tuple[int, int, int]:
        """The bar's length and its thumb's ends, in eighths of a cell, as drawn.

        What ``ScrollBarRender.render_bar`` works out from what ``ScrollBar._render_bar``
        gives it (a bar with no thumb has both ends at 0).
        """
        size = self.size.height
        virtual_size = ceil(self.window_virtual_size)
        window_size = ceil(self.window_size if self.window_size < self.window_virtual_size else 0)
        if not (window_size and size and virtual_size and size != virtual_size):
            return size, 0, 0
        eighths = len(ScrollBarRender.VERTICAL_BARS)
        thumb_size = max(1, window_size / (virtual_size / size))
        start = int((size - thumb_size) * (self.position / (virtual_size - window_size)) * eighths)
        return size, start, start + ceil(thumb_size * eighths)
