"""The benchmark: ictui's cockpit on a large database against the smallest Textual app.

    /work/.venv/bin/python -m bench            # the full run (about 6-9 minutes)
    /work/.venv/bin/python -m bench --quick    # fewer repeats, no 100,000-incident database

Every measurement is a fresh process in a 120x40 pseudo-terminal (see bench.terminal):
start-ups alternate between the baseline and ictui, so that load from other jobs on the
machine falls on both. The results go to bench/results/ as JSON and Markdown, with the
chart of how the figures grow from 1,000 to 100,000 incidents. The exit code is 1 when
a target is missed.

PostgreSQL (``--engines sqlite,postgresql``, the default where its binaries are found):
the benchmark starts a throwaway cluster on 127.0.0.1 (bench.pg), copies the large
database into it with ``ictui copy-to``, and measures the cockpit's figures again with
``--db URL`` (start-ups and interactive sessions, on the large database only), against
the same baseline; then it stops the cluster.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import baseline, first_writes, loop_hold, pg, search
from bench import dataset as ds
from bench.figures import (
    FIGURES,
    form_figures,
    interaction_figures,
    medians,
    startup_figures,
    typeahead_summary,
    worst_forms,
)
from bench.forms import OPENINGS, TYPEAHEAD
from bench.report import assess, machine, markdown, scaling_svg, typeahead_row
from bench.terminal import PYCACHE, REPO, ChildRun, child_env, run_child

MAIN_SIZE = 10_000
SCALING_SIZES = (1_000, 10_000, 100_000)
QUICK_SCALING_SIZES = (1_000, 10_000)
RESULTS_DIR = REPO / "bench" / "results"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="3 start-ups, 1 session, scaling to 10,000 only")
    parser.add_argument(
        "--startups", type=int, help="start-ups of each app on the large database (default 9)"
    )
    parser.add_argument("--sessions", type=int, help="interactive sessions on the large database (default 3)")
    parser.add_argument(
        "--cache", type=Path, default=ds.default_cache(), help="where generated databases are kept"
    )
    parser.add_argument(
        "--engines",
        type=_engines,
        default=None,
        help="sqlite,postgresql (default: both where PostgreSQL's initdb and pg_ctl are found) or sqlite",
    )
    parser.add_argument(
        "--sizes",
        type=_sizes,
        help="the databases' sizes, comma-separated (default 1000,10000,100000; with --quick 1000,10000); "
        "10000 is always measured",
    )
    parser.add_argument("--out", type=Path, default=RESULTS_DIR, help="where results are written")
    parser.add_argument(
        "--only",
        choices=PARTS,
        help="measure this part alone (first-writes: the first write of each kind on a fresh cockpit, "
        "both engines, on the 10,000-incident database); its results go to --out as first_writes.json "
        "and first_writes.md, and results.json is left as it is",
    )
    parser.add_argument(
        "--first-write-runs",
        type=int,
        help=f"fresh cockpits per kind of first write, on each engine (default {first_writes.RUNS}; "
        f"with --quick {first_writes.QUICK_RUNS})",
    )
    return parser.parse_args(argv)


PARTS = ("first-writes",)


ENGINES = ("sqlite", "postgresql")
# On PostgreSQL: the cockpit's figures on the large database (not the forms, not the scaling).
PG_STARTUPS, PG_SESSIONS = 5, 2


def _sizes(text: str) -> tuple[int, ...]:
    try:
        chosen = tuple(int(part.replace("_", "")) for part in text.split(",") if part.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"sizes are numbers of incidents, as 1000,10000: not {text!r}"
        ) from None
    if not chosen or min(chosen) < 100:
        raise argparse.ArgumentTypeError("each size is at least 100 incidents")
    return tuple(sorted({MAIN_SIZE, *chosen}))


def _engines(text: str) -> tuple[str, ...]:
    chosen = tuple(name.strip().lower() for name in text.split(",") if name.strip())
    unknown = [name for name in chosen if name not in ENGINES]
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown engine {', '.join(unknown)}: choose among {', '.join(ENGINES)}"
        )
    if "sqlite" not in chosen:
        raise argparse.ArgumentTypeError(
            "sqlite is always measured: its run gives the baseline, the scaling and the forms"
        )
    return chosen


def choose_engines(asked: tuple[str, ...] | None) -> tuple[tuple[str, ...], str | None]:
    """The engines to measure, and why PostgreSQL is not among them (None when it is, or
    when it was not asked for by name: then the reason is still given)."""
    reason = pg.unavailable_reason()
    if asked is None:
        return (ENGINES if reason is None else ("sqlite",)), reason
    if "postgresql" in asked and reason is not None:
        raise SystemExit(f"python -m bench: PostgreSQL was asked for but cannot be measured: {reason}")
    return asked, None if "postgresql" in asked else "not asked for (--engines sqlite)"


def say(message: str) -> None:
    print(message, flush=True)


def precompile() -> None:
    """Bytecode for every module a form may import: a cold opening is timed as installed,
    without compiling (the children keep their bytecode in PYCACHE, see bench.terminal)."""
    sources = [str(REPO / "src"), sysconfig.get_paths()["purelib"]]
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", "-j", "0", *sources],
        env=child_env(PYCACHE),
        cwd=REPO,
        capture_output=True,
        check=False,
    )


def startups(db: Path, count: int) -> tuple[list[dict[str, float]], list[dict[str, float]]]:
    """``count`` start-ups of ictui and of the baseline, each a fresh process, alternating."""
    ours: list[dict[str, float]] = []
    baseline: list[dict[str, float]] = []
    for _ in range(count):
        baseline.append(_startup(run_child(["baseline"])))
        ours.append(_startup(run_child(["start", str(db)])))
    return ours, baseline


def _startup(run: ChildRun) -> dict[str, float]:
    since = {key: run.since_start(key) for key in ("first_frame", "list_populated")}
    return startup_figures(since, run.result["maxrss_kb"])


def baseline_session(rows_from: Path) -> dict[str, float]:
    """The baseline's interactive session (bench.baseline): a 10,000-row DataTable of the
    incidents of ``rows_from``, a Log, a note and a filter Input."""
    run = run_child(["baseline-interact", str(rows_from)], timeout=600)
    if "error" in run.result:
        raise RuntimeError(f"the baseline's interactive session failed:\n{run.result['error']}")
    return baseline.figures(run.result)


def session(dataset: ds.Dataset, scratch: Path, db: str | None = None) -> dict[str, float]:
    """One interactive session: on a fresh copy of the dataset's file, or on ``db``."""
    run = run_child(["interact", db or str(ds.scratch_copy(dataset, scratch))], timeout=600)
    if "error" in run.result:
        raise RuntimeError(f"the interactive session failed:\n{run.result['error']}")
    figures = interaction_figures(run.result)
    figures.update({f"session_{k}": v for k, v in _startup(run).items() if k != "start_maxrss_mb"})
    return figures


def forms_session(
    dataset: ds.Dataset, scratch: Path
) -> tuple[dict[str, float], list[dict[str, Any]], list[dict[str, Any]]]:
    """Every form opened in its own fresh process, each after the baseline's modal in its
    own; then the type-ahead ones typed into."""
    db = str(ds.scratch_copy(dataset, scratch))
    runs = {}
    modals = []
    for form in OPENINGS:
        modal = run_child(["baseline-form"], timeout=120)
        if "error" in modal.result:
            raise RuntimeError(f"the baseline's modal failed:\n{modal.result['error']}")
        modals.append(modal.result)
        run = run_child(["form", db, form.slug], timeout=120)
        if "error" in run.result:
            raise RuntimeError(f"opening the {form.label} ({form.name}) failed:\n{run.result['error']}")
        runs[form.name] = run.result
    tries = []
    for form in TYPEAHEAD:
        run = run_child(["typeahead", db, form.slug], timeout=120)
        if "error" in run.result:
            raise RuntimeError(f"typing into the {form.label} ({form.name}) failed:\n{run.result['error']}")
        tries += [{"form": form.name, **attempt} for attempt in run.result["typeahead"]]
    return form_figures(runs), tries, modals


def measure_size(
    dataset: ds.Dataset,
    startups_count: int,
    sessions: int,
    scratch: Path,
    rows_from: Path,
    forms: bool = False,
) -> dict[str, Any]:
    """Start-ups and interactive sessions on one database, each alternating with the
    baseline's; with ``forms``, every form's openings (each after the baseline's modal)
    and the type-ahead, once per session. ``rows_from``: the baseline's 10,000 rows."""
    say(f"  {dataset.incidents:,} incidents: {startups_count} start-ups of each app")
    run_child(["start", str(dataset.path)])  # the file into the page cache: not measured
    ours, baseline_runs = startups(dataset.path, startups_count)
    start, started = medians(ours), medians(baseline_runs)
    say(
        f"    first frame {start['first_frame_ms']:.0f} ms, list {start['list_populated_ms']:.0f} ms "
        f"(baseline {started['first_frame_ms']:.0f} ms)"
    )
    interactions, yardsticks = [], []
    for number in range(sessions):
        say(
            f"  {dataset.incidents:,} incidents: interactive session {number + 1}/{sessions}, and the baseline's"
        )
        yardsticks.append(baseline_session(rows_from))
        interactions.append(session(dataset, scratch))
        _said(interactions[-1], yardsticks[-1])
    opened: list[dict[str, float]] = []
    tries: list[dict[str, Any]] = []
    modals: list[dict[str, Any]] = []
    for number in range(sessions if forms else 0):
        say(
            f"  {dataset.incidents:,} incidents: forms and screens {number + 1}/{sessions} "
            f"({len(OPENINGS)} + {len(OPENINGS)} baseline + {len(TYPEAHEAD)} fresh processes)"
        )
        session_forms, session_tries, session_modals = forms_session(dataset, scratch)
        opened.append(session_forms)
        tries += session_tries
        modals += session_modals
        worst = worst_forms(session_forms)
        typed = typeahead_summary(session_tries)
        modal = baseline.form_figures(session_modals)
        say(
            f"    first opening worst {worst['form_cold_worst_ms']:.0f} ms ({worst['form_cold_worst']}), "
            f"later worst {worst['form_warm_worst_ms']:.0f} ms ({worst['form_warm_worst']}); baseline modal "
            f"{modal['modal_cold_ms']:.0f} ms, later {modal['modal_warm_ms']:.0f} ms; "
            f"type-ahead {typed['arrived']} of {typed['typed']} keys arrived"
        )
    figures = {**start, **medians(interactions), **medians(opened)}
    worst = worst_forms(figures) if opened else {}
    figures.update({k: v for k, v in worst.items() if isinstance(v, float)})
    base = {
        "first_frame_ms": started["first_frame_ms"],
        "maxrss_mb": started["start_maxrss_mb"],
        **medians(yardsticks),
        **(baseline.form_figures(modals) if modals else {}),
    }
    targets = [assess(f, figures[f.key], base) for f in FIGURES if f.key in figures]
    result = {
        "incidents": dataset.incidents,
        "baseline": {k: round(v, 2) for k, v in base.items()},
        "figures": {k: round(v, 2) for k, v in figures.items()},
        "targets": targets,
        "runs": {
            "startup": ours,
            "baseline": baseline_runs,
            "interaction": interactions,
            "baseline_interaction": yardsticks,
            "forms": opened,
            "baseline_forms": [{k: r[k] for k in ("cold_ms", "warm_ms")} for r in modals],
        },
    }
    if opened:
        summary = typeahead_summary(tries)
        targets.append(typeahead_row(summary))
        result["forms"] = {
            "worst": {k: v for k, v in worst.items() if isinstance(v, str)},
            "typeahead": {**summary, "tries": tries},
        }
    return result


def _said(last: dict[str, float], base: dict[str, float]) -> None:
    say(
        f"    open {last['open_big_ms']:.0f} ms (baseline {base['open_ms']:.0f}), "
        f"list key p95 {last['list_key_p95_ms']:.1f} ms, timeline key p95 {last['timeline_key_p95_ms']:.1f} ms "
        f"(baseline {base['key_p95_ms']:.1f}), note p95 {last['note_p95_ms']:.1f} ms "
        f"(baseline {base['note_p95_ms']:.1f}), filter p95 {last['filter_p95_ms']:.1f} ms "
        f"(baseline {base['filter_p95_ms']:.1f}), peak {last['maxrss_mb']:.0f} MB"
    )


def measure_server(
    datasets: list[ds.Dataset],
    startups_count: int,
    sessions: int,
    scratch: Path,
    rows_from: Path,
    scaling_startups: int = 3,
    on_size: Callable[[str, dict[str, Any]], None] | None = None,
) -> dict[str, dict[str, Any]]:
    """The cockpit's figures on a throwaway PostgreSQL cluster holding each dataset's rows
    in turn, by size: start-ups and sessions alternating with the baseline's, as on SQLite
    (the ratios are to these baseline runs: the same apps, under the same load), each
    session on a fresh copy of the database."""
    cluster = pg.Cluster(pg.pg_bin_dir())  # type: ignore[arg-type]
    started = time.monotonic()
    try:
        cluster.start()
    except RuntimeError:
        shutil.rmtree(cluster.folder, ignore_errors=True)  # initdb or pg_ctl said why: nothing to stop
        raise
    results = {}
    try:
        version = cluster.version()
        say(
            f"  PostgreSQL {version} on 127.0.0.1:{cluster.port} started in "
            f"{time.monotonic() - started:.1f} s ({pg.SETTINGS})"
        )
        for dataset in datasets:
            main = dataset.incidents == MAIN_SIZE
            results[str(dataset.incidents)] = _server_size(
                cluster,
                dataset,
                startups_count if main else scaling_startups,
                sessions if main else 1,
                scratch,
                rows_from,
            )
            results[str(dataset.incidents)]["server"] = (
                f"PostgreSQL {version} on 127.0.0.1 (loopback), {pg.SETTINGS}"
            )
            if on_size is not None:
                on_size(str(dataset.incidents), results[str(dataset.incidents)])
    finally:
        cluster.stop()
    return results


def _server_size(
    cluster: pg.Cluster,
    dataset: ds.Dataset,
    startups_count: int,
    sessions: int,
    scratch: Path,
    rows_from: Path,
) -> dict[str, Any]:
    template, seconds = ds.load_into_server(dataset, cluster)
    say(f"  {dataset.incidents:,} incidents copied in with ictui copy-to in {seconds:.0f} s")
    url = cluster.new_database(template)
    run_child(["start", url])  # the server's caches warm: not measured
    say(f"  {dataset.incidents:,} incidents: {startups_count} start-ups with --db {url}")
    ours: list[dict[str, float]] = []
    baseline_runs: list[dict[str, float]] = []
    for _ in range(startups_count):
        baseline_runs.append(_startup(run_child(["baseline"])))
        ours.append(_startup(run_child(["start", url])))
    cluster.drop_database(url)
    start, own_baseline = medians(ours), medians(baseline_runs)
    say(
        f"    first frame {start['first_frame_ms']:.0f} ms, list {start['list_populated_ms']:.0f} ms "
        f"(baseline {own_baseline['first_frame_ms']:.0f} ms)"
    )
    interactions, yardsticks = [], []
    for number in range(sessions):
        say(f"  {dataset.incidents:,} incidents: interactive session {number + 1}/{sessions} on a fresh copy")
        yardsticks.append(baseline_session(rows_from))
        fresh = cluster.new_database(template)
        try:
            interactions.append(session(dataset, scratch, fresh))
        finally:
            cluster.drop_database(fresh)
        _said(interactions[-1], yardsticks[-1])
    cluster.admin(f"DROP DATABASE IF EXISTS {template} WITH (FORCE)")
    figures = {**start, **medians(interactions)}
    base = {
        "first_frame_ms": own_baseline["first_frame_ms"],
        "maxrss_mb": own_baseline["start_maxrss_mb"],
        **medians(yardsticks),
    }
    targets = [assess(f, figures[f.key], base) for f in FIGURES if f.key in figures]
    return {
        "incidents": dataset.incidents,
        "loaded_in_s": round(seconds, 1),
        "runs": {"startup": startups_count, "interaction": sessions},
        "baseline": {k: round(v, 2) for k, v in base.items()},
        "figures": {k: round(v, 2) for k, v in figures.items()},
        "targets": targets,
        "raw": {
            "startup": ours,
            "baseline": baseline_runs,
            "interaction": interactions,
            "baseline_interaction": yardsticks,
        },
    }


def measure_first_writes(
    dataset: ds.Dataset, engines: tuple[str, ...], runs: int, scratch: Path
) -> dict[str, Any]:
    """The first write of each kind (bench.first_writes) on SQLite, then on a throwaway
    PostgreSQL cluster holding the same database, when PostgreSQL is measured."""
    if "postgresql" not in engines:
        return first_writes.run(dataset.path, dataset.incidents, runs, say, scratch)
    cluster = pg.Cluster(pg.pg_bin_dir())  # type: ignore[arg-type]
    try:
        cluster.start()
    except RuntimeError:
        shutil.rmtree(cluster.folder, ignore_errors=True)
        raise
    try:
        template, seconds = ds.load_into_server(dataset, cluster)
        say(
            f"  PostgreSQL {cluster.version()} on 127.0.0.1:{cluster.port}: {dataset.incidents:,} incidents "
            f"copied in in {seconds:.0f} s ({pg.SETTINGS})"
        )
        warm = cluster.new_database(template)
        run_child(["start", warm])  # the server's caches warm: not measured
        cluster.drop_database(warm)
        result = first_writes.run(
            dataset.path, dataset.incidents, runs, say, scratch, server=(cluster, template)
        )
        result["server"] = f"PostgreSQL {cluster.version()} on 127.0.0.1 (loopback), {pg.SETTINGS}"
        return result
    finally:
        cluster.stop()


def only_first_writes(args: argparse.Namespace, engines: tuple[str, ...], runs: int) -> int:
    """``--only first-writes``: that part alone, its results beside results.json."""
    info = machine()
    say(
        f"ictui benchmark, first writes only, on {info['nproc']} cores ({info['cpu']}), Python "
        f"{info['python']}, Textual {info['textual']}; load average {info['load_average_at_start']}"
    )
    dataset = ds.database(MAIN_SIZE, args.cache)
    say(f"  {dataset.counts} ({dataset.path})")
    say("warming up (compiled modules, file cache) …")
    precompile()
    run_child(["baseline"])
    run_child(["start", str(dataset.path)])
    began = time.monotonic()
    scratch_root = args.cache / "scratch"
    scratch_root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=scratch_root) as folder:
        result = measure_first_writes(dataset, engines, runs, Path(folder))
    info["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    result.update(
        command="python -m bench --only first-writes"
        + (" --quick" if args.quick else "")
        + (f" --engines {','.join(args.engines)}" if args.engines else "")
        + (f" --first-write-runs {args.first_write_runs}" if args.first_write_runs else ""),
        finished_at=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        duration_s=round(time.monotonic() - began),
        machine=info,
        dataset=dataset.counts,
    )
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "first_writes.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    table = first_writes.markdown(result)
    (args.out / "first_writes.md").write_text(
        f"# ictui's first writes — {result['finished_at']}\n\n`{result['command']}`; machine: "
        f"{info['nproc']} cores, {info['cpu']}; load average at start "
        f"{', '.join(str(x) for x in info['load_average_at_start'])}, at the end "
        f"{', '.join(str(x) for x in info['load_average_at_end'])}.\n\n" + table,
        encoding="utf-8",
    )
    say("")
    say(table)
    say(f"written to {args.out / 'first_writes.json'} and first_writes.md")
    return 0 if all(all(row.values()) for row in result["met"].values()) else 1


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    write_runs = args.first_write_runs or (first_writes.QUICK_RUNS if args.quick else first_writes.RUNS)
    if args.only == "first-writes":
        return only_first_writes(args, choose_engines(args.engines)[0], write_runs)
    startups_count = args.startups or (3 if args.quick else 9)
    sessions = args.sessions or (1 if args.quick else 3)
    sizes = args.sizes or (QUICK_SCALING_SIZES if args.quick else SCALING_SIZES)
    engines, pg_skipped = choose_engines(args.engines)
    began = time.monotonic()
    info = machine()
    say(
        f"ictui benchmark on {info['nproc']} cores ({info['cpu']}), Python {info['python']}, "
        f"Textual {info['textual']}; load average {info['load_average_at_start']}"
    )
    if "postgresql" in engines:
        say(
            f"engines: SQLite, and PostgreSQL on a throwaway cluster ({PG_STARTUPS} start-ups, "
            f"{PG_SESSIONS} sessions at {MAIN_SIZE:,} incidents, 3 and 1 at the other sizes)"
        )
    else:
        say(f"engines: SQLite only. PostgreSQL is SKIPPED: {pg_skipped}")

    datasets: dict[int, ds.Dataset] = {}
    for size in sorted({MAIN_SIZE, *sizes}):
        say(f"database of {size:,} incidents …")
        datasets[size] = ds.database(size, args.cache)
        made = datasets[size]
        where = f"made in {made.seed_seconds:.0f} s" if made.seed_seconds is not None else "from the cache"
        say(f"  {made.counts} ({where}: {made.path})")

    say("warming up (compiled modules, file cache) …")
    precompile()
    run_child(["baseline"])
    run_child(["start", str(datasets[MAIN_SIZE].path)])
    rows_from = datasets[MAIN_SIZE].path  # the baseline's 10,000-row table, at every size

    command = (
        "python -m bench"
        + (" --quick" if args.quick else "")
        + (f" --engines {','.join(args.engines)}" if args.engines else "")
        + (f" --sizes {','.join(str(size) for size in args.sizes)}" if args.sizes else "")
    )
    scaling: dict[str, Any] = {}
    server_sizes: dict[str, dict[str, Any]] = {}
    done: dict[str, Any] = {"search": None, "loop_hold": None, "first_writes": None}

    def publish(still_to_run: str | None) -> dict[str, Any]:
        """The results so far, written out: after each step, so that a run cut short
        leaves what it measured (``partial`` says what was not)."""
        main_result = scaling[str(MAIN_SIZE)]
        server = None
        if server_sizes:
            first = server_sizes.get(str(MAIN_SIZE)) or next(iter(server_sizes.values()))
            server = {
                **first,
                "scaling": {
                    size: {k: v for k, v in r.items() if k != "raw"} for size, r in server_sizes.items()
                },
            }
        info["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
        results = {
            "command": command,
            "finished_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "partial": still_to_run,
            "duration_s": round(time.monotonic() - began),
            "machine": info,
            "main_size": MAIN_SIZE,
            "runs": {"startup": startups_count, "interaction": sessions},
            "datasets": {str(size): d.counts for size, d in datasets.items()},
            "baseline": main_result["baseline"],
            "targets": main_result["targets"],
            "figures": main_result["figures"],
            "forms": main_result.get("forms"),
            "scaling": {
                size: {k: v for k, v in r.items() if k not in ("runs", "forms")}
                for size, r in scaling.items()
            },
            "raw": {size: r["runs"] for size, r in scaling.items()},
            "search": done["search"],
            "loop_hold": done["loop_hold"],
            "first_writes": done["first_writes"],
            "postgresql": server,
            "postgresql_skipped": pg_skipped if "postgresql" not in engines else None,
        }
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
        (args.out / "scaling.svg").write_text(scaling_svg(results), encoding="utf-8")
        (args.out / "results.md").write_text(markdown(results), encoding="utf-8")
        if args.out.resolve() == RESULTS_DIR.resolve():  # the published results: docs/performance.md follows
            from bench.docs import write as write_docs

            write_docs(args.out)
        return results

    scratch_root = args.cache / "scratch"
    scratch_root.mkdir(parents=True, exist_ok=True)
    others = [size for size in sizes if size != MAIN_SIZE]
    with tempfile.TemporaryDirectory(dir=scratch_root) as folder:
        scratch = Path(folder)
        say(f"large database ({MAIN_SIZE:,} incidents):")
        scaling[str(MAIN_SIZE)] = measure_size(
            datasets[MAIN_SIZE], startups_count, sessions, scratch, rows_from, forms=True
        )
        publish("the other sizes, search, the event loop's hold, PostgreSQL")
        for size in others:
            say(f"scaling, {size:,} incidents:")
            scaling[str(size)] = measure_size(
                datasets[size], max(3, startups_count // 3), 1, scratch, rows_from
            )
            publish("search, the event loop's hold, PostgreSQL, and sizes after this one")
        say(f"search, {max(sizes):,} incidents ({len(search.QUERIES)} queries against a plain FTS5 query):")
        searched = done["search"] = search.run(max(sizes), 10 if args.quick else 20, args.cache)
        say(
            f"    search p95 {searched['search_p95_ms']:.1f} ms, plain FTS5 p95 {searched['plain_fts5_p95_ms']:.1f} ms "
            f"({searched['ratio_p95']:.2f}×)"
        )
        say("event loop hold while Slack misbehaves, against a bare Textual app:")
        done["loop_hold"] = loop_hold.measure(args.quick)
        publish("the first writes, PostgreSQL")
        say(f"first write of each kind on a fresh cockpit, {MAIN_SIZE:,} incidents:")
        done["first_writes"] = measure_first_writes(datasets[MAIN_SIZE], engines, write_runs, scratch)
        publish("PostgreSQL" if "postgresql" in engines else None)
        if "postgresql" in engines:
            say(f"on PostgreSQL: {', '.join(f'{size:,}' for size in sizes)} incidents:")

            def measured(size: str, result: dict[str, Any]) -> None:
                server_sizes[size] = result
                publish("PostgreSQL's other sizes")

            measure_server(
                [datasets[MAIN_SIZE]] + [datasets[size] for size in others],
                PG_STARTUPS,
                1 if args.quick else PG_SESSIONS,
                scratch,
                rows_from,
                scaling_startups=max(3, startups_count // 3),
                on_size=measured,
            )

    results = publish(None)
    table = markdown(results)
    say("")
    say(table)
    say(f"written to {args.out} in {results['duration_s'] // 60} min {results['duration_s'] % 60} s")
    server = results["postgresql"]
    rows = results["targets"] + (server["targets"] if server else [])
    writes_met = all(all(row.values()) for row in done["first_writes"]["met"].values())
    return 0 if all(row["met"] for row in rows) and searched["met"] and writes_met else 1


if __name__ == "__main__":
    sys.exit(main())
