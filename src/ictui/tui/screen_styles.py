"""A screen opened again is styled once, as it is mounted, and not twice more.

Every form and screen is composed afresh each time it opens, and Textual applies the
style sheet to each of its widgets as they are mounted. Two more passes over the whole
screen followed, each as long as the first (the review's 60 widgets: a third of its
later openings each):

- **the resume**: a screen pushed is sent ``ScreenResume(refresh_styles=True)``, which
  applies the style sheet to every node of the screen again. A screen shown for the
  first time needs it (its own style sheet is loaded after it is mounted); once its class
  has been shown, one composed afresh already has its styles, and
  :class:`StyledOnce` skips that pass (a screen shown again, not composed, keeps it);
- **the breakpoints**: a screen with ``HORIZONTAL_BREAKPOINTS`` or
  ``VERTICAL_BREAKPOINTS`` (the review, the stats) gets its ``-wide``/``-narrow``
  classes on its first resize, and a change of class styles the whole screen again.
  :func:`with_breakpoints` gives a screen not yet mounted the classes the terminal's
  size calls for, so that the resize finds them already set and changes nothing.

Either way the screen shows exactly what it showed before; only the repeated work goes.
"""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

from textual import events
from textual.app import App
from textual.geometry import Size
from textual.screen import Screen

# The screen classes each app has already shown: their style sheet is loaded there.
_shown: WeakKeyDictionary[App[Any], set[type[Any]]] = WeakKeyDictionary()


class StyledOnce:
    """Mixed into a screen (before Textual's ``Screen``): when it is composed afresh and
    its class has been shown before, the resume does not style it a second time."""

    _resumed_once = False

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        # Runs before Textual's own handler (further along the class's MRO).
        assert isinstance(self, Screen), "StyledOnce is mixed into screens"
        kind, shown = type(self), _shown.setdefault(self.app, set())
        if not self._resumed_once and kind in shown:
            event.refresh_styles = False
        self._resumed_once = True
        shown.add(kind)


def with_breakpoints(screen: Screen[Any], size: Size, app: App[Any]) -> None:
    """Give ``screen`` (not mounted yet) the breakpoint classes Textual would give it on its
    first resize to ``size``: the same rule, the screen's breakpoints or else the app's."""
    horizontal = screen.HORIZONTAL_BREAKPOINTS
    vertical = screen.VERTICAL_BREAKPOINTS
    horizontal = (app.HORIZONTAL_BREAKPOINTS if horizontal is None else horizontal) or []
    vertical = (app.VERTICAL_BREAKPOINTS if vertical is None else vertical) or []
    if not (horizontal or vertical) or not size:
        return
    classes = {name: False for _, name in (*horizontal, *vertical)}
    for dimension, breakpoints in ((size.width, horizontal), (size.height, vertical)):
        for threshold, name in sorted(breakpoints, reverse=True):
            if dimension >= threshold:
                classes[name] = True
                break
    screen.update_classes(classes, update=False)
