"""What an IC does in the first minutes, typed into the cockpit's terminal and timed.

Runs inside the measured process (``bench.child interact``), once the list is on
screen. Every key is written to the terminal's input, as a keyboard would, and the
latency is the time from that write to the first frame that shows its effect: the
cursor drawn on the expected row, the 5,000 entries drawn, the note drawn in the
timeline, the list drawn filtered. Moving keys come at a held key's pace (25 a second),
filters are typed at 10 keys a second, the next key never before the last one's frame;
each note is typed, then ``enter`` is timed; an incident is opened after a look at the
one before it (0.3 s), as one does, not in the middle of a held key.
"""

from __future__ import annotations

import asyncio
import os
import resource
import time
import traceback
from collections.abc import Callable
from typing import Any

from bench.probe import PROBE, Drawn

KEY_INTERVAL = 0.04  # a held key repeats 25 times a second
TYPING_INTERVAL = 0.1  # a fast typist
LOOK = 0.3  # a glance at an incident before moving on
DOWN, UP, PAGE_DOWN, PAGE_UP = b"j", b"k", b"\x1b[6~", b"\x1b[5~"
ENTER, ESCAPE = b"\r", b"\x1b"
FILTERS = ("navigation bar", "ana ruiz")


def _peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


class ScenarioFailed(RuntimeError):
    pass


async def run_script(app: Any, keys_fd: int, result: dict[str, Any]) -> None:
    try:
        result.update(await Scenario(app, keys_fd).run())
    except Exception:  # noqa: BLE001 - reported to the parent, which stops the benchmark with it
        result["error"] = traceback.format_exc()
    finally:
        app.exit()


class Scenario:
    def __init__(self, app: Any, keys_fd: int, notes: int = 30, opens: int = 8) -> None:
        self.app = app
        self.keys_fd = keys_fd
        self.notes = notes
        self.opens = opens
        self.screen = app.screen
        self.incidents = self.screen.query_one("#incident-list")
        self.timeline = self.screen.query_one("#timeline")

    # ------------------------------------------------------------------ helpers

    def press(self, keys: bytes) -> float:
        started = time.monotonic()
        os.write(self.keys_fd, keys)
        return started

    def drawn(self, widget_id: str) -> Drawn:
        return PROBE.shows(widget_id) or Drawn(-1, -1, None)

    async def until(self, condition: Callable[[], bool], what: str, timeout: float = 30.0) -> None:
        """Wait (polling) for a state that is not itself measured."""
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise ScenarioFailed(f"timed out waiting for {what}")
            await asyncio.sleep(0.005)

    async def timed(self, keys: bytes, condition: Callable[[], bool], what: str) -> float:
        """Milliseconds from typing ``keys`` to the first frame painted with ``condition``."""
        started = self.press(keys)
        try:
            painted = await PROBE.painted(condition, timeout=30.0)
        except TimeoutError:
            raise ScenarioFailed(f"no frame showed {what} within 30 s") from None
        return (painted - started) * 1000

    async def settle(self) -> None:
        """Until no worker runs (loads after a write, the poll), then a short pause."""
        await self.until(lambda: all(w.is_finished for w in self.app.workers), "the workers to finish")
        await asyncio.sleep(0.05)

    async def paced(self, started: float, interval: float = KEY_INTERVAL) -> None:
        await asyncio.sleep(max(0.0, started + interval - time.monotonic()))

    def shown_incident(self) -> int | None:
        state = self.screen.state
        return state.view.number if state is not None else None

    async def incident_drawn(self, number: int) -> None:
        await self.until(
            lambda: (
                self.shown_incident() == number
                and self.drawn("timeline").count == len(self.screen.state.entries)
            ),
            f"incident #{number} to be drawn",
        )

    # ------------------------------------------------------------------ the scenario

    async def run(self) -> dict[str, Any]:
        # The list is painted from a first screenful; the IC's work starts on the whole list.
        await self.until(lambda: self.app.store is not None and self.screen._revision >= 0, "the whole list")
        numbers = [row.number for row in _listed(self.incidents)]
        big, second = numbers[0], numbers[1]
        await self.incident_drawn(big)
        big_entries = len(self.screen.state.entries)
        if big_entries < 5_000:
            raise ScenarioFailed(f"the newest incident (#{big}) has {big_entries} entries, not 5,000")
        await self.settle()
        figures: dict[str, Any] = {
            "big_incident_entries": big_entries,
            "incidents": self.incidents.total_count,
        }
        # The memory high-water mark after each step: where the peak is reached.
        peaks = figures["peak_mb_after"] = {"first_incident": _peak_mb()}
        figures["open_big_ms"] = await self.open_big(big, second, big_entries)
        peaks["opens"] = _peak_mb()
        figures["list_key_ms"] = await self.move_through_list()
        peaks["list_moves"] = _peak_mb()
        figures["timeline_key_ms"] = await self.move_through_timeline(big)
        peaks["timeline_moves"] = _peak_mb()
        figures["note_ms"] = await self.write_notes()
        peaks["notes"] = _peak_mb()
        figures["filter_key_ms"] = await self.filter_list()
        peaks["filter"] = _peak_mb()
        return figures

    async def open_big(self, big: int, second: int, entries: int) -> list[float]:
        """From the next incident, ``k`` back onto the one with 5,000 entries."""
        times = []
        for _ in range(self.opens):
            self.press(DOWN)
            await self.incident_drawn(second)
            await self.settle()
            await asyncio.sleep(LOOK)
            times.append(
                await self.timed(
                    UP,
                    lambda: (
                        self.drawn("incident-list").cursor == 0 and self.drawn("timeline").count == entries
                    ),
                    "the 5,000-entry timeline",
                )
            )
            await self.incident_drawn(big)
            await self.settle()
        return times

    async def move_through_list(self) -> list[float]:
        keys = [DOWN] * 60 + [PAGE_DOWN] * 5 + [UP] * 30 + [PAGE_UP] * 5 + [UP] * 30
        return await self.move(self.incidents, "incident-list", keys)

    async def move_through_timeline(self, big: int) -> list[float]:
        self.press(ENTER)  # open the incident: the timeline takes the keys
        await self.until(lambda: self.app.focused is self.timeline, "the timeline to have focus")
        await self.incident_drawn(big)
        await self.settle()
        keys = [UP] * 60 + [PAGE_UP] * 10 + [DOWN] * 30 + [PAGE_DOWN] * 5 + [UP] * 30
        return await self.move(self.timeline, "timeline", keys)

    async def move(self, widget: Any, widget_id: str, keys: list[bytes]) -> list[float]:
        times = []
        for key in keys:
            page = widget.page_height
            step = {DOWN: 1, UP: -1, PAGE_DOWN: page, PAGE_UP: -page}[key]
            expected = max(0, min(widget.cursor + step, widget._count - 1))
            started = time.monotonic()
            times.append(
                await self.timed(
                    key,
                    lambda expected=expected: self.drawn(widget_id).cursor == expected,
                    f"{widget_id} row {expected}",
                )
            )
            await self.paced(started)
        await self.settle()
        return times

    async def write_notes(self) -> list[float]:
        """Notes one after the other, each timed from ``enter`` to drawn in the timeline."""
        note = self.screen.query_one("#note-input")
        self.press(b"n")
        await self.until(lambda: self.app.focused is note, "the note line to open")
        times = []
        for number in range(self.notes):
            text = f"bench note {number}: checked the dashboards again"
            self.press(text.encode())
            await self.until(lambda text=text: note.value == text, "the note to be typed")
            await asyncio.sleep(0.05)
            before = self.drawn("timeline").count
            times.append(
                await self.timed(
                    ENTER, lambda before=before: self.drawn("timeline").count == before + 1, "the new note"
                )
            )
            await self.settle()
        self.press(ESCAPE)
        await self.until(lambda: self.app.focused is self.timeline, "the note line to close")
        return times

    async def filter_list(self) -> list[float]:
        """Filters typed a letter at a time, then taken back a letter at a time."""
        from ictui.domain.incident_filter import IncidentFilter, searchable
        from ictui.domain.text import clean_line

        incidents = self.incidents
        rows = getattr(incidents, "_rows", None)  # a list that holds every row
        texts = [searchable(row) for row in rows] if rows is not None else []  # for the expected counts
        filter_input = self.screen.query_one("#filter")
        self.press(b"/")
        await self.until(lambda: self.app.focused is filter_input, "the filter to have focus")
        times = []
        for query in FILTERS:
            typed = [query[:n] for n in range(1, len(query) + 1)]
            for text in typed + typed[-2::-1] + [""]:
                key = text[-1].encode() if len(text) > len(filter_input.value) else b"\x7f"
                wanted = clean_line(text)
                changed = wanted != incidents.filter_text
                flt = IncidentFilter.parse(text)
                # A paged list: the database counts (before the key, outside the timing).
                count = len(flt.select(rows, texts)) if rows is not None else self.app.store.list_count(flt)
                started = time.monotonic()
                latency = await self.timed(
                    key,
                    lambda wanted=wanted, count=count: (
                        self.drawn("incident-list").filter == wanted
                        and self.drawn("incident-list").count == count
                    ),
                    f"the list filtered by {text!r}",
                )
                if changed:  # a space changes no filter: nothing to time
                    times.append(latency)
                await self.paced(started, TYPING_INTERVAL)
        self.press(ESCAPE)
        await self.settle()
        return times


def _listed(incidents: Any) -> list[Any]:
    """The rows the list holds from its top: all of them, or the window read (paged)."""
    rows = getattr(incidents, "_rows", None)
    return list(rows) if rows is not None else list(incidents.window.rows)
