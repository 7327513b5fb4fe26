"""The first write of every kind on a fresh cockpit, timed from its last key to the frame
that shows it (issue 25: within 100 ms on SQLite, p95, and at most 1.3× that on
PostgreSQL over loopback).

    python -m bench --only first-writes              # both engines, 5 runs of each kind
    python -m bench --only first-writes --quick      # 3 runs of each kind

Each run is ONE fresh cockpit process (``bench.child first-write DB KIND``) in the
pseudo-terminal, on a fresh copy of the large database (a new SQLite file, or a new
PostgreSQL database made from the loaded template). Once the whole list and the newest
incident are on screen and the cockpit is idle, the IC makes one write:

- ``D`` declare: the title typed, ``ctrl+s`` timed until the list and the header show it;
- ``s`` status: the status the menu offers first, ``enter`` timed until the header shows it;
- ``i`` role: the IC role to someone else on the roster, ``enter`` timed until the header
  names them;
- ``c`` update: the composer's template, ``ctrl+s`` timed until its line is in the
  timeline (a question the cockpit asks first is answered ``y``, and timed from that key);
- ``n`` note: the text typed, ``enter`` timed until its line is in the timeline.

"Shows" is read off the terminal's characters (bench.screen_text) inside the region of
the widget that shows it (the header, the list, the timeline): a toast that says the same
words does not count. The process's peak memory is read before the key and after the
write shows. The parent then reads the database: the write must have landed on the
incident meant (a run whose write is missing or elsewhere stops the benchmark).

Beside each kind, its yardstick, in fresh processes alternating with ictui's (issue 27):
the smallest Textual app whose ModalScreen's answer (``ctrl+s``) is shown in the app, for
the forms; an Input whose ``enter`` appends its line to a Log, for the note
(bench.baseline ``baseline-first-write``). The issue's targets are absolute; the ratios
are given for reading the figures on another machine, not as targets.
"""

from __future__ import annotations

import asyncio
import resource
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.figures import p95
from bench.probe import PROBE
from bench.screen_text import ScreenText
from bench.script import ENTER, LOOK, Scenario, ScenarioFailed

TARGET_MS = 100.0  # SQLite, p95 (issue 25)
SERVER_FACTOR = 1.3  # PostgreSQL over loopback: at most this times SQLite's p95
RUNS, QUICK_RUNS = 5, 3
CTRL_S = b"\x13"
DOWN_ARROW = b"\x1b[B"
USER = "bench"  # ICTUI_USER in bench.terminal.child_env: the author of what is written


@dataclass(frozen=True)
class Kind:
    name: str  # as the results name it
    key: str  # the key that opens it, as docs/keys.md writes it
    label: str
    final: str  # the key timed
    baseline: str  # form | note (bench.baseline)


KINDS = (
    Kind("declare", "D", "declare (title, ctrl+s)", "ctrl+s", "form"),
    Kind("status", "s", "status change (enter on the next status)", "enter", "form"),
    Kind("role", "i", "role assignment (IC, someone on the roster, enter)", "enter", "form"),
    Kind("update", "c", "update (the composer's template, ctrl+s)", "ctrl+s", "form"),
    Kind("note", "n", "note (text, enter)", "enter", "note"),
)
BY_NAME = {k.name: k for k in KINDS}
BASELINE_LABELS = {
    "form": "a ModalScreen's answer (ctrl+s) shown in a fresh app",
    "note": "enter in an Input appends its line to a Log, in a fresh app",
}


def _peak_kb() -> int:
    return int(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def region_lines(region: Any) -> list[str]:
    """The terminal's characters inside ``region`` (a Textual Region), line by line."""
    lines = PROBE.screen.text()
    return [line[region.x : region.x + region.width] for line in lines[region.y : region.y + region.height]]


def region_shows(region: Any, *texts: str) -> bool:
    """Whether one line inside ``region`` holds every one of ``texts``."""
    return any(all(text in line for text in texts) for line in region_lines(region))


# ---------------------------------------------------------------------- in the measured process


async def run_first_write(app: Any, keys_fd: int, result: dict[str, Any], kind: str) -> None:
    try:
        result.update(await FirstWrite(app, keys_fd, BY_NAME[kind]).run())
    except Exception:  # noqa: BLE001 - reported to the parent, which stops the benchmark with it
        result["error"] = traceback.format_exc()
        if PROBE.screen is not None:
            result["error"] += "\nThe screen showed:\n" + PROBE.screen.dump()
            truth = ScreenText()
            truth.fill_from(app.screen)
            result["error"] += "\nComposed:\n" + truth.dump()
    finally:
        app.exit()


class FirstWrite(Scenario):
    def __init__(self, app: Any, keys_fd: int, kind: Kind) -> None:
        super().__init__(app, keys_fd)
        self.kind = kind
        self.tag = f"{kind.name} {time.time_ns() % 1_000_000:06d}"  # a text no other run wrote

    def region(self, selector: str) -> Any:
        return self.screen.query_one(selector).region

    async def quiet(self) -> None:
        await self.until(lambda: self.app.typeahead.idle, "the keys to be handled")
        await self.settle()

    async def ready(self) -> int:
        """The cockpit as an IC finds it: the whole list, the newest incident drawn, idle."""
        await self.until(lambda: self.app.store is not None and self.screen._revision >= 0, "the whole list")
        number = self.incidents._rows[0].number
        await self.incident_drawn(number)
        await self.quiet()
        await asyncio.sleep(LOOK)
        PROBE.screen = ScreenText()
        PROBE.screen.fill_from(self.app.screen)  # idle: what the terminal shows
        return number

    async def run(self) -> dict[str, Any]:
        started = time.monotonic()
        number = await self.ready()
        ready_s = time.monotonic() - started
        write = getattr(self, f"_{self.kind.name}")
        done: dict[str, Any] = await write(number)
        shown_at = time.monotonic()
        peak_after = _peak_kb()
        await self.quiet()
        return {
            "kind": self.kind.name,
            "number": number,
            "ready_s": round(ready_s, 3),
            "peak_before_kb": done.pop("peak_before_kb"),
            "peak_after_kb": peak_after,
            "peak_settled_kb": _peak_kb(),
            "settled_after_ms": round((time.monotonic() - shown_at) * 1000, 1),
            **done,
        }

    async def _final(self, key: bytes, shown: Callable[[], bool], what: str) -> dict[str, Any]:
        """The last key timed until ``shown``; a question asked first is answered ``y``."""
        from ictui.tui.screens.forms import ConfirmModal

        await asyncio.sleep(0.05)
        peak_before = _peak_kb()
        started = self.press(key)
        try:
            painted = await PROBE.painted(lambda: shown() or isinstance(self.app.screen, ConfirmModal), 30.0)
        except TimeoutError:
            raise ScenarioFailed(f"no frame showed {what} within 30 s") from None
        asked = None
        if not shown():  # a question first
            asked = PROBE.screen.dump()
            await asyncio.sleep(0.05)
            started = self.press(b"y")
            try:
                painted = await PROBE.painted(shown, 30.0)
            except TimeoutError:
                raise ScenarioFailed(f"no frame showed {what} within 30 s of y") from None
        return {"ms": (painted - started) * 1000, "asked": asked, "peak_before_kb": peak_before}

    async def _type(self, text: str, field: Any) -> None:
        self.press(text.encode())
        await self.until(lambda: field.value == text, "the text to be typed")

    # ------------------------------------------------------------------ the five writes

    async def _declare(self, _number: int) -> dict[str, Any]:
        title = f"bench first {self.tag}"
        self.press(b"D")
        await self.until(lambda: PROBE.screen.shows("Declare an incident"), "the declare form")
        await self.quiet()
        await self._type(title, self.app.screen.query_one("#title"))
        header, listed = self.region("#incident-header"), self.region("#incident-list")
        done = await self._final(
            CTRL_S,
            # The list's title column is narrow: it shows the start of the title.
            lambda: region_shows(header, title) and region_shows(listed, title[:16]),
            "the new incident in the list and the header",
        )
        return {**done, "expect": {"title": title}}

    async def _status(self, number: int) -> dict[str, Any]:
        from ictui.domain.lifecycle import next_forward

        current = self.screen.state.view.status
        new = next_forward(current)
        if new is None:
            raise ScenarioFailed(f"#{number} is {current}: no status forward")
        self.press(b"s")
        await self.until(lambda: PROBE.screen.shows(f"#{number}: {current} → ?"), "the status menu")
        await self.quiet()
        header = self.region("#incident-header")
        done = await self._final(
            ENTER,
            lambda: (
                not PROBE.screen.shows(" → ?") and region_shows(header, f" {new} · ") and self._header(number)
            ),
            f"{new} in the header",
        )
        return {**done, "expect": {"number": number, "status": str(new)}}

    def _header(self, number: int) -> bool:
        return region_shows(self.region("#incident-header"), f"#{number} ")

    async def _role(self, number: int) -> dict[str, Any]:
        view = self.screen.state.view
        current = view.ic.email if view.ic else None
        self.press(b"i")
        await self.until(lambda: PROBE.screen.shows(f"Assign a role on #{number}"), "the roles form")
        await self.quiet()
        form = self.app.screen
        people = form.query_one("#person")
        for _ in range(len(form.people) + len(form.suggestions) + 1):
            option = people.highlighted_option
            if option is not None and option.id != current:
                break
            self.press(DOWN_ARROW)
            await asyncio.sleep(0.03)
            await self.quiet()
        else:
            raise ScenarioFailed("no one on the roster but the IC")
        email = option.id
        name = next(p.name for p in (*form.people, *(p for p, _ in form.suggestions)) if p.email == email)
        header = self.region("#incident-header")
        done = await self._final(
            ENTER,
            lambda: (
                not PROBE.screen.shows("Assign a role on #")
                and region_shows(header, f"IC {name} · ")
                and self._header(number)
            ),
            f"IC {name} in the header",
        )
        return {**done, "expect": {"number": number, "email": email, "role": "IC"}}

    async def _update(self, number: int) -> dict[str, Any]:
        composer = self.screen.query_one("#composer")
        self.press(b"c")
        await self.until(
            lambda: self.app.focused is not None and composer in self.app.focused.ancestors_with_self,
            "the composer to have focus",
        )
        await self.quiet()
        first = composer.text.strip().partition("\n")[0].strip()
        timeline = self.region("#timeline")
        before = self.drawn("timeline").count
        done = await self._final(
            CTRL_S,
            lambda: (
                self.drawn("timeline").count == before + 1 and region_shows(timeline, "✉", USER, first[:20])
            ),
            "the update in the timeline",
        )
        return {**done, "expect": {"number": number, "first_line": first}}

    async def _note(self, number: int) -> dict[str, Any]:
        shown_as = f"bench first {self.tag}"  # what a narrow timeline still shows of it
        text = f"{shown_as}: checked the dashboards"
        note = self.screen.query_one("#note-input")
        self.press(b"n")
        await self.until(lambda: self.app.focused is note, "the note line to open")
        await self.quiet()
        await self._type(text, note)
        timeline = self.region("#timeline")
        before = self.drawn("timeline").count
        done = await self._final(
            ENTER,
            lambda: (
                self.drawn("timeline").count == before + 1 and region_shows(timeline, "✎", USER, shown_as)
            ),
            "the note in the timeline",
        )
        return {**done, "expect": {"number": number, "text": text}}


# ---------------------------------------------------------------------- the write, read back


def check_written(db: str, kind: str, expect: dict[str, Any]) -> str | None:
    """What is wrong with the database after the write (None: it landed where meant)."""
    if db.startswith("postgresql"):
        import psycopg

        connection: Any = psycopg.connect(db.replace("postgresql+psycopg://", "postgresql://"))
        mark = "%s"
    else:
        import sqlite3

        connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        mark = "?"
    try:

        def one(sql: str, *args: Any) -> Any:
            return connection.execute(sql.replace("?", mark), args).fetchall()

        if kind == "declare":
            rows = one("SELECT number FROM incident WHERE title = ?", expect["title"])
            return None if len(rows) == 1 else f"{len(rows)} incidents titled {expect['title']!r}"
        (incident_id,) = one("SELECT id FROM incident WHERE number = ?", expect["number"])[0]
        if kind == "status":
            (status,) = one("SELECT status FROM incident WHERE id = ?", incident_id)[0]
            return None if status.lower() == expect["status"].lower() else f"#{expect['number']} is {status}"
        if kind == "role":
            rows = one(
                "SELECT r.role FROM incident_role r JOIN person p ON p.id = r.person_id "
                "WHERE r.incident_id = ? AND p.email = ?",
                incident_id,
                expect["email"],
            )
            (ic,) = one(
                "SELECT p.email FROM incident i JOIN person p ON p.id = i.ic_id WHERE i.id = ?", incident_id
            )[0]
            if ic != expect["email"] or not rows:
                return f"#{expect['number']}'s IC is {ic}, roles of {expect['email']}: {rows}"
            return None
        if kind == "update":
            rows = one(
                "SELECT text FROM statusupdate WHERE incident_id = ? AND author = ? AND state <> 'DRAFT'",
                incident_id,
                USER,
            )
            if len(rows) != 1 or not rows[0][0].startswith(expect["first_line"]):
                return f"updates by {USER} on #{expect['number']}: {[r[0][:60] for r in rows]}"
            return None
        rows = one(
            "SELECT COUNT(*) FROM timelineentry WHERE incident_id = ? AND text = ? AND author = ?",
            incident_id,
            expect["text"],
            USER,
        )
        return None if rows[0][0] == 1 else f"{rows[0][0]} notes {expect['text']!r} on #{expect['number']}"
    finally:
        connection.close()


# ---------------------------------------------------------------------- in the benchmark


def measure(
    fresh_db: Callable[[], str],
    drop_db: Callable[[str], None],
    runs: int,
    say: Callable[[str], None],
    engine: str,
) -> dict[str, Any]:
    """``runs`` fresh cockpits per kind on fresh databases, each after its yardstick's fresh
    process; the database read back after each write."""
    from bench.terminal import run_child

    raw: dict[str, list[dict[str, Any]]] = {k.name: [] for k in KINDS}
    base: dict[str, list[dict[str, Any]]] = {"form": [], "note": []}
    for number in range(runs):
        for kind in KINDS:
            yardstick = run_child(["baseline-first-write", kind.baseline], timeout=120).result
            if "error" in yardstick:
                raise RuntimeError(f"the baseline's first write failed:\n{yardstick['error']}")
            base[kind.baseline].append(yardstick)
            db = fresh_db()
            try:
                result = run_child(["first-write", db, kind.name], timeout=180).result
                if "error" in result:
                    raise RuntimeError(f"the first {kind.label} failed on {engine}:\n{result['error']}")
                wrong = check_written(db, kind.name, result["expect"])
                if wrong is not None:
                    raise RuntimeError(
                        f"the first {kind.label} on {engine} did not land where meant: {wrong}"
                    )
            finally:
                drop_db(db)
            raw[kind.name].append(
                {k: v for k, v in result.items() if k != "asked"} | {"asked": bool(result.get("asked"))}
            )
        said = ", ".join(f"{name} {rows[-1]['ms']:.0f}" for name, rows in raw.items())
        say(f"    {engine} run {number + 1}/{runs}: {said} ms")
    return summarise(raw, base)


def summarise(raw: dict[str, list[dict[str, Any]]], base: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    import statistics

    baselines = {
        name: {
            "p50_ms": round(statistics.median(r["ms"] for r in runs), 1),
            "p95_ms": round(p95([r["ms"] for r in runs]), 1),
            "peak_mb": round(statistics.median(r["maxrss_kb"] for r in runs) / 1024, 1),
        }
        for name, runs in base.items()
        if runs
    }
    kinds = {}
    for kind in KINDS:
        runs = raw[kind.name]
        times = [r["ms"] for r in runs]
        yardstick = baselines[kind.baseline]
        kinds[kind.name] = {
            "runs": len(runs),
            "p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(p95(times), 1),
            "max_ms": round(max(times), 1),
            "ratio_p95": round(p95(times) / yardstick["p95_ms"], 2),
            "peak_before_mb": round(statistics.median(r["peak_before_kb"] for r in runs) / 1024, 1),
            "peak_after_mb": round(statistics.median(r["peak_after_kb"] for r in runs) / 1024, 1),
            "peak_mb": round(statistics.median(r["maxrss_kb"] for r in runs) / 1024, 1),
            "asked": sum(bool(r["asked"]) for r in runs),
            "ms": [round(t, 1) for t in times],
        }
    return {"kinds": kinds, "baselines": baselines, "raw": raw}


def assess(results: dict[str, Any]) -> dict[str, Any]:
    """Each kind against issue 25's targets: SQLite p95 ≤ 100 ms; PostgreSQL p95 ≤ 1.3× SQLite's."""
    sqlite = results["sqlite"]["kinds"]
    server = (results.get("postgresql") or {}).get("kinds") or {}
    met: dict[str, Any] = {}
    for kind in KINDS:
        row = {"sqlite": sqlite[kind.name]["p95_ms"] <= TARGET_MS}
        if kind.name in server:
            row["postgresql"] = server[kind.name]["p95_ms"] <= SERVER_FACTOR * sqlite[kind.name]["p95_ms"]
        met[kind.name] = row
    return met


def markdown(results: dict[str, Any]) -> str:
    """The section of the report: each kind's p50 and p95 on each engine beside its target."""
    sqlite = results["sqlite"]
    server = results.get("postgresql")
    met = results.get("met") or assess(results)
    lines = [
        f"First write of each kind on a fresh cockpit ({results['incidents']:,} incidents): its last key → the "
        f"first frame that shows it (in the list or header, or the timeline), {sqlite['runs']} fresh "
        f"process{'es' if sqlite['runs'] != 1 else ''} per kind on SQLite"
        + (f" and {server['runs']} on PostgreSQL over loopback" if server else "")
        + ", each on a fresh copy of the database, the write read back from it. "
        f"Targets (issue 25): p95 ≤ {TARGET_MS:.0f} ms on SQLite; on PostgreSQL p95 ≤ {SERVER_FACTOR:g}× "
        "SQLite's. The ratio to the yardstick (the smallest Textual app doing the same, fresh process, "
        "in the same run) is for reading the figures on another machine: not a target. ✗ = target missed.",
        "",
        "| First … | SQLite p50 | SQLite p95 | Target | Peak after | × yardstick (p95) "
        + ("| PostgreSQL p50 | PostgreSQL p95 | Target | Peak after " if server else "")
        + "|",
        "|---|---:|---:|---|---:|---:|" + ("---:|---:|---|---:|" if server else ""),
    ]
    for kind in KINDS:
        row = sqlite["kinds"][kind.name]
        cells = (
            f"| `{kind.key}` {kind.label} | {row['p50_ms']:.0f} ms | {row['p95_ms']:.0f} ms"
            f"{'' if met[kind.name]['sqlite'] else ' ✗'} | ≤ {TARGET_MS:.0f} ms | {row['peak_after_mb']:.0f} MB | "
            f"{row['ratio_p95']:.1f}× |"
        )
        if server:
            on = server["kinds"][kind.name]
            bound = SERVER_FACTOR * row["p95_ms"]
            cells += (
                f" {on['p50_ms']:.0f} ms | {on['p95_ms']:.0f} ms{'' if met[kind.name]['postgresql'] else ' ✗'} | "
                f"≤ {bound:.0f} ms ({SERVER_FACTOR:g}× SQLite) | {on['peak_after_mb']:.0f} MB |"
            )
        lines.append(cells)
    lines += ["", "Yardsticks (p95, SQLite run):"]
    for name, label in BASELINE_LABELS.items():
        if name in sqlite["baselines"]:
            b = sqlite["baselines"][name]
            lines.append(
                f"- {label}: p50 {b['p50_ms']:.1f} ms, p95 {b['p95_ms']:.1f} ms, peak {b['peak_mb']:.0f} MB."
            )
    load = results.get("load_average")
    if load:
        lines += ["", f"Load average at the start and the end of this part: {load['start']}, {load['end']}."]
    asked = {k: r["asked"] for k, r in sqlite["kinds"].items() if r["asked"]}
    if asked:
        lines += [
            "",
            "A question was asked before the write (answered y, timed from y): "
            + ", ".join(f"{k} {n}×" for k, n in asked.items())
            + ".",
        ]
    return "\n".join(lines) + "\n"


def run(
    main_db: Path,
    incidents: int,
    runs: int,
    say: Callable[[str], None],
    scratch: Path,
    server: Any = None,
    server_runs: int | None = None,
) -> dict[str, Any]:
    """The first writes on SQLite (fresh copies of ``main_db``), then, with ``server`` (a
    bench.pg.Cluster holding a template database: ``(cluster, template)``), on PostgreSQL."""
    import os
    import shutil

    started_load = [round(x, 2) for x in os.getloadavg()]
    copies = iter(range(1_000_000))

    def fresh_file() -> str:
        target = scratch / f"first-write-{next(copies)}.db"
        shutil.copyfile(main_db, target)
        return str(target)

    def drop_file(path: str) -> None:
        for leftover in scratch.glob(f"{Path(path).name}*"):
            leftover.unlink()

    say(f"  first writes on SQLite: {runs} fresh cockpits of each kind, each after its yardstick's")
    results: dict[str, Any] = {
        "incidents": incidents,
        "sqlite": {"runs": runs, **measure(fresh_file, drop_file, runs, say, "SQLite")},
    }
    if server is not None:
        cluster, template = server
        count = server_runs or runs
        say(f"  first writes on PostgreSQL: {count} fresh cockpits of each kind")
        results["postgresql"] = {
            "runs": count,
            **measure(
                lambda: cluster.new_database(template), cluster.drop_database, count, say, "PostgreSQL"
            ),
        }
    results["load_average"] = {"start": started_load, "end": [round(x, 2) for x in os.getloadavg()]}
    results["met"] = assess(results)
    return results
