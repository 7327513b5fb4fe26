"""The benchmark's PostgreSQL column: its dataset loaded into a throwaway cluster with
``ictui copy-to``, a fresh copy per run, the cockpit started on the URL, and the report's
two columns. The figures themselves come from ``python -m bench``.

Skipped without PostgreSQL's binaries, except in CI (``CI=true``), where that fails.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench import dataset as ds
from bench import pg
from bench.figures import FIGURES
from bench.report import assess, markdown
from bench.run import choose_engines, parse_args
from bench.terminal import run_child
from ictui.store import Store
from ictui.store.seed import seed_generated


@pytest.fixture(scope="module")
def cluster() -> Iterator[pg.Cluster]:
    reason = pg.unavailable_reason()
    if reason is not None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI must measure PostgreSQL too: {reason}")
        pytest.skip(reason)
    running = pg.Cluster(pg.pg_bin_dir())  # type: ignore[arg-type]
    running.start()
    try:
        yield running
    finally:
        running.stop()


@pytest.mark.slow  # a PostgreSQL server and the benchmark's child in a pseudo-terminal
def test_the_dataset_is_copied_in_and_each_run_gets_a_fresh_copy_the_cockpit_opens(
    cluster: pg.Cluster, tmp_path: Path
) -> None:
    path = tmp_path / "small.db"
    store = Store(path)
    seed_generated(store, incidents=30, entries_per_incident=2, updates_per_incident=1, big_timeline=40)
    store.close()
    template, seconds = ds.load_into_server(ds.Dataset(30, path, "30 incidents", None), cluster)
    assert seconds > 0
    first, second = cluster.new_database(template), cluster.new_database(template)
    assert first != second
    on_server = Store(first)
    try:
        assert len(on_server.list_incidents()) == 31  # 30 generated and the big one
    finally:
        on_server.close()
    run = run_child(["start", second], timeout=120)
    assert 0 < run.since_start("first_frame") <= run.since_start("list_populated") < 60


def _row(key: str, value: float, base: dict[str, float]) -> dict:
    return assess(next(f for f in FIGURES if f.key == key), value, base)


def test_the_report_has_a_column_per_engine_and_says_when_postgresql_was_skipped() -> None:
    base = {"first_frame_ms": 300.0, "maxrss_mb": 36.0}
    results = {
        "finished_at": "now",
        "command": "python -m bench",
        "runs": {"startup": 9, "interaction": 3},
        "machine": {
            "nproc": 2,
            "cpu": "cpu",
            "os": "Linux",
            "python": "3.11",
            "textual": "8",
            "sqlalchemy": "2",
            "sqlmodel": "0",
            "load_average_at_start": [0.5, 0.5, 0.5],
        },
        "datasets": {"10000": "10001 incidents"},
        "main_size": 10000,
        "baseline": base,
        "targets": [
            _row("first_frame_ms", 330, base),
            _row("note_p95_ms", 9, base),
            _row("form_cold_worst_ms", 90, base),
        ],
        "figures": {},
        "postgresql": {
            "server": "PostgreSQL 15.0 on 127.0.0.1 (loopback), fsync=off",
            "loaded_in_s": 30.0,
            "runs": {"startup": 3, "interaction": 2},
            "baseline": base,
            "targets": [_row("first_frame_ms", 600, base), _row("note_p95_ms", 14.5, base)],
        },
    }
    table = markdown(results)
    assert "| Figure | Target | SQLite | Ratio | Met | PostgreSQL | Ratio | Met |" in table
    assert (
        "| Start to first frame | ≤ 1.5× baseline | 330 ms | 1.10× baseline | yes | "
        "600 ms | 2.00× baseline | **no** |"
    ) in table
    assert (
        "| Note: enter → committed and shown (p95) | ≤ 10 ms | 9.0 ms | 0.90× bound | yes | 14.5 ms | 1.45× bound | **no** |"
        in table
    )
    assert "| 90.0 ms | 0.90× bound | yes | — | — | — |" in table  # the forms: SQLite only
    assert "PostgreSQL 15.0 on 127.0.0.1 (loopback)" in table

    results.update(postgresql=None, postgresql_skipped="PostgreSQL's initdb and pg_ctl are not installed")
    table = markdown(results)
    assert "| Figure | Value | Ratio | Target | Met |" in table
    assert "PostgreSQL: not measured (PostgreSQL's initdb and pg_ctl are not installed)." in table


def test_engines_default_to_both_where_postgresql_can_run_and_sqlite_is_always_measured() -> None:
    engines, reason = choose_engines(None)
    if pg.unavailable_reason() is None:
        assert engines == ("sqlite", "postgresql") and reason is None
    else:
        assert engines == ("sqlite",) and reason == pg.unavailable_reason()
    assert choose_engines(parse_args(["--engines", "sqlite"]).engines) == (
        ("sqlite",),
        "not asked for (--engines sqlite)",
    )
    with pytest.raises(SystemExit):
        parse_args(["--engines", "postgresql"])  # the baseline, scaling and forms come from SQLite
    with pytest.raises(SystemExit):
        parse_args(["--engines", "sqlite,mysql"])
