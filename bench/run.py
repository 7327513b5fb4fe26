"""The benchmark: ictui's cockpit on a large database against the smallest Textual app.

    /work/.venv/bin/python -m bench            # the full run (about 6-9 minutes)
    /work/.venv/bin/python -m bench --quick    # fewer repeats, no 100,000-incident database

Every measurement is a fresh process in a 120x40 pseudo-terminal (see bench.terminal):
start-ups alternate between the baseline and ictui, so that load from other jobs on the
machine falls on both. The results go to bench/results/ as JSON and Markdown, with the
chart of how the figures grow from 1,000 to 100,000 incidents. The exit code is 1 when
a target is missed.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from bench import dataset as ds
from bench.figures import FIGURES, interaction_figures, medians, startup_figures
from bench.report import assess, machine, markdown, scaling_svg
from bench.terminal import REPO, ChildRun, run_child

MAIN_SIZE = 10_000
SCALING_SIZES = (1_000, 10_000, 100_000)
QUICK_SCALING_SIZES = (1_000, 10_000)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="3 start-ups, 1 session, scaling to 10,000 only")
    parser.add_argument("--startups", type=int, help="start-ups of each app on the large database (default 9)")
    parser.add_argument("--sessions", type=int, help="interactive sessions on the large database (default 3)")
    parser.add_argument("--cache", type=Path, default=ds.default_cache(), help="where generated databases are kept")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results", help="where results are written")
    return parser.parse_args(argv)


def say(message: str) -> None:
    print(message, flush=True)


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


def session(dataset: ds.Dataset, scratch: Path) -> dict[str, float]:
    run = run_child(["interact", str(ds.scratch_copy(dataset, scratch))], timeout=600)
    if "error" in run.result:
        raise RuntimeError(f"the interactive session failed:\n{run.result['error']}")
    figures = interaction_figures(run.result)
    figures.update({f"session_{k}": v for k, v in _startup(run).items() if k != "start_maxrss_mb"})
    return figures


def measure_size(dataset: ds.Dataset, startups_count: int, sessions: int, scratch: Path) -> dict[str, Any]:
    """Start-ups (alternating with the baseline's) and interactive sessions on one database."""
    say(f"  {dataset.incidents:,} incidents: {startups_count} start-ups of each app")
    run_child(["start", str(dataset.path)])  # the file into the page cache: not measured
    ours, baseline_runs = startups(dataset.path, startups_count)
    start, baseline = medians(ours), medians(baseline_runs)
    say(f"    first frame {start['first_frame_ms']:.0f} ms, list {start['list_populated_ms']:.0f} ms "
        f"(baseline {baseline['first_frame_ms']:.0f} ms)")
    interactions = []
    for number in range(sessions):
        say(f"  {dataset.incidents:,} incidents: interactive session {number + 1}/{sessions}")
        interactions.append(session(dataset, scratch))
        last = interactions[-1]
        say(f"    open {last['open_big_ms']:.0f} ms, list key p95 {last['list_key_p95_ms']:.1f} ms, "
            f"timeline key p95 {last['timeline_key_p95_ms']:.1f} ms, note p95 {last['note_p95_ms']:.1f} ms, "
            f"filter p95 {last['filter_p95_ms']:.1f} ms, peak {last['maxrss_mb']:.0f} MB")
    figures = {**start, **medians(interactions)}
    base = {"first_frame_ms": baseline["first_frame_ms"], "maxrss_mb": baseline["start_maxrss_mb"]}
    return {
        "incidents": dataset.incidents,
        "baseline": base,
        "figures": {k: round(v, 2) for k, v in figures.items()},
        "targets": [assess(f, figures[f.key], base) for f in FIGURES if f.key in figures],
        "runs": {"startup": ours, "baseline": baseline_runs, "interaction": interactions},
    }


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    startups_count = args.startups or (3 if args.quick else 9)
    sessions = args.sessions or (1 if args.quick else 3)
    sizes = QUICK_SCALING_SIZES if args.quick else SCALING_SIZES
    began = time.monotonic()
    info = machine()
    say(f"ictui benchmark on {info['nproc']} cores ({info['cpu']}), Python {info['python']}, "
        f"Textual {info['textual']}; load average {info['load_average_at_start']}")

    datasets: dict[int, ds.Dataset] = {}
    for size in sorted({MAIN_SIZE, *sizes}):
        say(f"database of {size:,} incidents …")
        datasets[size] = ds.database(size, args.cache)
        made = datasets[size]
        where = f"made in {made.seed_seconds:.0f} s" if made.seed_seconds is not None else "from the cache"
        say(f"  {made.counts} ({where}: {made.path})")

    say("warming up (compiled modules, file cache) …")
    run_child(["baseline"])
    run_child(["start", str(datasets[MAIN_SIZE].path)])

    scratch_root = args.cache / "scratch"
    scratch_root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=scratch_root) as folder:
        scratch = Path(folder)
        say(f"large database ({MAIN_SIZE:,} incidents):")
        main_result = measure_size(datasets[MAIN_SIZE], startups_count, sessions, scratch)
        scaling: dict[str, Any] = {str(MAIN_SIZE): main_result}
        for size in sizes:
            if size == MAIN_SIZE:
                continue
            say(f"scaling, {size:,} incidents:")
            scaling[str(size)] = measure_size(datasets[size], max(3, startups_count // 3), 1, scratch)

    results = {
        "command": "python -m bench" + (" --quick" if args.quick else ""),
        "finished_at": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "duration_s": round(time.monotonic() - began),
        "machine": info,
        "main_size": MAIN_SIZE,
        "runs": {"startup": startups_count, "interaction": sessions},
        "datasets": {str(size): d.counts for size, d in datasets.items()},
        "baseline": main_result["baseline"],
        "targets": main_result["targets"],
        "figures": main_result["figures"],
        "scaling": {size: {k: v for k, v in r.items() if k != "runs"} for size, r in scaling.items()},
        "raw": {size: r["runs"] for size, r in scaling.items()},
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    (args.out / "scaling.svg").write_text(scaling_svg(results), encoding="utf-8")
    table = markdown(results)
    (args.out / "results.md").write_text(table, encoding="utf-8")
    say("")
    say(table)
    say(f"written to {args.out} in {results['duration_s'] // 60} min {results['duration_s'] % 60} s")
    return 0 if all(row["met"] for row in results["targets"]) else 1


if __name__ == "__main__":
    sys.exit(main())
