"""The first write of every kind on a fresh cockpit, timed from its last key to the frame
that shows it (issue 25: within 100 ms on SQLite, p95, and at most 1.3× that on
PostgreSQL over loopback).

    python -m bench --only first-writes              # both engines, 5 runs of each kind
    python -m bench --only first-writes --quick      # 3 runs of each kind

Each run is ONE fresh cockpit process (``bench.child first-write DB KIND``, which runs
bench.first_write_scenario) in the
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

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.figures import p95

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
