"""The yardsticks: the smallest Textual apps doing the work the cockpit's figures time.

Each runs in a measured process (``bench.child``), in the same pseudo-terminal, with the
same frame hook and the same keys written to the terminal's input as ictui's, and the
benchmark alternates them with ictui's runs (issue 27):

- ``baseline``: Header, a DataTable of 50 rows, Footer, painted once: the first frame,
  the list on screen (its table is in its first frame) and the peak memory of a start;
- ``baseline-interact DB``: a DataTable of the first 10,000 incidents of DB (number,
  severity, status, title, IC) beside a Log that shows the highlighted row's lines (the
  newest incident: 5,000 of them), a note Input and a filter Input. Timed as ictui's
  session: ``j``/``k`` and page keys moving the table's cursor (the baseline of the list's
  and the timeline's keys), the cursor moved onto the row with 5,000 lines (opening the
  big incident), ``enter`` in the note Input appending its line to the Log (the note),
  and letters typed into the filter refilling the table with the rows that hold every
  word (the filter);
- ``baseline-form``: the start app, and a ``ModalScreen`` with a title, four Inputs and
  a line of keys pushed by ``f``: its first opening in the fresh process, then three
  later ones (the forms' first and later openings).

A frame "shows" the table's cursor, row count and filter, or the Log's line count, as
ictui's line lists do (bench.probe): their ``render_lines`` records what they drew.
"""

from __future__ import annotations

import asyncio
import sqlite3
import statistics
import time
import traceback
from functools import partial
from typing import Any

from bench.probe import PROBE, Drawn
from bench.screen_text import ScreenText

BIG_LINES = 5_000
ROWS = 10_000
MODAL_SHOWS = ("Baseline form", "ctrl+s saves · escape cancels")
WARM_OPENS = 3
DOWN, UP = b"j", b"k"


def incident_rows(db: str, limit: int = ROWS) -> list[tuple[str, ...]]:
    """The newest ``limit`` incidents of a SQLite file, as the table shows them."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
        rows = connection.execute(
            "SELECT i.number, i.severity, i.status, i.title, COALESCE(p.name, '') FROM incident i "
            "LEFT JOIN person p ON p.id = i.ic_id ORDER BY i.number DESC LIMIT ?",
            (limit,),
        ).fetchall()
    return [(f"#{n}", str(sev), str(status).lower(), title, ic) for n, sev, status, title, ic in rows]


def matches(rows: list[tuple[str, ...]], text: str) -> list[tuple[str, ...]]:
    """The rows holding every word of ``text`` in their number, title or IC."""
    wanted = text.lower().split()
    if not wanted:
        return rows
    return [row for row in rows if all(w in f"{row[0]} {row[3]} {row[4]}".lower() for w in wanted)]


def lines_for(row: int) -> list[str]:
    count = BIG_LINES if row == 0 else 8
    return [
        f"14:{n % 60:02d}  entry {n}: checked the dashboards, error rate back to normal" for n in range(count)
    ]


def interact_app(rows: list[tuple[str, ...]]) -> Any:
    from textual.app import App, ComposeResult
    from textual.binding import Binding
    from textual.containers import Horizontal
    from textual.widgets import DataTable, Footer, Header, Input, Log

    class Table(DataTable[str]):
        BINDINGS = [Binding("j", "cursor_down", show=False), Binding("k", "cursor_up", show=False)]
        filter_text = ""

        def render_lines(self, crop: Any) -> Any:
            strips = super().render_lines(crop)
            PROBE.drawn["table"] = Drawn(self.cursor_row, self.row_count, self.filter_text)
            return strips

    class Lines(Log):
        def render_lines(self, crop: Any) -> Any:
            strips = super().render_lines(crop)
            PROBE.drawn["log"] = Drawn(-1, self.line_count, None)
            return strips

    class Baseline(App[None]):
        CSS = "Table { width: 1fr; } Lines { width: 2fr; } Input { height: 3; }"
        BINDINGS = [Binding("n", "focus('note')"), Binding("slash", "focus('filter')")]

        def compose(self) -> ComposeResult:
            yield Header()
            with Horizontal():
                yield Table(id="table", cursor_type="row")
                yield Lines(id="log")
            yield Input(id="note", placeholder="Note")
            yield Input(id="filter", placeholder="Filter")
            yield Footer()

        def on_mount(self) -> None:
            table = self.query_one(Table)
            table.add_columns("#", "Severity", "Status", "Title", "IC")
            table.add_rows(rows)
            table.focus()

        # The Log follows the table's cursor while opening rows is timed (the big incident
        # opened), not while the cursor moves (a cursor move in a DataTable, nothing else).
        follow = True

        def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
            if not self.follow:
                return
            log = self.query_one(Lines)
            log.clear()
            log.write_lines(lines_for(event.cursor_row if self.query_one(Table).filter_text == "" else 1))

        def on_input_submitted(self, event: Input.Submitted) -> None:
            if event.input.id == "note" and event.value:
                self.query_one(Lines).write_line(event.value)
                event.input.value = ""

        def on_input_changed(self, event: Input.Changed) -> None:
            if event.input.id != "filter":
                return
            table = self.query_one(Table)
            table.clear()
            table.filter_text = event.value.strip().lower()
            table.add_rows(matches(rows, event.value))

        def key_escape(self) -> None:
            self.query_one(Table).focus()

    return Baseline()


def form_app() -> Any:
    from textual.app import App, ComposeResult
    from textual.containers import Vertical
    from textual.screen import ModalScreen
    from textual.widgets import DataTable, Footer, Header, Input, Label

    class Form(ModalScreen[None]):
        CSS = "Form { align: center middle; } Form > Vertical { width: 70; height: auto; border: round $accent; }"
        BINDINGS = [("escape", "dismiss", "Cancel")]

        def compose(self) -> ComposeResult:
            with Vertical():
                yield Label(MODAL_SHOWS[0])
                for name in ("Title", "Severity", "Summary", "Reported by"):
                    yield Input(placeholder=name)
                yield Label(MODAL_SHOWS[1])

    class Baseline(App[None]):
        BINDINGS = [("f", "form", "Form")]

        def compose(self) -> ComposeResult:
            yield Header()
            yield DataTable()
            yield Footer()

        def on_mount(self) -> None:
            table = self.query_one(DataTable)
            table.add_columns("#", "Severity", "Status", "Title", "IC")
            table.add_rows(
                (f"#{n}", "SEV3", "investigating", f"Incident number {n}", "Ana Ruiz")
                for n in range(50, 0, -1)
            )

        def action_form(self) -> None:
            self.push_screen(Form())

    return Baseline()


def _holds(box: Any, text: str) -> bool:
    return bool(box.value == text)


class BaselineSession:
    """The baseline's session, as bench.script's Scenario types ictui's."""

    def __init__(self, app: Any, keys_fd: int, rows: list[tuple[str, ...]]) -> None:
        from bench.script import Scenario

        self.app = app
        self.rows = rows
        self.keys = Scenario.__new__(Scenario)  # press, until, timed, settle, paced
        self.keys.app, self.keys.keys_fd = app, keys_fd

    def drawn(self, widget_id: str) -> Drawn:
        return PROBE.shows(widget_id) or Drawn(-1, -1, None)

    def moved(self, before: int, table: Any) -> bool:
        """The table drawn with its cursor moved off ``before``, where it is now."""
        cursor = self.drawn("table").cursor
        return cursor not in (before, -1) and cursor == table.cursor_row

    def logged(self, lines: int) -> bool:
        return self.drawn("log").count == lines

    def filtered(self, text: str, rows: int) -> bool:
        drawn = self.drawn("table")
        return drawn.filter == text and drawn.count == rows

    async def run(self) -> dict[str, Any]:
        k = self.keys
        await k.until(lambda: self.drawn("log").count == BIG_LINES, "the first row's lines")
        await k.settle()
        opened = await self.open_big()
        self.app.follow = False
        return {
            "open_ms": opened,
            "key_ms": await self.move(),
            "note_ms": await self.notes(),
            "filter_key_ms": await self.filter(),
        }

    async def open_big(self, opens: int = 8) -> list[float]:
        from bench.script import LOOK

        k, times = self.keys, []
        for _ in range(opens):
            k.press(DOWN)
            await k.until(lambda: self.drawn("table").cursor == 1 and self.drawn("log").count == 8, "row 1")
            await k.settle()
            await asyncio.sleep(LOOK)
            times.append(
                await k.timed(
                    UP,
                    lambda: self.drawn("table").cursor == 0 and self.drawn("log").count == BIG_LINES,
                    "the 5,000 lines",
                )
            )
            await k.settle()
        return times

    async def move(self) -> list[float]:
        from bench.script import PAGE_DOWN, PAGE_UP

        k, times = self.keys, []
        keys = [DOWN] * 60 + [PAGE_DOWN] * 5 + [UP] * 30 + [PAGE_UP] * 5 + [UP] * 30
        table = self.app.query_one("#table")
        for key in keys:
            before = table.cursor_row
            started = time.monotonic()
            if before == (0 if key in (UP, PAGE_UP) else table.row_count - 1):
                k.press(key)  # at the end of a small table: nothing moves, nothing to time
            else:
                times.append(
                    await k.timed(
                        key,
                        partial(self.moved, before, table),
                        "a move",
                    )
                )
            await k.paced(started)
        await k.settle()
        return times

    async def notes(self, count: int = 30) -> list[float]:
        from bench.script import ENTER, ESCAPE

        k, note = self.keys, self.app.query_one("#note")
        k.press(b"n")
        await k.until(lambda: self.app.focused is note, "the note input to have focus")
        times = []
        for number in range(count):
            text = f"bench note {number}: checked the dashboards again"
            k.press(text.encode())
            await k.until(partial(_holds, note, text), "the note to be typed")
            await asyncio.sleep(0.05)
            before = self.drawn("log").count
            times.append(await k.timed(ENTER, partial(self.logged, before + 1), "the note"))
            await k.settle()
        k.press(ESCAPE)
        await k.until(lambda: self.app.focused is not note, "the note input to lose focus")
        return times

    async def filter(self) -> list[float]:
        from bench.script import ESCAPE, FILTERS, TYPING_INTERVAL

        k, box = self.keys, self.app.query_one("#filter")
        k.press(b"/")
        await k.until(lambda: self.app.focused is box, "the filter to have focus")
        times = []
        for query in FILTERS:
            typed = [query[:n] for n in range(1, len(query) + 1)]
            for text in typed + typed[-2::-1] + [""]:
                key = text[-1].encode() if len(text) > len(box.value) else b"\x7f"
                wanted = text.strip().lower()
                changed = wanted != self.drawn("table").filter
                count = len(matches(self.rows, text))
                started = time.monotonic()
                latency = await k.timed(
                    key,
                    partial(self.filtered, wanted, count),
                    f"the table filtered by {text!r}",
                )
                if changed:
                    times.append(latency)
                await k.paced(started, TYPING_INTERVAL)
        k.press(ESCAPE)
        await k.settle()
        return times


async def form_openings(app: Any, keys_fd: int) -> dict[str, Any]:
    from bench.script import ESCAPE, LOOK, Scenario

    k = Scenario.__new__(Scenario)
    k.app, k.keys_fd = app, keys_fd
    PROBE.screen = ScreenText()
    app.screen.refresh()
    await k.settle()
    base = app.screen

    async def opened() -> float:
        ms = await k.timed(b"f", lambda: PROBE.screen.shows(*MODAL_SHOWS), "the baseline form")
        await k.settle()
        k.press(ESCAPE)
        await k.until(
            lambda: app.screen is base and not PROBE.screen.shows(MODAL_SHOWS[0]), "the form to close"
        )
        await k.settle()
        await asyncio.sleep(LOOK)
        return ms

    cold = await opened()
    warm = [await opened() for _ in range(WARM_OPENS)]
    return {"cold_ms": cold, "warm_ms": warm}


def run(mode: str, result: dict[str, Any], db: str = "") -> int:
    """``baseline-interact DB``, ``baseline-form`` or ``baseline-first-write KIND`` in this
    process (bench.child)."""
    import os

    from bench.probe import install_frame_hook

    keys_fd = int(os.environ["BENCH_KEYS_FD"])
    rows = incident_rows(db) if mode == "baseline-interact" else []
    if mode == "baseline-first-write":  # db: the kind, form or note
        app = first_write_app()
    else:
        app = interact_app(rows) if mode == "baseline-interact" else form_app()

    async def script() -> None:
        try:
            if mode == "baseline-interact":
                result.update(await BaselineSession(app, keys_fd, rows).run())
            elif mode == "baseline-first-write":
                result.update(await first_write(app, keys_fd, db))
            else:
                result.update(await form_openings(app, keys_fd))
        except Exception:  # noqa: BLE001 (reported to the parent, which stops the benchmark with it)
            result["error"] = traceback.format_exc()
        finally:
            app.exit()

    def painted(_app: Any) -> None:
        if "first_frame" not in result:
            result["first_frame"] = result["list_populated"] = PROBE.first_frame
            asyncio.get_running_loop().create_task(script())

    install_frame_hook()
    PROBE.on_frame = painted
    app.run()
    return 0


def figures(result: dict[str, Any]) -> dict[str, float]:
    """One baseline session's figures, named as the targets read them (bench.figures)."""
    from bench.figures import p95

    return {
        "open_ms": statistics.median(result["open_ms"]),
        "key_p95_ms": p95(result["key_ms"]),
        "note_p95_ms": p95(result["note_ms"]),
        "filter_p95_ms": p95(result["filter_key_ms"]),
        "session_maxrss_mb": result["maxrss_kb"] / 1024,
    }


def form_figures(results: list[dict[str, Any]]) -> dict[str, float]:
    return {
        "modal_cold_ms": statistics.median(r["cold_ms"] for r in results),
        "modal_warm_ms": statistics.median(statistics.median(r["warm_ms"]) for r in results),
    }


# ---------------------------------------------------------------------- the first write

FIRST_WRITE_FORM = ("Baseline declare", "ctrl+s saves · escape cancels")


def first_write_app() -> Any:
    """The yardstick of a first write: a table and a Log; ``f`` pushes a ModalScreen whose
    answer (``ctrl+s``) becomes the table's first row and the header's line; ``n`` focuses
    an Input whose ``enter`` appends its line to the Log."""
    from textual.app import App, ComposeResult
    from textual.binding import Binding
    from textual.containers import Horizontal, Vertical
    from textual.screen import ModalScreen
    from textual.widgets import DataTable, Footer, Header, Input, Label, Log, Static

    class Form(ModalScreen[str]):
        CSS = "Form { align: center middle; } Form > Vertical { width: 70; height: auto; border: round $accent; }"
        BINDINGS = [Binding("ctrl+s", "save", priority=True), ("escape", "dismiss", "Cancel")]

        def compose(self) -> ComposeResult:
            with Vertical():
                yield Label(FIRST_WRITE_FORM[0])
                yield Input(placeholder="Title", id="title")
                yield Label(FIRST_WRITE_FORM[1])

        def action_save(self) -> None:
            self.dismiss(self.query_one(Input).value)

    class Baseline(App[None]):
        CSS = "#table { width: 1fr; } #right { width: 2fr; } #shown { height: 2; } Input { height: 3; }"
        BINDINGS = [("f", "form", "Form"), ("n", "focus('note')", "Note")]

        def compose(self) -> ComposeResult:
            yield Header()
            with Horizontal():
                yield DataTable(id="table")
                with Vertical(id="right"):
                    yield Static("#50 Incident number 50", id="shown")
                    yield Log(id="log")
            yield Input(id="note", placeholder="Note")
            yield Footer()

        def on_mount(self) -> None:
            table = self.query_one(DataTable)
            table.add_columns("#", "Severity", "Status", "Title", "IC")
            table.add_rows(
                (f"#{n}", "SEV3", "investigating", f"Incident number {n}", "Ana Ruiz")
                for n in range(50, 0, -1)
            )
            self.query_one(Log).write_lines(f"14:{n:02d}  entry {n}" for n in range(8))
            table.focus()

        def action_form(self) -> None:
            self.push_screen(Form(), self.answered)

        def answered(self, title: str | None) -> None:
            if not title:
                return
            table = self.query_one(DataTable)
            table.add_row("#51", "SEV3", "triage", title, "Ana Ruiz")
            table.sort(table.ordered_columns[0].key, reverse=True)
            self.query_one("#shown", Static).update(f"#51 {title}")

        def on_input_submitted(self, event: Input.Submitted) -> None:
            if event.value:
                self.query_one(Log).write_line(f"14:59 note  bench  {event.value}")
                event.input.value = ""

    return Baseline()


async def first_write(app: Any, keys_fd: int, kind: str) -> dict[str, Any]:
    """``form``: ``f``, a title typed, ``ctrl+s`` timed until the app shows it; ``note``:
    ``n``, a text typed, ``enter`` timed until the Log shows it."""
    import resource

    from bench.script import ENTER, LOOK, Scenario

    k = Scenario.__new__(Scenario)
    k.app, k.keys_fd = app, keys_fd
    await k.settle()
    await asyncio.sleep(LOOK)
    PROBE.screen = ScreenText()
    PROBE.screen.fill_from(app.screen)  # idle: what the terminal shows
    text = f"bench first {kind} {time.time_ns() % 1_000_000:06d}"
    if kind == "form":
        k.press(b"f")
        await k.until(lambda: PROBE.screen.shows(*FIRST_WRITE_FORM), "the baseline's form")
        field = app.screen.query_one("#title")
        final = b"\x13"

        def shown() -> bool:
            return not PROBE.screen.shows(FIRST_WRITE_FORM[0]) and PROBE.screen.shows(f"#51 {text}")
    else:
        field = app.query_one("#note")
        k.press(b"n")
        await k.until(lambda: app.focused is field, "the note input to have focus")
        final = ENTER

        def shown() -> bool:
            return PROBE.screen.shows(f"note  bench  {text}")

    await k.settle()
    k.press(text.encode())
    await k.until(lambda: field.value == text, "the text to be typed")
    await asyncio.sleep(0.05)
    ms = await k.timed(final, shown, f"the baseline's {kind}")
    return {"kind": kind, "ms": ms, "peak_after_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}
