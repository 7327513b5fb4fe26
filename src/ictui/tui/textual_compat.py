"""Every use ictui makes of a name Textual keeps private, in this one module.

Textual is pinned exactly (pyproject.toml), and a few widgets reach past its public API
for speed. Each reach is here, beside the reason, and listed in ``PRIVATE_NAMES`` with
the signature it was written against: ``tests/tui/test_textual_compat.py`` checks every one
of them against the Textual installed, and fails naming the one an upgrade changed.
Nothing else in ictui may use a private Textual name (the same test looks).

- ``textual._styles_cache.StylesCache`` (subclassed; its ``render_line``; a test
  clears its ``get_inner_outer`` cache) and the widget's ``_styles_cache``: :class:`LinesByKey` keeps a widget's styled lines by what
  they show, not by where they are (``widgets/line_list.py``).
- ``Widget._vertical_scrollbar`` and ``App._start_widget``: a widget makes its own
  vertical scrollbar (:func:`own_vertical_scrollbar`, ``widgets/steady_scrollbar.py``).
- ``Widget._scroll_update``: the scrollbars told of a content size set without laying
  out the screen (:func:`scroll_update`, ``widgets/content_size.py``).
- ``Input._watch_value``: :class:`InputValueHook`, for an input whose size the
  stylesheet fixes (``widgets/steady_input.py``).
- ``TextArea._refresh_size``: :class:`TextAreaSizeHook`, for the composer's text
  (``widgets/composer.py``).
- ``Screen._result_callbacks``: who receives a form's answer (:func:`result_requester`):
  the keys after the one that answered wait until the answer has been handled there.
- ``textual._xterm_parser.XTermParser`` (subclassed; its ``_awaiting``, ``_gen`` and
  ``_timeout_time``, from ``textual._parser.Parser``) and the Linux driver's name for
  it: :func:`keep_escape_an_escape`. Textual's parser turns escape into a typed ``^`` when
  escape, a letter and the next escape sequence arrive in one read (escape, `v`, down:
  ``"\x1bv\x1b[B"``); a loaded laptop delivers exactly that burst, and the note line got
  "^v" and stayed open.
- For tests and the benchmark only: ``Screen._compositor`` and its ``render_strips``
  (:func:`screen_lines`: what the screen shows), ``textual._compositor``'s
  ``LayoutUpdate`` and ``ChopsUpdate`` (the frames written to the terminal, which the
  benchmark reads), ``App._display`` with ``App._batch_count`` (:func:`after_each_frame`:
  the benchmark times every frame), and ``Stylesheet._parse_rules``, ``Screen._compose``
  and ``Worker._run_threaded`` (:func:`time_textual_internals`, the benchmark's phases).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

from textual._compositor import ChopsUpdate, LayoutUpdate  # noqa: F401 (the benchmark reads frames)
from textual._parser import ParseTimeout, Read1
from textual._styles_cache import StylesCache
from textual._xterm_parser import XTermParser
from textual.app import App
from textual.color import Color
from textual.geometry import Size, Spacing
from textual.screen import Screen
from textual.scrollbar import ScrollBar
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Input, TextArea

BarT = TypeVar("BarT", bound=ScrollBar)


@dataclass(frozen=True)
class PrivateName:
    """A private Textual name ictui uses, and what it expects of it.

    ``where`` is the module and the object (``"textual.app:App._start_widget"``);
    ``signature`` the ``inspect.signature`` text of a callable, or None for an attribute
    an instance has (checked on a fresh instance of ``instance_of``).
    """

    where: str
    signature: str | None
    used_by: str
    instance_of: str | None = None


_PARSER = "textual._xterm_parser:XTermParser"

PRIVATE_NAMES: tuple[PrivateName, ...] = (
    PrivateName(
        "textual._styles_cache:StylesCache.render_line",
        "(self, styles: 'StylesBase', y: 'int', size: 'Size', content_size: 'Size', padding: 'Spacing', "
        "base_background: 'Color', background: 'Color', render_content_line: 'Callable[[int], Strip]', "
        "border_title: 'tuple[Content, Color, Color, Style] | None', "
        "border_subtitle: 'tuple[Content, Color, Color, Style] | None', opacity: 'float', "
        "ansi_theme: 'TerminalTheme', native_ansi: 'bool') -> 'Strip'",
        "LinesByKey",
    ),
    PrivateName("textual._styles_cache:StylesCache.__init__", "(self) -> 'None'", "LinesByKey"),
    # Only a test clears it (tests/reliability/test_reliability_slack.py), through this module.
    PrivateName(
        "textual._styles_cache:StylesCache.get_inner_outer",
        "(cls, base_background: 'Color', background: 'Color') -> 'tuple[Style, Style]'",
        "StylesCache (a test)",
    ),
    PrivateName("textual.widget:Widget._styles_cache", None, "install_styles_cache", "textual.widget:Widget"),
    PrivateName(
        "textual.widget:Widget._vertical_scrollbar", None, "own_vertical_scrollbar", "textual.widget:Widget"
    ),
    PrivateName(
        "textual.app:App._start_widget",
        "(self, parent: 'Widget', widget: 'Widget') -> 'None'",
        "own_vertical_scrollbar",
    ),
    PrivateName(
        "textual.widget:Widget._scroll_update", "(self, virtual_size: 'Size') -> 'None'", "scroll_update"
    ),
    PrivateName(
        "textual.widgets._input:Input._watch_value", "(self, value: 'str') -> 'None'", "InputValueHook"
    ),
    PrivateName("textual.widgets._text_area:TextArea._refresh_size", "(self) -> 'None'", "TextAreaSizeHook"),
    PrivateName("textual.screen:Screen._result_callbacks", None, "result_requester", "textual.screen:Screen"),
    PrivateName("textual._xterm_parser:XTermParser._awaiting", None, "EscapeKeepingParser", _PARSER),
    PrivateName("textual._xterm_parser:XTermParser._gen", None, "EscapeKeepingParser", _PARSER),
    PrivateName("textual._xterm_parser:XTermParser._timeout_time", None, "EscapeKeepingParser", _PARSER),
    PrivateName("textual._parser:Read1.timeout", None, "EscapeKeepingParser", "textual._parser:Read1"),
    PrivateName("textual._parser:ParseTimeout.__init__", None, "EscapeKeepingParser"),
    PrivateName("textual.drivers.linux_driver:XTermParser", None, "keep_escape_an_escape"),
    # Tests and the benchmark: what the screen shows, and the frames it writes.
    PrivateName("textual.screen:Screen._compositor", None, "screen_lines", "textual.screen:Screen"),
    PrivateName(
        "textual._compositor:Compositor.render_strips",
        "(self, size: 'Size | None' = None) -> 'list[Strip]'",
        "screen_lines",
    ),
    PrivateName(
        "textual._compositor:LayoutUpdate.__init__",
        "(self, strips: 'list[Iterable[Strip]]', region: 'Region') -> 'None'",
        "LayoutUpdate (bench)",
    ),
    PrivateName(
        "textual.css.stylesheet:Stylesheet._parse_rules",
        "(self, css: 'str', read_from: 'CSSLocation', is_default_rules: 'bool' = False, "
        "tie_breaker: 'int' = 0, scope: 'str' = '') -> 'list[RuleSet]'",
        "time_textual_internals",
    ),
    PrivateName("textual.screen:Screen._compose", "(self) -> 'None'", "time_textual_internals"),
    PrivateName("textual.worker:Worker._run_threaded", "(self) -> 'ResultType'", "time_textual_internals"),
    PrivateName(
        "textual.app:App._display",
        "(self, screen: 'Screen', renderable: 'RenderableType | None') -> 'None'",
        "after_each_frame",
    ),
    PrivateName("textual.app:App._batch_count", None, "after_each_frame", "textual.app:App"),
    PrivateName(
        "textual._compositor:ChopsUpdate.__init__",
        "(self, chops: 'Sequence[Mapping[int, Strip | None]]', spans: 'list[tuple[int, int, int]]', "
        "chop_ends: 'list[list[int]]') -> 'None'",
        "ChopsUpdate (bench)",
    ),
)


class LinesByKey(StylesCache):
    """Textual's cache of a widget's styled lines, also keeping them by what they show.

    Textual keeps a widget's lines by their place on screen and forgets them all when it
    scrolls; a timeline scrolled by one line for the note just added then styles again
    every line but one that was already on screen: a millisecond of the note's frame.
    Kept by ``line_key(y)`` instead (None: not kept), a line is styled once while it
    stays in view. Only lines that are all content are kept: no border or padding above
    or below.
    """

    KEPT = 512  # several screens of lines

    def __init__(self, line_key: Callable[[int], Hashable | None]) -> None:
        super().__init__()
        self._line_key = line_key
        # A plain dict, emptied by a quarter when full: Textual's LRUCache did the same
        # job with 4 MB more at the benchmark's peak (66 against 70 MB, 2026-12-04).
        self._by_content: dict[Hashable, Strip] = {}

    def forget(self) -> None:
        self._by_content.clear()

    def render_line(
        self,
        styles: Any,
        y: int,
        size: Size,
        content_size: Size,
        padding: Spacing,
        base_background: Color,
        background: Color,
        render_content_line: Callable[[int], Strip],
        border_title: Any,
        border_subtitle: Any,
        opacity: float,
        ansi_theme: Any,
        native_ansi: bool,
    ) -> Strip:
        key = None
        if not (padding.top or padding.bottom or styles.border_top[0] or styles.border_bottom[0]):
            content = self._line_key(y)
            if content is not None:
                key = (content, size, padding, base_background, background, opacity, native_ansi)
                strip = self._by_content.get(key)
                if strip is not None:
                    return strip
        strip = super().render_line(
            styles,
            y,
            size,
            content_size,
            padding,
            base_background,
            background,
            render_content_line,
            border_title,
            border_subtitle,
            opacity,
            ansi_theme,
            native_ansi,
        )
        if key is not None:
            if len(self._by_content) >= self.KEPT:
                for old in list(self._by_content)[: self.KEPT // 4]:
                    del self._by_content[old]
            self._by_content[key] = strip
        return strip


def install_styles_cache(widget: Widget, cache: StylesCache) -> None:
    """``widget`` styles its lines through ``cache`` (made in its ``__init__``)."""
    widget._styles_cache = cache


def own_vertical_scrollbar(widget: Widget, make: Callable[[], BarT]) -> BarT:
    """For a widget's ``vertical_scrollbar`` property: Textual's, with a bar ``make`` makes.

    Made hidden on first use and started as a child of ``widget``, as Textual does.
    """
    bar = widget._vertical_scrollbar
    if bar is None:
        bar = make()
        bar.display = False
        widget._vertical_scrollbar = bar
        widget.app._start_widget(widget, bar)
    return bar  # type: ignore[return-value]  # the bar ``make`` made: only this function sets it


def scroll_update(widget: Widget, size: Size) -> None:
    """Tell ``widget``'s scrollbars its content is ``size`` (set without laying out)."""
    widget._scroll_update(size)


class InputValueHook(Input):
    """An Input told of a new value before Textual's own handling of it."""

    def before_value_watch(self, value: str) -> None:
        """Called with the new value before Input's own reaction to it."""

    def _watch_value(self, value: str) -> None:
        self.before_value_watch(value)
        super()._watch_value(value)


class TextAreaSizeHook(TextArea):
    """A TextArea that may set its own virtual size when Textual would."""

    def set_own_size(self) -> bool:
        """Set the virtual size for the document as it is now; False: Textual does."""
        return False

    def _refresh_size(self) -> None:
        if not self.set_own_size():
            super()._refresh_size()


def result_requester(screen: Screen[Any]) -> Any:
    """The message pump that receives ``screen``'s answer (its latest result callback's
    requester), or None. Textual hands the answer over with ``requester.call_next``: work
    queued there after the dismissal runs after the answer has been handled."""
    callbacks = screen._result_callbacks
    return callbacks[-1].requester if callbacks else None


def screen_lines(screen: Screen[Any]) -> list[str]:
    """What ``screen`` shows now, notifications included, line by line (for tests)."""
    return [strip.text for strip in screen._compositor.render_strips()]


def after_each_frame(callback: Callable[[App[Any], Any], object]) -> None:
    """From now on, ``callback(app, frame)`` runs right after every frame any app hands to
    the terminal writer (not the ones a batch of updates holds back): the benchmark's
    clock. For measuring processes only; it changes ``App`` for good."""
    display = App._display

    def _display(self: App[Any], screen: Screen[Any], renderable: Any) -> None:
        display(self, screen, renderable)
        if renderable is not None and not self._batch_count:
            callback(self, renderable)

    App._display = _display  # type: ignore[method-assign]  # the benchmark wraps Textual's own method to time it


def time_textual_internals(record: Callable[..., object]) -> None:
    """For the benchmark's phases: ``record(kind, started, ended, what=...)`` around
    Textual's parsing of a style sheet ("css parse"), a screen's compose ("compose") and a
    thread worker's run ("thread read"). It changes Textual's classes for good."""
    from textual.css.stylesheet import Stylesheet
    from textual.worker import Worker

    parse_rules = Stylesheet._parse_rules

    def timed_parse_rules(self: Stylesheet, *args: Any, **kwargs: Any) -> Any:
        started = time.monotonic()
        try:
            return parse_rules(self, *args, **kwargs)
        finally:
            record("css parse", started, time.monotonic(), what=str(args[1] if len(args) > 1 else "")[-60:])

    Stylesheet._parse_rules = timed_parse_rules  # type: ignore[method-assign]  # the benchmark wraps Textual's own method to time it

    compose = Screen._compose

    async def timed_compose(self: Screen[Any]) -> None:
        started = time.monotonic()
        try:
            await compose(self)
        finally:
            record("compose", started, time.monotonic(), what=type(self).__name__)

    Screen._compose = timed_compose  # type: ignore[method-assign]  # the benchmark wraps Textual's own method to time it

    run_threaded = Worker._run_threaded

    async def timed_thread(self: Worker[Any]) -> Any:
        started = time.monotonic()
        try:
            return await run_threaded(self)
        finally:
            record("thread read", started, time.monotonic(), what=self.description)

    Worker._run_threaded = timed_thread  # type: ignore[method-assign]  # the benchmark wraps Textual's own method to time it


# ---------------------------------------------------------------------- escape stays escape

ESC = "\x1b"
PASTE_START, PASTE_END = "\x1b[200~", "\x1b[201~"


class EscapeKeepingParser(XTermParser):
    """Textual's terminal parser, but an escape followed by a key and then another escape
    sequence in the same read is escape and that key (or alt and the key, which the
    type-ahead splits back into the two), never a typed ``^``.

    Textual holds ``escape`` and the character after it, waiting to see whether they
    start a longer sequence; an escape arriving next makes it give them up *without*
    reading the first as escape (it becomes ``^``). Here, whenever an escape comes while
    more than an escape is held, the wait is ended first as the escape delay would have
    ended it: the held keys are read as escape and what followed.
    """

    def __init__(self, debug: bool = False) -> None:
        super().__init__(debug)
        self._last = ""
        self._pasting = False  # inside a bracketed paste: left to Textual as it is

    def _holding_more_than_escape(self) -> bool:
        awaiting = self._awaiting
        return (
            not self._pasting
            and isinstance(awaiting, Read1)
            and awaiting.timeout is not None
            and self._last != ESC
        )

    def feed(self, data: str) -> Any:
        if not data:  # the end of input
            yield from super().feed(data)
            return
        for index, piece in enumerate(data.split(ESC)):
            chunk = piece if index == 0 else ESC + piece
            if not chunk:
                continue
            if index and self._holding_more_than_escape():
                self._timeout_time = None
                self._awaiting = self._gen.throw(ParseTimeout())
            if chunk.startswith(PASTE_START):
                self._pasting = True
            elif chunk.startswith(PASTE_END):
                self._pasting = False
            yield from super().feed(chunk)
            self._last = chunk[-1]


def keep_escape_an_escape() -> None:
    """The terminal driver reads keys with :class:`EscapeKeepingParser` (once per process,
    before the app starts its driver)."""
    try:
        from textual.drivers import linux_driver
    except ImportError:  # Windows: its driver reads key events, not escape sequences
        return
    linux_driver.XTermParser = EscapeKeepingParser  # type: ignore[attr-defined]  # the driver imports it, not exports it
