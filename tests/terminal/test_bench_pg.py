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
from bench.docs import write_readme
from bench.figures import FIGURES
from bench.report import assess, markdown, scaling_svg
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


MACHINE = {
    "nproc": 2,
    "cpu": "cpu",
    "os": "Linux",
    "python": "3.11",
    "textual": "8",
    "sqlalchemy": "2",
    "sqlmodel": "0",
    "load_average_at_start": [0.5, 0.5, 0.5],
}
BASE = {
    "first_frame_ms": 300.0,
    "maxrss_mb": 36.0,
    "key_p95_ms": 10.0,
    "open_ms": 40.0,
    "note_p95_ms": 6.0,
    "filter_p95_ms": 400.0,
    "modal_cold_ms": 60.0,
    "modal_warm_ms": 30.0,
}


def _results(server: dict | None) -> dict:
    targets = [
        _row("first_frame_ms", 330, BASE),
        _row("note_p95_ms", 9, BASE),
        _row("form_cold_worst_ms", 90, BASE),
    ]
    return {
        "finished_at": "now",
        "command": "python -m bench",
        "runs": {"startup": 9, "interaction": 3},
        "machine": MACHINE,
        "datasets": {"10000": "10001 incidents"},
        "main_size": 10000,
        "baseline": BASE,
        "targets": targets,
        "figures": {},
        "scaling": {
            "1000": {"targets": [_row("first_frame_ms", 290, BASE), _row("note_p95_ms", 7, BASE)]},
            "10000": {"targets": targets},
        },
        "postgresql": server,
    }


def test_each_figure_is_a_ratio_to_its_baseline_with_both_values_beside_on_each_engine() -> None:
    row = _row("note_p95_ms", 9, BASE)
    assert (row["ratio"], row["baseline"], row["bound"], row["met"]) == (1.5, 6.0, 9.0, True)
    assert not _row("first_frame_ms", 330, BASE)["met"]  # first frame: at most 1.0× its baseline
    server_targets = [_row("first_frame_ms", 270, BASE), _row("note_p95_ms", 14.5, BASE)]
    server = {
        "server": "PostgreSQL 15.0 on 127.0.0.1 (loopback), fsync=off",
        "loaded_in_s": 30.0,
        "runs": {"startup": 3, "interaction": 2},
        "baseline": BASE,
        "targets": server_targets,
        "scaling": {
            "10000": {"targets": server_targets},
            "100000": {"targets": [_row("first_frame_ms", 280, BASE), _row("note_p95_ms", 8, BASE)]},
        },
    }
    table = markdown(_results(server))
    assert (
        "| Start to first frame | ≤ 1× | 1.10× | 330 ms vs 300 ms | **no** | 0.90× | 270 ms vs 300 ms | yes |"
    ) in table
    assert (
        "| Note: enter → committed and shown (p95) | ≤ 1.5× | 1.50× | 9.0 ms vs 6.0 ms | yes | "
        "2.42× | 14.5 ms vs 6.0 ms | **no** |"
    ) in table
    assert "| 1.50× | 90.0 ms vs 60.0 ms | yes | — | — | — |" in table  # the forms: SQLite only
    assert "PostgreSQL 15.0 on 127.0.0.1 (loopback)" in table
    # Every size of each engine, each figure a ratio with its values beside.
    assert (
        "| Note: enter → committed and shown (p95) | ≤ 1.5× | PostgreSQL | — | 2.42× ✗ (14.5 ms vs 6.0 ms) "
        "| 1.33× (8.0 ms vs 6.0 ms) |"
    ) in table
    assert (
        "| Start to first frame | ≤ 1× | SQLite | 0.97× (290 ms vs 300 ms) | 1.10× ✗ (330 ms vs 300 ms) | — |"
        in table
    )

    svg = scaling_svg(_results(server))
    assert svg.count("<polyline") == 4  # two figures on two engines
    assert svg.count('stroke-dasharray="7 4"') == 4  # PostgreSQL's lines and legend, dashed


def test_the_report_says_when_postgresql_was_skipped() -> None:
    results = {**_results(None), "postgresql_skipped": "PostgreSQL's initdb and pg_ctl are not installed"}
    table = markdown(results)
    assert "PostgreSQL: not measured (PostgreSQL's initdb and pg_ctl are not installed)." in table
    assert "| Start to first frame | ≤ 1× | 1.10× | 330 ms vs 300 ms | **no** | — | — | — |" in table


def test_the_readme_table_is_rewritten_between_its_markers_only(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(
        "# ictui\n\n<!-- bench:table -->\nold\n<!-- /bench:table -->\n\n## Next\n", encoding="utf-8"
    )
    write_readme(_results(None), readme)
    text = readme.read_text(encoding="utf-8")
    assert text.startswith("# ictui\n\n<!-- bench:table -->\n| Figure | Target | SQLite, 10,000 |")
    assert "old" not in text and text.endswith("<!-- /bench:table -->\n\n## Next\n")
    assert "| Note: enter → committed and shown (p95) | ≤ 1.5× | 1.50× (9.0 ms vs 6.0 ms) |" in text


def test_sizes_are_chosen_on_the_command_line_and_always_include_the_large_database() -> None:
    assert parse_args(["--sizes", "100000"]).sizes == (10_000, 100_000)
    assert parse_args(["--sizes", "1000,100_000"]).sizes == (1_000, 10_000, 100_000)
    with pytest.raises(SystemExit):
        parse_args(["--sizes", "many"])


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
