"""How fast the incident list and the timeline load, filter and move, by hand.

    /work/.venv/bin/python bench/widgets.py

Headless, in one process: each figure is the wall time from the call (or the key
posted to the app) until the frame showing its result has been handed to the driver,
so it includes Textual's frame timer (at most 1/60 s). "compute" figures time our own
code alone. The stock DataTable loading the same 10,000 rows is the yardstick.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Callable

import pendulum
from textual import events
from textual.app import App, ComposeResult
from textual.widget import Widget
from textual.widgets import DataTable, Footer

from ictui.domain.enums import EntryKind, EntrySource, Severity, Status
from ictui.domain.views import EntryView, IncidentRow
from ictui.tui.widgets.incident_list import IncidentList
from ictui.tui.widgets.timeline import TimelineView

NOW = pendulum.now("UTC")
SIZE = (120, 40)


def incident_rows(count: int) -> list[IncidentRow]:
    return [
        IncidentRow(
            number=number,
            title=f"Checkout fails for customers in region {number % 97} after deploy {number}",
            severity=list(Severity)[number % 4],
            status=list(Status)[number % 7],
            ic_name=f"Person {number % 50}",
            declared_at=NOW.subtract(minutes=number),
            created_at=NOW.subtract(minutes=number + 2),
            last_update_at=NOW.subtract(minutes=number % 40),
            cadence_minutes=30,
        )
        for number in range(count, 0, -1)
    ]


def timeline_entries(count: int) -> list[EntryView]:
    start = NOW.subtract(days=3)
    return [
        EntryView(
            id=entry_id,
            occurred_at=start.add(seconds=30 * entry_id),
            recorded_at=start,
            kind=list(EntryKind)[entry_id % 8],
            author=f"person {entry_id % 20}",
            text=f"note {entry_id}: restarted the payment pods and watched the error rate",
            source=EntrySource.MANUAL,
            permalink="",
            key_event=None,
            shared=entry_id % 5 == 0,
            deleted=False,
            edited=entry_id % 7 == 0,
        )
        for entry_id in range(1, count + 1)
    ]


class Bench(App):
    def __init__(self, widget: Widget) -> None:
        super().__init__()
        self.widget = widget
        self.frames = 0

    def compose(self) -> ComposeResult:
        yield self.widget
        yield Footer()

    def on_mount(self) -> None:
        self.widget.focus()

    def _display(self, screen, renderable) -> None:  # type: ignore[no-untyped-def]
        if renderable is not None:
            self.frames += 1
        super()._display(screen, renderable)


async def until_frame(app: Bench, action: Callable[[], object]) -> float:
    """Seconds from calling ``action`` to the next frame reaching the driver."""
    await asyncio.sleep(0.05)  # let any frame already due go out first
    frames = app.frames
    started = time.perf_counter()
    action()
    while app.frames == frames:
        await asyncio.sleep(0)
    return time.perf_counter() - started


def timed(action: Callable[[], object], repeat: int = 20) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return times


def redraw(widget: Widget) -> None:
    """Draw every line of the widget again, as a full repaint does."""
    widget.refresh()
    widget.render_lines(widget.size.region)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.2f} ms"


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


async def bench_datatable(rows: list[IncidentRow]) -> None:
    table: DataTable = DataTable()
    app = Bench(table)
    async with app.run_test(size=SIZE):
        def load() -> None:
            table.add_columns("#", "SEV", "STATUS", "TITLE", "IC", "AGE", "UPDATED", "DUE")
            table.add_rows(
                (f"#{r.number}", r.severity.value, r.status.value, r.title, r.ic_name, "1h", "5m", "")
                for r in rows
            )

        print(f"DataTable, add 10k rows to first frame   {ms(await until_frame(app, load))}")


async def bench_incident_list(rows: list[IncidentRow]) -> None:
    widget = IncidentList()
    app = Bench(widget)
    async with app.run_test(size=SIZE):
        first = await until_frame(app, lambda: widget.set_rows(rows))
        print(f"IncidentList, set 10k rows to first frame {ms(first)}")
        loads = timed(lambda: widget.set_rows(rows))
        print(f"  compute: set_rows(10k)                  {ms(statistics.median(loads))} median")
        draws = timed(lambda: redraw(widget))
        print(f"  compute: draw a full page ({widget.size.height} lines)    {ms(statistics.median(draws))} median")

        for query in ("region 42", "sev1 active", "status:inv person 7", "deploy 9999"):
            times = timed(lambda: widget.apply_filter(query))
            print(f"  filter 10k by {query!r:24} {ms(statistics.median(times))} median, {ms(max(times))} max")
        widget.apply_filter("")

        presses = []
        for key in ["down"] * 60 + ["pagedown"] * 20 + ["up"] * 40:
            presses.append(await until_frame(app, lambda: app.post_message(events.Key(key, None))))
        print(f"  key to frame (down/pagedown/up x120)    {ms(statistics.median(presses))} median, "
              f"{ms(p95(presses))} p95")

        ticks = timed(lambda: (widget.tick(), redraw(widget)))
        print(f"  compute: tick + redraw the page         {ms(statistics.median(ticks))} median")


async def bench_timeline(entries: list[EntryView]) -> None:
    widget = TimelineView()
    app = Bench(widget)
    async with app.run_test(size=SIZE):
        first = await until_frame(app, lambda: widget.set_entries(entries))
        print(f"TimelineView, open 5k entries to first frame {ms(first)}")
        loads = timed(lambda: widget.set_entries(entries))
        print(f"  compute: set_entries(5k)                {ms(statistics.median(loads))} median")

        draws = timed(lambda: redraw(widget))
        print(f"  compute: draw a full page ({widget.size.height} lines)    {ms(statistics.median(draws))} median")
        presses = []
        for key in ["up"] * 60 + ["pageup"] * 20 + ["down"] * 40:
            presses.append(await until_frame(app, lambda: app.post_message(events.Key(key, None))))
        print(f"  key to frame (up/pageup/down x120)      {ms(statistics.median(presses))} median, "
              f"{ms(p95(presses))} p95")
        grown = entries + timeline_entries(5_001)[-1:]
        widget.action_cursor_last()
        appended = await until_frame(app, lambda: widget.set_entries(grown))
        print(f"  one more entry at the tail to frame     {ms(appended)}")


async def main() -> None:
    rows = incident_rows(10_000)
    await bench_datatable(rows)
    await bench_incident_list(rows)
    await bench_timeline(timeline_entries(5_000))


if __name__ == "__main__":
    asyncio.run(main())
