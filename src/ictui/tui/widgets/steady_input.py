"""An Input whose size the stylesheet fixes: typing into it costs no layout of the screen.

Textual's Input sets its virtual size on every change of its value, and a virtual size
change lays out the whole screen: several milliseconds on every key typed into the
note line or the filter, and on the frame that shows a saved note. When the CSS gives
the input a fixed height and width, its text cannot change its size, and only the
horizontal scrolling (which its virtual size is for) needs updating.
"""

from __future__ import annotations

from textual.geometry import Size
from textual.widgets import Input

from ictui.tui.textual_compat import InputValueHook, scroll_update


class SteadyInput(InputValueHook):
    def before_value_watch(self, value: str) -> None:
        if not self.styles.auto_dimensions:
            size = Size(self.content_width, 1)
            if size != self.virtual_size:
                # Set quietly and the scrollbars told; Input._watch_value then finds the
                # size already set, and a reactive set to its own value lays nothing out.
                self.set_reactive(Input.virtual_size, size)
                scroll_update(self, size)
