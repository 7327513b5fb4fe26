"""A form or screen is styled once, as it is mounted, and not twice more.

Every form and screen is composed afresh each time it opens, and Textual applies the
style sheet to each of its widgets as they are mounted. Two more passes over the whole
screen followed, each as long as the first (the review's 60 widgets: a third of each of
its later openings):

- **the resume**: a screen pushed is sent ``ScreenResume(refresh_styles=True)``, which
  applies the style sheet to every node of the screen again, for a style sheet loaded
  after the screen was mounted (Textual loads a screen's own sheets then). ictui reads
  every screen's sheets at start (``IctuiApp.CSS_PATH``): a screen whose sheets were all
  there when it was mounted already has its styles, and :class:`StyledOnce` skips that
  pass for it (a screen shown again, not composed, keeps it);
- **the breakpoints**: a screen with ``HORIZONTAL_BREAKPOINTS`` or
  ``VERTICAL_BREAKPOINTS`` (the review, the stats) gets its ``-wide``/``-narrow``
  classes on its first resize, and a change of class styles the whole screen again.
  :func:`prepare` gives a screen not yet mounted the classes the terminal's size calls
  for, so that the resize finds them already set and changes nothing.

Either way the screen shows exactly what it showed before; only the repeated work goes.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.app import App
from textual.screen import Screen


class StyledOnce:
    """Mixed into a screen (before Textual's ``Screen``): when its style sheets were all
    loaded before it was mounted, the resume that shows it does not style it again."""

    _styled_when_mounted = False  # set by prepare()
    _resumed_once = False

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        # Runs before Textual's own handler (further along the class's MRO).
        if self._styled_when_mounted and not self._resumed_once:
            event.refresh_styles = False
        self._resumed_once = True


def prepare(screen: Screen[Any], app: App[Any]) -> None:
    """``screen`` is about to be pushed, not mounted yet: its breakpoint classes set, and
    whether its style sheets are all loaded already noted (:class:`StyledOnce`)."""
    _set_breakpoints(screen, app)
    if isinstance(screen, StyledOnce):
        # The test Textual makes before it reads a screen's sheets (App._load_screen_css).
        loaded = all(app.stylesheet.has_source(str(path), "") for path in screen.css_path)
        screen._styled_when_mounted = loaded and not screen.CSS


def _set_breakpoints(screen: Screen[Any], app: App[Any]) -> None:
    """The classes Textual would give ``screen`` on its first resize to the app's size:
    the same rule, with the screen's breakpoints or else the app's."""
    size = app.size
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
