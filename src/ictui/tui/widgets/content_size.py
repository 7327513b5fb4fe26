"""Telling a scrolling widget how big its content is, without laying out the screen.

Textual lays out the whole screen whenever a widget's virtual size changes: 10 ms and
more for the cockpit, on every incident opened (a new timeline, a new template in the
composer) and every filter key. A widget whose box the stylesheet fixes (a fraction of
its parent, not "auto") only needs its scrollbars updated, as long as no scrollbar
comes or goes; a scrollbar that always shows (overflow: scroll) never does.
"""

from __future__ import annotations

from textual.geometry import Size
from textual.widget import Widget

from ictui.tui.textual_compat import scroll_update


def set_content_size(widget: Widget, size: Size) -> None:
    """Set ``widget.virtual_size``; the screen is laid out again only if it must be."""
    styles = widget.styles
    room = widget.container_size
    old = widget.virtual_size

    def stays(overflow: str, new: int, before: int, space: int) -> bool:
        return overflow in ("hidden", "scroll") or (new > space) == (before > space)

    if not styles.auto_dimensions and (
        stays(styles.overflow_x, size.width, old.width, room.width)
        and stays(styles.overflow_y, size.height, old.height, room.height)
    ):
        widget.set_reactive(Widget.virtual_size, size)
        scroll_update(widget, size)
        widget.refresh()
    else:
        widget.virtual_size = size
