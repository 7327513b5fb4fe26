"""Text that someone else wrote, made safe to draw: the one way it reaches the screen.

Titles, notes, names, Slack messages, paths, and the messages of errors (which quote
SQL, Slack and what was typed) are shown as they are. Textual reads a plain ``str``
given to a notification, a ``Static``, a ``Label``, an option or a select as *markup*:
``[b]`` would turn bold, ``[@click=…]`` would become an action, and a stray ``[/]``
ends the app with a ``MarkupError``. Escape sequences and other control characters,
drawn raw, would drive the IC's terminal.

- :func:`shown` makes such text a :class:`~textual.content.Content`, which every widget
  draws as it is, never parsed.
- :func:`plain` is the same text as a ``str``, for Rich ``Text`` (which does not read
  markup but keeps escape sequences) and for the widgets that draw strings themselves.

:func:`markup` is for ictui's own markup (a style, a highlight) around such text.
Every call of a markup-reading API in ictui.tui passes a literal or goes through one of
them: tests/tui/test_markup_sources.py reads the source and fails on any other.

Notifications go through :meth:`ictui.tui.app.IctuiApp.notify`, which takes every
message and title as plain text. The line widgets (the incident list, the timelines)
draw their text as plain Segments, cleaned by ``clean_line`` as the lines are drawn.
Markup stays for the strings ictui writes itself (the tab line, the opening line), with
nothing of anyone's in them.
"""

from __future__ import annotations

from typing import overload

from rich.table import Table
from rich.text import Text
from textual.content import Content

from ictui.domain.text import without_controls


def plain(text: object) -> str:
    """``text`` as a string with escape sequences and control characters taken out
    (newlines and tabs kept): what a person reads, never instructions for the terminal."""
    return without_controls(str(text))


@overload
def shown(text: Table, style: str = "") -> Table: ...  # type: ignore[overload-overlap]  # a Table is an object too: the first that matches wins
@overload
def shown(text: object, style: str = "") -> Content: ...


def shown(text: object, style: str = "") -> Content | Table:
    """``text`` to give a widget: drawn as it is, never read as markup.

    A :class:`~textual.content.Content` or a Rich ``Text`` (neither is read as markup) is
    kept with its styles, and a Rich table as it is (its cells are Texts: see help.py);
    anything else is made plain text, as a Content."""
    if isinstance(text, Table):
        return text
    if isinstance(text, Content):
        content = text
    elif isinstance(text, Text):
        content = Content.from_rich_text(text)
    else:
        content = Content(plain(text))
    return content.stylize(style) if style else content


def markup(template: str, **values: object) -> Content:
    """ictui's own markup, with text from elsewhere put in as ``$name``: the template is
    read as markup, the values never are (``markup("[b]$title[/]", title=...)``)."""
    return Content.from_markup(template, **{name: plain(value) for name, value in values.items()})
