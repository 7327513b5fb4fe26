"""Inside a measured process: when frames reach the terminal, and what they showed.

Two hooks, installed before the app runs, and nothing else changed:

- after each frame Textual hands to the terminal writer (a private hook, kept in
  ``ictui.tui.textual_compat.after_each_frame``): every frame is timestamped, and
  waiting conditions are checked against it; for the forms, the frame's characters are
  also kept (bench.screen_text);
- ``LineList.render_lines`` (ictui's list and timeline draw their lines there): the
  cursor, item count and filter each widget drew with are recorded, so that "the frame
  shows the cursor on row 12" is checked against what was painted, not against a
  widget's state that may not have been drawn yet.

Times are ``time.monotonic()``, one clock for the whole machine, so that the parent's
"process started" and the child's "frame painted" can be subtracted.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Drawn:
    """What one line-list widget drew last: its cursor, its item count, its filter."""

    cursor: int
    count: int
    filter: str | None


@dataclass
class Probe:
    frames: int = 0
    first_frame: float | None = None
    last_frame: float = 0.0
    drawn: dict[str, Drawn] = field(default_factory=dict)
    on_frame: Callable[[Any], None] | None = None
    # What the terminal shows, kept from the frames (bench.screen_text): None unless asked for.
    screen: Any = None
    # Set by whoever waits: checked after every frame, resolved on the first that passes.
    _condition: Callable[[], bool] | None = None
    _future: asyncio.Future[float] | None = None

    def frame_painted(self, app: Any, update: Any = None) -> None:
        now = time.monotonic()
        if self.screen is not None and update is not None:
            self.screen.apply(update)  # after the frame's time is taken: not measured
        self.frames += 1
        self.last_frame = now
        if self.first_frame is None:
            self.first_frame = now
        future = self._future
        if self._condition is not None and future is not None and not future.done() and self._condition():
            future.set_result(now)
        if self.on_frame is not None:
            self.on_frame(app)

    def shows(self, widget_id: str) -> Drawn | None:
        return self.drawn.get(widget_id)

    async def painted(self, condition: Callable[[], bool], timeout: float = 10.0) -> float:
        """The time of the first frame from now on that is painted while ``condition()`` holds.

        The condition runs right after each frame, so it should read :attr:`drawn`.
        """
        self._condition = condition
        self._future = asyncio.get_running_loop().create_future()
        try:
            return await asyncio.wait_for(asyncio.shield(self._future), timeout)
        finally:
            self._condition = None
            self._future = None


PROBE = Probe()


def install_frame_hook() -> None:
    """Timestamp every frame Textual hands to the terminal writer."""
    from ictui.tui.textual_compat import after_each_frame

    after_each_frame(PROBE.frame_painted)


def install_line_list_hook() -> None:
    """Record what each of ictui's line lists (incident list, timeline) draws with."""
    from ictui.tui.widgets.line_list import LineList

    render_lines = LineList.render_lines

    def recording(self: LineList, crop: Any) -> Any:
        strips = render_lines(self, crop)
        PROBE.drawn[self.id or type(self).__name__] = Drawn(
            self.cursor, self._count, getattr(self, "filter_text", None)
        )
        return strips

    LineList.render_lines = recording  # type: ignore[method-assign]
