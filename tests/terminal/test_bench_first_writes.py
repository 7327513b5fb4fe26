"""The benchmark's first writes (bench/first_writes.py): each kind made once in a fresh
cockpit in a pseudo-terminal, read off the terminal, and read back from the database.

The figures come from ``python -m bench`` (or ``--only first-writes``) on the large
database; these tests run the same measured processes on a small one, so that the
benchmark keeps working as the forms and the screen change, and check its report.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bench import first_writes
from bench.run import parse_args
from bench.screen_text import ScreenText
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


@pytest.mark.slow  # the benchmark's child in a pseudo-terminal
@pytest.mark.parametrize("kind", [k.name for k in first_writes.KINDS])
def test_each_first_write_is_timed_to_the_frame_that_shows_it_and_lands_on_the_incident_meant(
    small_db: Path, tmp_path: Path, kind: str
) -> None:
    db = tmp_path / "copy.db"
    shutil.copyfile(small_db, db)
    result = run_child(["first-write", str(db), kind], timeout=180).result
    assert "error" not in result, result.get("error")
    assert result["kind"] == kind and 0 < result["ms"] < 30_000
    assert first_writes.check_written(str(db), kind, result["expect"]) is None
    assert result["peak_after_kb"] >= result["peak_before_kb"] > 0
    # Read back from a copy without the write, the check says what is missing.
    assert first_writes.check_written(str(small_db), kind, result["expect"]) is not None


@pytest.mark.slow  # the benchmark's child in a pseudo-terminal
@pytest.mark.parametrize("kind", ["form", "note"])
def test_the_yardstick_of_a_first_write_is_timed_in_a_fresh_process(kind: str) -> None:
    result = run_child(["baseline-first-write", kind], timeout=120).result
    assert "error" not in result, result.get("error")
    assert result["kind"] == kind and 0 < result["ms"] < 30_000


def test_the_screen_text_keeps_what_lies_outside_a_frames_spans() -> None:
    from rich.segment import Segment
    from textual.strip import Strip

    from ictui.tui.textual_compat import ChopsUpdate

    screen = ScreenText(columns=20, lines=2)
    screen._put(0, 0, "list      | header  ")
    # Textual's chops for a line may hold what lies behind the widgets outside the span
    # it writes (blank here): only columns 11 to 19 reach the terminal.
    chops = [{0: Strip([Segment(" " * 11)]), 11: Strip([Segment("#42 new ")])}, {}]
    screen.apply(ChopsUpdate(chops, [(0, 11, 19)], [[11, 19], []]))
    assert screen.text()[0] == "list      |#42 new  "


def _kind_rows(ms: float) -> dict:
    return {
        "p50_ms": ms,
        "p95_ms": ms,
        "ratio_p95": 2.0,
        "peak_after_mb": 60.0,
        "asked": 0,
    }


def test_the_report_holds_each_kind_to_100_ms_on_sqlite_and_13_times_that_on_postgresql() -> None:
    sqlite = {name: _kind_rows(40.0) for name in first_writes.BY_NAME}
    sqlite["role"] = _kind_rows(1200.0)
    server = {name: _kind_rows(50.0) for name in first_writes.BY_NAME}
    server["note"] = _kind_rows(60.0)  # 1.5× SQLite's 40 ms
    results = {
        "incidents": 10_000,
        "sqlite": {
            "runs": 5,
            "kinds": sqlite,
            "baselines": {"form": {"p50_ms": 20.0, "p95_ms": 25.0, "peak_mb": 40.0}},
        },
        "postgresql": {"runs": 5, "kinds": server, "baselines": {}},
    }
    met = first_writes.assess(results)
    assert met["declare"] == {"sqlite": True, "postgresql": True}
    assert met["role"]["sqlite"] is False
    assert met["note"] == {"sqlite": True, "postgresql": False}
    table = first_writes.markdown(results)
    assert (
        "| `i` role assignment (IC, someone on the roster, enter) | 1200 ms | 1200 ms ✗ | ≤ 100 ms |" in table
    )
    assert "| 60 ms | 60 ms ✗ | ≤ 52 ms (1.3× SQLite) |" in table


def test_one_part_is_chosen_on_the_command_line() -> None:
    args = parse_args(["--only", "first-writes", "--first-write-runs", "2"])
    assert (args.only, args.first_write_runs) == ("first-writes", 2)
    with pytest.raises(SystemExit):
        parse_args(["--only", "everything-else"])
