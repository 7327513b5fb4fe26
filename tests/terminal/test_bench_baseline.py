"""The benchmark's baselines (bench/baseline.py): the smallest Textual apps doing the work
ictui's figures time, run in the same pseudo-terminal and timed the same way. The figures
come from ``python -m bench``; these tests run the measured processes on a small
database, so that the benchmark keeps working."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import baseline
from bench.script import FILTERS
from bench.terminal import run_child
from ictui.store import Store
from ictui.store.seed import seed_generated


@pytest.fixture(scope="module")
def small_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bench") / "small.db"
    store = Store(path)
    seed_generated(store, incidents=40, entries_per_incident=3, updates_per_incident=1, big_timeline=60)
    store.close()
    return path


@pytest.mark.slow
def test_the_baseline_session_times_every_key_ictuis_session_times(small_db: Path) -> None:
    result = run_child(["baseline-interact", str(small_db)], timeout=300).result
    assert "error" not in result, result.get("error")
    assert len(result["open_ms"]) == 8
    # The list's keys, 60 down, 5 pages, 30 up, 5 pages, 30 up: those that move the cursor
    # of a table of 41 rows (of 10,000 in the benchmark, every one).
    assert 40 <= len(result["key_ms"]) < 130
    assert len(result["note_ms"]) == 30
    typed = sum(2 * len(query) for query in FILTERS)  # each letter typed, then taken back
    assert 0 < len(result["filter_key_ms"]) <= typed
    assert all(ms > 0 for key in ("open_ms", "key_ms", "note_ms", "filter_key_ms") for ms in result[key])
    figures = baseline.figures(result)
    assert set(figures) == {"open_ms", "key_p95_ms", "note_p95_ms", "filter_p95_ms", "session_maxrss_mb"}


@pytest.mark.slow
def test_the_baseline_modal_is_timed_the_first_time_and_later(small_db: Path) -> None:
    result = run_child(["baseline-form"], timeout=120).result
    assert "error" not in result, result.get("error")
    assert result["cold_ms"] > 0 and len(result["warm_ms"]) == baseline.WARM_OPENS
    figures = baseline.form_figures([result, result])
    assert figures["modal_cold_ms"] == result["cold_ms"]


def test_the_baseline_table_holds_the_newest_incidents_and_filters_by_every_word(small_db: Path) -> None:
    rows = baseline.incident_rows(str(small_db), limit=10)
    numbers = [int(row[0][1:]) for row in rows]
    assert len(rows) == 10 and numbers == sorted(numbers, reverse=True)
    title = rows[3][3]
    first, last = title.split()[0], title.split()[-1]
    found = baseline.matches(rows, f"{last.upper()} {first}")
    assert rows[3] in found and all(first.lower() in f"{r[0]} {r[3]} {r[4]}".lower() for r in found)
    assert baseline.matches(rows, "") == rows
    assert baseline.matches(rows, "zzzz-nothing") == []
