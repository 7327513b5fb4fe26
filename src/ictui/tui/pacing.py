"""The interpreter paced for a terminal app: the event loop first, the rest in its pauses.

Two settings of CPython's that suit a batch job and hold back a key:

- The GIL. A thread that wants the interpreter waits for the one running to give it up,
  every ``sys.getswitchinterval()`` (5 ms by default). While a worker reads 10,000
  incidents, each key waited up to 5 ms before its handler could start, and a frame
  made of a few handlers several times that. At 1 ms the event loop gets it back in
  time for a frame; the workers run a little slower, which nobody watches.
- The garbage collector, as follows.

Full garbage collections while the IC is not typing, instead of in the middle of a key.

Python's cyclic collector runs by allocation counts, and its full collections walk
every object the process holds. Reading 10,000 incidents or a 5,000-entry timeline
allocates tens of thousands of objects, so full collections came often, mid-load and
mid-key: in one benchmark session 34 of them, up to 60 ms each, each a frame that a key
waited for. Here the objects alive once the cockpit is up (modules, classes, the screen,
the list) are frozen out of collections; young collections run as Python runs them (a
few milliseconds at most); full ones run in the IC's pauses, a quarter of a second
without a key, checked every second, and at the latest every minute.

Often, because the garbage adds up: each focus change restyles the widgets around it, and
Textual builds a small DOM node with its caches for each of their component classes,
cycles that only a full collection frees (some 3,500 objects a pane switch since the
footer is one widget; twice that before). Left for a minute of tabbing through panes,
they took one collection 270 ms to free.

The cockpit paces the interpreter in a real terminal; in headless runs (the tests, many
apps in one process) only when asked to, and it puts everything back when it ends.
"""

from __future__ import annotations

import gc
import sys
import time

QUIET_SECONDS = 0.25
LONGEST_SECONDS = 60.0
CHECK_SECONDS = 1.0
SWITCH_INTERVAL_SECONDS = 0.001
# Collections of the oldest generation after this many of the middle one: never, in effect.
_NEVER = 1_000_000_000


class InterpreterPacing:
    def __init__(self) -> None:
        self.active = False
        self._last_input = time.monotonic()
        self._last_full = time.monotonic()
        self._saved: tuple[float, tuple[int, int, int]] | None = None

    def start(self) -> None:
        """Freeze what is alive now and take full collections over; call again to freeze more."""
        # Young garbage first (a few milliseconds): frozen, it would never be freed.
        gc.collect(1)
        gc.freeze()
        if not self.active:
            self.active = True
            self._saved = (sys.getswitchinterval(), gc.get_threshold())
            sys.setswitchinterval(SWITCH_INTERVAL_SECONDS)
            young, middle, _ = gc.get_threshold()
            gc.set_threshold(young, middle, _NEVER)

    def stop(self) -> None:
        """The interpreter as it was before start()."""
        if self._saved is None:
            return
        interval, thresholds = self._saved
        self._saved = None
        self.active = False
        sys.setswitchinterval(interval)
        gc.set_threshold(*thresholds)
        gc.unfreeze()

    def input_seen(self) -> None:
        self._last_input = time.monotonic()

    def tick(self) -> None:
        """Called every CHECK_SECONDS: a full collection if the IC is quiet, or overdue."""
        if not self.active:
            return
        if not gc.get_count()[2]:
            return  # not one middle collection since the last full one: nothing new to look at
        now = time.monotonic()
        if now - self._last_input >= QUIET_SECONDS or now - self._last_full >= LONGEST_SECONDS:
            gc.collect()
            self._last_full = time.monotonic()
