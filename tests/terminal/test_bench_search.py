"""The search benchmark (bench/search.py) measures what the cockpit runs and what it is
compared with: the same words, and the incidents the store finds."""

from __future__ import annotations

from pathlib import Path

from bench import search as bench_search
from ictui.store import Store


def test_the_plain_query_is_the_same_words(tmp_path: Path) -> None:
    assert bench_search.plain_query("error-rate: back?!") == '"error"* "rate"* "back"*'

    store = Store(tmp_path / "bench.db")
    for n in range(3):
        number = store.declare(f"Bank feeds times out {n}", author="ana").number
        store.add_entry(number, "Rolled back the last deploy.", author="ana")
    found = {q: len(store.search(q)) for q in bench_search.QUERIES}
    store.close()

    result = bench_search.measure(tmp_path / "bench.db", repeats=2)
    assert {q: row["incidents_found"] for q, row in result["queries"].items()} == found
    assert found["deploy"] == 3 and found["kubernetes"] == 0
    table = bench_search.markdown(
        {**result, "incidents": 3, "counts": "3 incidents", "repeats": 2, "met": True}
    )
    assert "| Search p95 | ≤ 50 ms |" in table and "| `rolled back` | 3 |" in table
