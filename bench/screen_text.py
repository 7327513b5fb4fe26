"""Inside a measured process: the text the terminal shows, kept from the frames written to it.

Forms and screens are not line lists: "the frame shows the declare form" is checked
against the characters the frames put on the terminal, as one reads the screen. Every
frame Textual hands to the terminal writer (a whole-screen layout or changed fragments
of lines) is applied to a grid of the terminal's size, so that :meth:`ScreenText.shows`
answers for the screen as it is after the last frame written.

Only switched on for the forms (bench.forms): applying a frame costs a fraction of a
millisecond on the event loop, which the other figures should not carry.
"""

from __future__ import annotations

from typing import Any

from bench.terminal import COLUMNS, LINES


class ScreenText:
    def __init__(self, columns: int = COLUMNS, lines: int = LINES) -> None:
        self.columns = columns
        self.lines = [[" "] * columns for _ in range(lines)]
        self._text: list[str] | None = None

    def apply(self, update: Any) -> None:
        """A frame written to the terminal: its characters replace those under them."""
        from ictui.tui.textual_compat import ChopsUpdate, LayoutUpdate

        if isinstance(update, LayoutUpdate):
            for y, line in enumerate(update.strips, update.region.y):
                self._put(update.region.x, y, "".join(strip.text for strip in line))
        elif isinstance(update, ChopsUpdate):
            # Only the spans are written to the terminal: outside them, a line's chops may
            # hold what is behind the widgets on top (Textual crops them as it writes).
            for y, x1, x2 in update.spans:
                for x, strip in update.chops[y].items():
                    if strip is not None:
                        self._put(x, y, strip.text, x1, x2)
        self._text = None

    def fill_from(self, screen: Any) -> None:
        """The whole of what ``screen`` (a Textual Screen) has composed: the terminal's
        characters when nothing waits to be painted (a refresh repaints only what changed)."""
        from ictui.tui.textual_compat import screen_lines  # in the measured process only

        for y, line in enumerate(screen_lines(screen)):
            self._put(0, y, line)
        self._text = None

    def _put(self, x: int, y: int, text: str, start: int = 0, end: int | None = None) -> None:
        """``text`` from column ``x`` of line ``y``, only its part in columns [start, end)."""
        if not 0 <= y < len(self.lines):
            return
        row = self.lines[y]
        end = self.columns if end is None else min(end, self.columns)
        # One cell a character: the benchmark's forms and data are in plain Latin script.
        for offset, char in enumerate(text[: max(0, end - x)]):
            if x + offset >= start:
                row[x + offset] = char

    def text(self) -> list[str]:
        if self._text is None:
            self._text = ["".join(row) for row in self.lines]
        return self._text

    def shows(self, *texts: str) -> bool:
        """Whether every one of ``texts`` is on one line of the screen."""
        lines = self.text()
        return all(any(text in line for line in lines) for text in texts)

    def dump(self) -> str:
        return "\n".join(line.rstrip() for line in self.text())
